"""Reporting upward's dashboard figures: raw counts per community, a fixed number of queries."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboards.periods import SHANGHAI, Period
from grids.models import Community
from reporting import services
from reporting.dashboard import FIGURES, KEYS, figures_by_community
from tests.factories import CommunityFactory
from tests.factories.reporting import mark, move, topic_in

pytestmark = pytest.mark.django_db

MARCH = Period("month", datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))


def at(day):
    return datetime.datetime(2026, 3, day, 10, tzinfo=SHANGHAI)


def test_figures(org, actors, place):
    assert [key for key, *_ in FIGURES] == KEYS
    with time_machine.travel(datetime.datetime(2026, 2, 20, 10, tzinfo=SHANGHAI)):
        early = mark(place.report, actors.street_admin, topic=topic_in(org.community))
    with time_machine.travel(at(2)):
        a = mark(place.report, actors.street_admin, topic=place.topic)
        b = mark(place.report, actors.street_admin, topic=place.sibling_topic)
        c = mark(place.report, actors.street_admin, grid_event=place.event)
        services.report_submit(actor=actors.street_admin, report=place.report)
    with time_machine.travel(at(5)):
        move(a, actors.street_admin, "accepted", "done")
        move(b, actors.street_admin, "not_accepted")
        move(early, actors.street_admin, "accepted")
    with time_machine.travel(datetime.datetime(2026, 4, 2, 10, tzinfo=SHANGHAI)):
        move(c, actors.street_admin, "accepted")  # after the period
    communities = Community.objects.filter(pk__in=[org.community.pk, org.sibling_community.pk])
    figures = figures_by_community(communities=communities, period=MARCH, now=at(30))
    assert figures[org.community.pk] == {
        "upward_items_marked": 2,
        "upward_items_accepted": 2,
        "upward_items_not_accepted": 0,
        "upward_items_done": 1,
    }
    assert figures[org.sibling_community.pk] == {
        "upward_items_marked": 1,
        "upward_items_accepted": 0,
        "upward_items_not_accepted": 1,
        "upward_items_done": 0,
    }


def test_query_count_is_fixed(org):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            figures_by_community(communities=Community.objects.all(), period=MARCH, now=at(30))
        return len(ctx.captured_queries)

    one = count()
    for _ in range(20):
        CommunityFactory(street=org.street)
    assert count() == one == 3
