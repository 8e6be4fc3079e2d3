"""List endpoints cost the same number of queries at 1 row and at 50."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from disputes.models import DisputeCase, DisputeParty
from disputes.services import reception_day_schedule
from tests.factories.disputes import DisputeCaseFactory, DisputeSweepFactory

pytestmark = pytest.mark.django_db


def _count(api, path, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(path, {"page_size": 50, **(params or {})})
    assert response.status_code == 200, response.json()
    return len(ctx.captured_queries), response.json()["count"]


def _same_cost(api, path, grow, params=None):
    _count(api, path, params)  # warm the per-user caches (scope)
    one = _count(api, path, params)
    grow()
    many = _count(api, path, params)
    assert many[1] >= 50 > one[1] >= 1, (one, many)
    assert many[0] == one[0], (one, many)


def _cases(org, people, n):
    made = DisputeCaseFactory.create_batch(n, community=org.community, grid=org.grid)
    DisputeCase.objects.filter(pk__in=[c.pk for c in made[::2]]).update(
        status="mediating", owner=people.owner
    )
    for c in made:
        DisputeParty.objects.create(case=c, resident=people.zhang)


@pytest.mark.parametrize("params", [{}, {"followup_first": "true"}])
def test_case_list(api, org, actors, people, params):
    _cases(org, people, 1)
    api.force_authenticate(actors.worker)
    _same_cost(api, reverse("dispute-case-list"), lambda: _cases(org, people, 55), params)


def test_sweep_list(api, org, actors):
    DisputeSweepFactory(grid=org.grid)
    api.force_authenticate(actors.street_admin)
    _same_cost(
        api,
        reverse("dispute-sweep-list"),
        lambda: DisputeSweepFactory.create_batch(55, grid=org.sibling_grid, found_count=0),
    )


def test_reception_roster(api, org, actors, people):
    import datetime

    def add(n, start=0):
        for i in range(start, start + n):
            reception_day_schedule(
                actor=actors.worker,
                community=org.community,
                day=datetime.date(2026, 1, 1) + datetime.timedelta(days=i),
                time_slot="9:00-11:30",
                receivers=[actors.worker, people.owner],
            )

    add(1)
    api.force_authenticate(actors.worker)
    _same_cost(api, reverse("dispute-reception-day-list"), lambda: add(55, start=1))


def test_reception_records(api, org, actors, people):
    import datetime

    from disputes.services import reception_day_schedule, reception_record_add

    slot = reception_day_schedule(
        actor=actors.worker,
        community=org.community,
        day=datetime.date(2026, 1, 5),
        time_slot="9:00",
        receivers=[actors.worker],
    )

    def add(n):
        for i in range(n):
            reception_record_add(
                actor=actors.worker, reception=slot, visitor=f"来访人{i}", matter="x"
            )

    add(1)
    api.force_authenticate(actors.worker)
    _same_cost(api, reverse("dispute-reception-record-list", args=[slot.pk]), lambda: add(55))
