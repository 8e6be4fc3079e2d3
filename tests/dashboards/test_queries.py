"""Every dashboard endpoint runs the same number of queries at 1 row and at 50."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories.projects import adopted_project
from tests.factories.proposals import TopicFactory, verified_resident
from tests.factories.volunteers_points import PointsActivityFactory, approved_attendance
from volunteers.models import VolunteerProfile

SH = datetime.timezone(datetime.timedelta(hours=8))
START = datetime.datetime(2026, 12, 1, 9, tzinfo=SH)
AFTER = datetime.datetime(2027, 1, 10, 12, tzinfo=SH)  # the December topics are overdue
PARAMS = {"period": "month", "date": "2026-12"}
# The bound each endpoint is pinned to: the reader's roles and scope (2) and the unit (1), then
# the figures: one grouped query per source table (15) and the median for the summary, the
# same plus the list of children for the ranking, seven monthly series for the trend.
# The self-governance and casework figures (dashboards.governance) add the community → unit
# map (1) and each app's grouped queries from its dashboard.py: board 6, covenants 4,
# property governance 4, forums 3, cadres 3, grid events 2, disputes 4.
GOVERNANCE = 27
LIMITS = {
    "units/": 4,
    "summary/": 19 + GOVERNANCE,
    "trend/": 10,
    "ranking/": 20 + GOVERNANCE,
    "summary/export/": 19 + GOVERNANCE,
    "trend/export/": 10,
    "ranking/export/": 20 + GOVERNANCE,
}


def _grow(org, actors, n):
    """n of everything in each community of the street: topics (answered, overdue, adopted),
    projects, volunteers and their approved service."""
    for community, grid in ((org.community, org.grid), (org.sibling_community, None)):
        activity = PointsActivityFactory(community=community, starts_at=START)
        for i in range(n):
            raised = START + datetime.timedelta(hours=i)
            TopicFactory(
                community=community,
                grid=grid,
                raised_at=raised,
                first_responded_at=raised + datetime.timedelta(minutes=10 + i),
                responded_on_time=True,
                state="answered",
            )
            TopicFactory(community=community, grid=grid, raised_at=raised)  # overdue
            user = verified_resident(community)
            VolunteerProfile.objects.create(user=user, community=community)
            approved_attendance(activity, user, hours="1.50")
        worker = actors.worker if community == org.community else actors.other_worker
        for _ in range(min(n, 10)):
            adopted_project(worker=worker, community=community, grid=grid)


@pytest.mark.parametrize("n", [1, 50])
@pytest.mark.parametrize("path", list(LIMITS))
def test_query_count_is_constant(
    api, org, actors, n, path, django_assert_max_num_queries, time_machine
):
    _grow(org, actors, n)
    time_machine.move_to(AFTER, tick=False)
    api.force_authenticate(actors.street_admin)
    params = {"unit": f"street:{org.street.pk}", **PARAMS}
    if path == "units/":
        params = {"parent": f"street:{org.street.pk}"}
    if path.endswith("export/"):
        params["format"] = "xlsx"
    with django_assert_max_num_queries(LIMITS[path]):
        response = api.get(f"/api/v1/dashboard/{path}", params)
    assert response.status_code == 200


def test_the_grown_rows_are_all_counted(api, org, actors, time_machine):
    _grow(org, actors, 50)
    time_machine.move_to(AFTER, tick=False)
    api.force_authenticate(actors.street_admin)
    params = {"unit": f"street:{org.street.pk}", **PARAMS}
    with CaptureQueriesContext(connection) as queries:
        figures = api.get("/api/v1/dashboard/summary/", params).json()["figures"]
    # 100 topics per community; the adopted projects' topics were raised at the real now,
    # outside December.
    assert figures["topics_raised"] == 200
    assert figures["overdue_now"] == 100
    assert figures["answered_within_4h"] == 100
    assert figures["volunteers_registered"] == 100
    assert figures["volunteer_hours"] == 150.0
    assert len(queries) <= LIMITS["summary/"]
