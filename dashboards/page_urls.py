"""The dashboard page, included at /dashboard/ (config/urls.py)."""

from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [path("", views.dashboard_page, name="page")]
