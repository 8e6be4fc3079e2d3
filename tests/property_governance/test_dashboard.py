"""The dashboard contract: raw counts per community in a fixed number of queries."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dashboards.periods import Period
from grids.models import Community
from property_governance import dashboard, services
from tests.factories.board import CompoundFactory
from tests.factories.property_governance import OwnersCommitteeFactory, PropertyAreaFactory

from .conftest import candidates

pytestmark = pytest.mark.django_db


def test_figures(place, actors, org, voting):
    services.election_vote(
        actor=place.alice, election=voting, candidates=[candidates(voting)[0].pk]
    )
    with time_machine.travel(voting.closes_at + datetime.timedelta(minutes=1), tick=False):
        services.election_count(actor=actors.worker, election=voting)
    areas = [
        PropertyAreaFactory(
            community=org.community, compounds=[CompoundFactory(community=org.community)]
        )
        for _ in range(2)
    ]
    for area in areas:
        OwnersCommitteeFactory(area=area)
    services.merge_areas(
        actor=actors.worker,
        areas=areas,
        name="合并区",
        merged_on=timezone.localdate(),
        reason="联小建大",
    )
    period = Period(
        "custom",
        timezone.localdate() - datetime.timedelta(days=1),
        (voting.closes_at + datetime.timedelta(days=1)).date(),
    )
    communities = Community.objects.filter(pk__in=[org.community.pk, org.sibling_community.pk])
    with CaptureQueriesContext(connection) as ctx:
        figures = dashboard.figures_by_community(
            communities=communities, period=period, now=timezone.now()
        )
    assert len(ctx.captured_queries) == 4
    assert figures[org.community.pk] == {
        "elections_held": 1,
        "election_ballots": 1,
        "election_eligible_households": 3,
        "merges": 1,
        # area A's outgoing committee (its successor's term starts after the period) and the
        # committees of the two merged areas (an area merge leaves its committees as they are)
        "committees_serving": 3,
    }
    assert figures[org.sibling_community.pk] == dict.fromkeys(dashboard.KEYS, 0)
    assert [key for key, *_ in dashboard.FIGURES] == dashboard.KEYS
