"""REST API of the cadres' review 两委干部测评.

Residents: the current round of their community (`current/`), scoring every cadre at once
(`submit/`), the aggregates once published. Workers: create a round, list its cadres, open,
close, cancel (verb endpoints). Street admins: publish the results, read and export the
per-cadre results. No response here ever carries a participant next to a score: the round's
detail says only whether the caller has taken part.

Each view: input serializer → selector within scope (out of scope is a 404) → rules permission
→ one service → output serializer.
"""

from django.urls import path

from .rounds import (
    CurrentRoundApi,
    RoundCadreApi,
    RoundCadresApi,
    RoundCancelApi,
    RoundCloseApi,
    RoundDetailApi,
    RoundListApi,
    RoundOpenApi,
    RoundPublishApi,
)
from .taking_part import RoundAggregatesApi, RoundExportApi, RoundResultsApi, RoundSubmitApi

urlpatterns = [
    path("cadre-rounds/", RoundListApi.as_view(), name="cadre-round-list"),
    path("cadre-rounds/current/", CurrentRoundApi.as_view(), name="cadre-round-current"),
    path("cadre-rounds/<int:pk>/", RoundDetailApi.as_view(), name="cadre-round-detail"),
    path("cadre-rounds/<int:pk>/cadres/", RoundCadresApi.as_view(), name="cadre-round-cadres"),
    path(
        "cadre-rounds/<int:pk>/cadres/<int:cadre_pk>/",
        RoundCadreApi.as_view(),
        name="cadre-round-cadre",
    ),
    path("cadre-rounds/<int:pk>/open/", RoundOpenApi.as_view(), name="cadre-round-open"),
    path("cadre-rounds/<int:pk>/close/", RoundCloseApi.as_view(), name="cadre-round-close"),
    path("cadre-rounds/<int:pk>/cancel/", RoundCancelApi.as_view(), name="cadre-round-cancel"),
    path(
        "cadre-rounds/<int:pk>/publish-results/",
        RoundPublishApi.as_view(),
        name="cadre-round-publish",
    ),
    path("cadre-rounds/<int:pk>/submit/", RoundSubmitApi.as_view(), name="cadre-round-submit"),
    path(
        "cadre-rounds/<int:pk>/aggregates/",
        RoundAggregatesApi.as_view(),
        name="cadre-round-aggregates",
    ),
    path("cadre-rounds/<int:pk>/results/", RoundResultsApi.as_view(), name="cadre-round-results"),
    path("cadre-rounds/<int:pk>/export/", RoundExportApi.as_view(), name="cadre-round-export"),
]
