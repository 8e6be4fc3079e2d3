"""No pages of its own: case files are worked in the admin and through the API."""

urlpatterns: list = []
