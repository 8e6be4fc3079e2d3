"""List endpoints cost the same number of queries at 1 row and at 30."""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories.proposals import verified_resident
from tests.factories.volunteers import (
    ActivityFactory,
    PartyMemberReportFactory,
    ServiceTeamFactory,
    VolunteerProfileFactory,
)
from volunteers.services import activities as services

from .conftest import url

VOLUNTEERS = "/api/v1/volunteers/"


def _count(api, path):
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(path, {"page_size": 50})
    assert response.status_code == 200, response.json()
    return len(ctx.captured_queries), response.json()["count"]


def _same_cost(api, path, grow):
    queries_one, rows_one = _count(api, path)
    grow()
    queries_many, rows_many = _count(api, path)
    assert rows_many >= 30 > rows_one >= 1
    assert queries_many == queries_one, (queries_one, queries_many)


def test_activity_list_queries_constant(api, org, actors, resident):
    ActivityFactory(community=org.community)
    for user in (resident, actors.worker, actors.street_admin):
        api.force_authenticate(user)
        _count(api, "/api/v1/volunteer-activities/")  # warm the per-user scope cache
    api.force_authenticate(resident)
    _same_cost(
        api,
        "/api/v1/volunteer-activities/",
        lambda: ActivityFactory.create_batch(30, community=org.community),
    )


def test_activity_list_queries_constant_for_staff(api, org, actors):
    ActivityFactory(community=org.community, status="draft")
    api.force_authenticate(actors.worker)
    _count(api, "/api/v1/volunteer-activities/")
    _same_cost(
        api,
        "/api/v1/volunteer-activities/",
        lambda: ActivityFactory.create_batch(30, community=org.community),
    )


def test_attendance_and_signup_lists_queries_constant(api, org, actors):
    activity = ActivityFactory(community=org.community, capacity=100)
    people = [verified_resident(org.community, real_name=f"居民{i}") for i in range(31)]

    def attend(batch):
        for person in batch:
            services.signup_create(actor=person, activity=activity)
            with time_machine.travel(activity.starts_at, tick=False):
                services.attendance_check_in(actor=actors.worker, activity=activity, user=person)

    attend(people[:1])
    api.force_authenticate(actors.worker)
    with CaptureQueriesContext(connection) as ctx:
        api.get(url(activity, "attendances/"))
        api.get(url(activity, "signups/"))
    before = len(ctx.captured_queries)
    attend(people[1:])
    with CaptureQueriesContext(connection) as ctx:
        first = api.get(url(activity, "attendances/"), {"page_size": 50})
        second = api.get(url(activity, "signups/"), {"page_size": 50})
    assert first.json()["count"] == 31 and second.json()["count"] == 31
    assert len(ctx.captured_queries) == before


def test_volunteer_team_and_party_lists_queries_constant(api, org, actors, resident):
    def grow(n):
        for _i in range(n):
            profile = VolunteerProfileFactory(community=org.community)
            PartyMemberReportFactory(profile=profile)
            ServiceTeamFactory(community=org.community)

    grow(1)
    for user in (actors.worker, resident):
        api.force_authenticate(user)
        for path in (
            "/api/v1/volunteers/",
            "/api/v1/service-teams/",
            "/api/v1/party-member-reports/",
        ):
            if user is resident and path == VOLUNTEERS:
                continue
            _count(api, path)
    api.force_authenticate(actors.worker)
    costs = {
        path: _count(api, path)[0]
        for path in (
            "/api/v1/volunteers/",
            "/api/v1/service-teams/",
            "/api/v1/party-member-reports/",
        )
    }
    grow(30)
    for path, cost in costs.items():
        queries, rows = _count(api, path)
        assert rows >= 30 and queries == cost, path
    api.force_authenticate(resident)
    queries, rows = _count(api, "/api/v1/party-member-reports/")
    assert rows == 31


@pytest.mark.parametrize("path", ["/api/v1/volunteers/"])
def test_residents_do_not_read_the_register(api, resident, path):
    api.force_authenticate(resident)
    assert api.get(path).status_code == 403
