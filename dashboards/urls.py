"""The dashboard API, included under /api/v1/ (config/urls.py)."""

from django.urls import path

from . import apis

urlpatterns = [
    path("dashboard/units/", apis.DashboardUnitsApi.as_view(), name="dashboard-units"),
    path("dashboard/summary/", apis.DashboardSummaryApi.as_view(), name="dashboard-summary"),
    path("dashboard/trend/", apis.DashboardTrendApi.as_view(), name="dashboard-trend"),
    path("dashboard/ranking/", apis.DashboardRankingApi.as_view(), name="dashboard-ranking"),
    path("dashboard/cases/", apis.DashboardCasesApi.as_view(), name="dashboard-cases"),
    path(
        "dashboard/<slug:table>/export/",
        apis.DashboardExportApi.as_view(),
        name="dashboard-export",
    ),
]
