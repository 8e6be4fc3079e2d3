"""The grid workers' phone pages of this app (included at the site root)."""

from django.urls import path

from .pages import GridWorkerPage

app_name = "case_pages"

urlpatterns = [
    path("events/new/", GridWorkerPage.as_view(page="event_new"), name="event_new"),
]
