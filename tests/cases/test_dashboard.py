"""The dashboard contract: raw counts per community in the period, in a fixed number of
queries whatever the number of communities."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases import dashboard, services
from dashboards.periods import Period
from grids.models import Community
from tests.factories import CommunityFactory
from tests.factories.cases import advance, file_event, photo

pytestmark = pytest.mark.django_db
NOVEMBER = Period("month", datetime.date(2026, 11, 1), datetime.date(2026, 11, 30))


def test_figures(org, actors, place, time_machine):
    time_machine.move_to("2026-11-23 09:00 +0800", tick=False)
    closed = file_event(actors.worker, org.grid, place.weekly)
    advance(closed, "handled", grid_actor=actors.worker, department_actor=place.cg_staff)
    services.grid_event_check_fail(actor=actors.worker, event=closed, reason="未修好")
    services.grid_event_handle(actor=place.cg_staff, event=closed, note="修好", photos=[photo()])
    services.grid_event_check_pass(actor=actors.worker, event=closed)
    returned = file_event(actors.worker, org.grid, place.weekly)
    advance(returned, "returned", grid_actor=actors.worker, department_actor=place.cg_staff)
    late = file_event(actors.worker, org.grid, place.urgent)
    advance(late, "accepted", grid_actor=actors.worker, department_actor=place.cg_staff)
    time_machine.move_to("2026-11-23 15:00 +0800", tick=False)
    services.grid_event_handle(actor=place.cg_staff, event=late, note="迟了", photos=[photo()])
    file_event(actors.other_worker, org.other_community_grid, place.weekly)
    # Filed in October: outside the period.
    time_machine.move_to("2026-10-20 09:00 +0800", tick=False)
    file_event(actors.worker, org.grid, place.weekly)

    figures = dashboard.figures_by_community(
        communities=Community.objects.filter(street=org.street).values("pk"),
        period=NOVEMBER,
        now=NOVEMBER.end,
    )
    assert figures[org.community.pk] == {
        "events_filed": 3,
        "events_closed": 1,
        "events_handled": 2,
        "events_handled_on_time": 1,
        "events_returned": 1,
        "events_reopened": 1,
        "events_cleared_within_week": 1,
    }
    assert figures[org.sibling_community.pk]["events_filed"] == 1
    assert set(figures[org.sibling_community.pk]) == set(dashboard.KEYS)
    assert {key for key, _label, _definition in dashboard.FIGURES} == set(dashboard.KEYS)


def test_query_count_does_not_grow_with_communities(org, actors, place):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            dashboard.figures_by_community(
                communities=Community.objects.values("pk"), period=NOVEMBER, now=NOVEMBER.end
            )
        return len(ctx.captured_queries)

    few = count()
    for _ in range(5):
        CommunityFactory(street=org.street)
    assert count() == few == 2
