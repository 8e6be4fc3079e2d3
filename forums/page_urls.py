"""The residents' phone pages of this app (included at the site root)."""

urlpatterns = []
