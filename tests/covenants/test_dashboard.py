"""The covenants' dashboard figures: raw counts per community, in a fixed number of queries."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from covenants import services
from covenants.dashboard import FIGURES, KEYS, figures_by_community
from dashboards.periods import SHANGHAI, Period
from grids.models import Community
from tests.factories import CommunityFactory
from tests.factories.covenants import CovenantFactory, to_state

pytestmark = pytest.mark.django_db

MARCH = Period("month", datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))


def at(month, day):
    return datetime.datetime(2026, month, day, 10, tzinfo=SHANGHAI)


def _adopted(org, actors, signers, *, month, day, community=None):
    covenant = CovenantFactory(community=community or org.community)
    with time_machine.travel(at(month, day - 2), tick=False):
        to_state(covenant, actors.worker, "signing")
    with time_machine.travel(at(month, day - 1), tick=False):
        for user in signers:
            services.covenant_sign(actor=user, covenant=covenant)
    with time_machine.travel(at(month, day), tick=False):
        services.covenant_decide(actor=actors.worker, covenant=covenant)
    return covenant


def test_figures(org, actors, place):
    signers = [place.alice, place.carol]
    _adopted(org, actors, signers, month=3, day=10)  # adopted in March: 2 signatures
    repealed = _adopted(org, actors, signers, month=2, day=10)
    with time_machine.travel(at(3, 20), tick=False):
        services.covenant_repeal(actor=actors.worker, covenant=repealed, reason="改造")
    amended = _adopted(org, actors, signers, month=2, day=12)
    with time_machine.travel(at(3, 1), tick=False):
        services.covenant_amend(
            actor=actors.worker, covenant=amended, text_html="<p>二</p>", change_summary="改"
        )
        to_state(amended, actors.worker, "signing")
    with time_machine.travel(at(3, 5), tick=False):
        services.covenant_sign(actor=place.bob, covenant=amended)
        services.covenant_sign(actor=place.erin, covenant=amended)
        services.covenant_decide(actor=actors.worker, covenant=amended)
    # Not adopted in March: counts nowhere but its signature.
    failed = CovenantFactory(community=org.community)
    with time_machine.travel(at(3, 15), tick=False):
        to_state(failed, actors.worker, "signing")
        services.covenant_sign(actor=place.alice, covenant=failed)
        services.covenant_decide(actor=actors.worker, covenant=failed)
    empty = CommunityFactory(street=org.street)
    with time_machine.travel(at(4, 15), tick=False):
        figures = figures_by_community(
            communities=Community.objects.filter(pk__in=[org.community.pk, empty.pk]),
            period=MARCH,
            now=at(4, 15),
        )
    assert figures[org.community.pk] == {
        "covenants_in_force": 2,  # the March one and the amended one (not the repealed)
        "covenants_adopted": 2,  # the March one and the amendment
        "covenant_signatures": 5,  # 2 + 2 + 1 in March
    }
    assert figures[empty.pk] == dict.fromkeys(KEYS, 0)
    assert [key for key, _label, _definition in FIGURES] == KEYS


def test_query_count_does_not_grow_with_communities(org, actors):
    now = at(4, 1)

    def count(n):
        communities = [CommunityFactory(street=org.street) for _i in range(n)]
        with CaptureQueriesContext(connection) as ctx:
            figures_by_community(
                communities=Community.objects.filter(pk__in=[c.pk for c in communities]),
                period=MARCH,
                now=now,
            )
        return len(ctx.captured_queries)

    assert count(1) == count(20) == 4
