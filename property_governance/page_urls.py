"""The residents' phone pages of this app (included at the site root)."""

from django.urls import path

from pages.views import ResidentPage

app_name = "property_pages"


def page(route, name):
    return path(route, ResidentPage.as_view(page=name), name=name)


urlpatterns = [
    page("elections/", "elections"),
    page("elections/<int:pk>/", "election"),
    page("my-property/", "my_property"),
]
