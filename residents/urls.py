from django.urls import path

from . import apis

app_name = "residents"

urlpatterns = [
    path("tags/", apis.TagListCreateApi.as_view(), name="tag-list"),
    path("tags/<int:pk>/", apis.TagDetailApi.as_view(), name="tag-detail"),
    path("households/", apis.HouseholdListCreateApi.as_view(), name="household-list"),
    path("households/<int:pk>/", apis.HouseholdDetailApi.as_view(), name="household-detail"),
    path("residents/", apis.ResidentListCreateApi.as_view(), name="resident-list"),
    path("residents/stats/", apis.ResidentStatsApi.as_view(), name="resident-stats"),
    path("residents/lookup/", apis.ResidentLookupApi.as_view(), name="resident-lookup"),
    path("residents/<int:pk>/", apis.ResidentDetailApi.as_view(), name="resident-detail"),
    path(
        "residents/<int:pk>/reveal-id/",
        apis.ResidentRevealIdApi.as_view(),
        name="resident-reveal-id",
    ),
    path("resident-access-logs/", apis.ResidentAccessLogListApi.as_view(), name="access-log-list"),
]
