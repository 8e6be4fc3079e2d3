"""The residents' phone pages of this app (included at the site root)."""

from django.urls import path

from pages.views import ResidentPage

app_name = "cadre_pages"

urlpatterns = [
    path("cadre-review/", ResidentPage.as_view(page="cadre_review"), name="cadre_review"),
]
