"""Dispute figures: raw counts per community in a fixed number of queries; no names."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboards.periods import SHANGHAI, Period
from disputes import services
from disputes.dashboard import FIGURES, KEYS, by_category, figures_by_community
from disputes.models import DisputeCase
from grids.models import Community
from tests.factories import CommunityFactory
from tests.factories.disputes import case_in

pytestmark = pytest.mark.django_db
S = DisputeCase.Status
MARCH = Period("month", datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))
NOW = datetime.datetime(2026, 4, 10, 12, tzinfo=SHANGHAI)


def test_figures(org, actors, people, time_machine):
    time_machine.move_to("2026-03-02 10:00 +0800", tick=False)
    agreed = case_in(S.CLOSED, actor=actors.worker, owner=people.owner, community=org.community)
    case_in(S.MEDIATING, actor=actors.worker, owner=people.owner, community=org.community)
    case_in(S.CANCELLED, actor=actors.worker, owner=people.owner, community=org.community)
    referred = case_in(
        S.MEDIATING,
        actor=actors.worker,
        owner=people.owner,
        community=org.community,
        category="labour",
    )
    time_machine.move_to("2026-03-06 10:00 +0800", tick=False)
    services.case_record_outcome(
        actor=actors.worker,
        case=referred,
        outcome="referred",
        note="转劳动仲裁",
        referred_to_kind="arbitration",
        referred_to="区劳动仲裁院",
    )
    time_machine.move_to("2026-02-20 10:00 +0800", tick=False)
    case_in(S.INTAKE, actor=actors.worker, owner=people.owner, community=org.community)
    time_machine.move_to(NOW, tick=False)

    with CaptureQueriesContext(connection) as ctx:
        figures = figures_by_community(
            communities=Community.objects.filter(pk=org.community.pk), period=MARCH, now=NOW
        )
    few = len(ctx.captured_queries)
    assert figures[org.community.pk] == {
        "disputes_opened": 3,
        "disputes_resolved": 2,
        "disputes_agreements": 1,
        "disputes_referred": 1,
        # agreed: due 03-17 (visited on the day it was resolved); referred: due 03-21, not yet.
        "disputes_followups_due": 2,
        "disputes_followups_on_time": 1,
        "disputes_resolve_days_total": 4,
    }
    assert set(KEYS) == {k for k, _l, _d in FIGURES}
    assert agreed.followup_on_time is True

    CommunityFactory.create_batch(5, street=org.street)
    with CaptureQueriesContext(connection) as ctx:
        many = figures_by_community(
            communities=Community.objects.filter(street=org.street), period=MARCH, now=NOW
        )
    assert len(ctx.captured_queries) == few
    assert many[org.sibling_community.pk] == dict.fromkeys(KEYS, 0)
    assert "张" not in str(many)

    cats = by_category(Community.objects.filter(street=org.street), MARCH, now=NOW)
    assert cats["neighbour"] == {"opened": 2, "agreement": 1, "referred": 0, "withdrawn": 0}
    assert cats["labour"] == {"opened": 1, "agreement": 0, "referred": 1, "withdrawn": 0}
