"""The dashboard contract: raw counts per community, a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cadres import services
from cadres.dashboard import FIGURES, KEYS, figures_by_community
from cadres.models import ReviewRound
from dashboards.periods import Period
from grids.models import Community
from tests.factories import CommunityFactory
from tests.factories.board import board_resident
from tests.factories.cadres import ReviewRoundFactory, add_cadres

from .conftest import vote_all

pytestmark = pytest.mark.django_db


def _period():
    today = timezone.localdate()
    return Period("month", today.replace(day=1), today)


def _closed_round(community, actor, voters, values, year=None):
    r = ReviewRoundFactory(community=community, year=year or timezone.now().year)
    add_cadres(r)
    services.round_open(actor=actor, round=r)
    vote_all(r, voters, values)
    services.round_close(actor=actor, round=r)
    return r


def test_figures(org, actors):
    voters = [board_resident(org.community) for _ in range(6)]
    few = [board_resident(org.sibling_community) for _ in range(2)]
    board_resident(org.sibling_community)  # eligible, did not take part
    _closed_round(org.community, actors.worker, voters, [3, 2, 3])
    _closed_round(org.sibling_community, actors.street_admin, few, [3, 3, 3])
    # Last year's round, closed long ago: outside the period.
    old = _closed_round(org.community, actors.worker, voters[:5], [3, 3, 3], year=2020)
    ReviewRound.objects.filter(pk=old.pk).update(
        closed_at=timezone.now() - datetime.timedelta(days=400)
    )
    communities = Community.objects.filter(street=org.street)
    figures = figures_by_community(communities=communities, period=_period(), now=timezone.now())
    assert figures[org.community.pk] == {
        "cadre_rounds_closed": 1,
        "cadre_participants": 6,
        "cadre_eligible": 6,
        "cadre_satisfied_scores": 12,
        "cadre_scores": 18,
    }
    # Below the minimum: turnout counted, scores not.
    assert figures[org.sibling_community.pk] == {
        "cadre_rounds_closed": 1,
        "cadre_participants": 2,
        "cadre_eligible": 3,
        "cadre_satisfied_scores": 0,
        "cadre_scores": 0,
    }
    assert [k for k, _l, _d in FIGURES] == KEYS


def test_query_count_does_not_grow_with_communities(org, actors):
    def run():
        with CaptureQueriesContext(connection) as ctx:
            figures_by_community(
                communities=Community.objects.filter(street=org.street),
                period=_period(),
                now=timezone.now(),
            )
        return len(ctx.captured_queries)

    few = run()
    for _ in range(10):
        CommunityFactory(street=org.street)
    assert run() == few <= 3
