"""The residents' phone pages of covenants (included at the site root)."""

from django.urls import path

from pages.views import ResidentPage

app_name = "covenant_pages"

urlpatterns = [
    path("covenants/", ResidentPage.as_view(page="covenants"), name="covenants"),
    path("covenants/<int:pk>/", ResidentPage.as_view(page="covenant"), name="covenant"),
]
