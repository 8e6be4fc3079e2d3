"""The board's dashboard figures: raw counts per community, in a fixed number of queries."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from board import services
from board.dashboard import FIGURES, KEYS, figures_by_community
from board.models import Consultation, Notice
from board.selectors import consultation_results
from dashboards.periods import SHANGHAI, Period
from grids.models import Community
from tests.factories import CommunityFactory
from tests.factories.board import ConsultationFactory, NoticeFactory, add_questions, board_resident

from .conftest import answers

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
MARCH = Period("month", datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))


def at(day, hour=10):
    return datetime.datetime(2026, 3, day, hour, tzinfo=SHANGHAI)


def _notice(actor, community, **fields):
    notice = NoticeFactory(community=community, **fields)
    services.notice_publish(actor=actor, notice=notice)
    return notice


def _consultation(actor, community, *, closes, **fields):
    c = ConsultationFactory(
        community=community,
        opens_at=at(1),
        closes_at=closes,
        **fields,
    )
    c.single, c.multiple, c.text = add_questions(c)
    services.consultation_publish(actor=actor, consultation=c)
    c.refresh_from_db()
    return c


def test_figures_count_what_the_contract_says(org, actors, place):
    offline = place.sun
    with time_machine.travel(at(2), tick=False):
        # given: notices — two went up in March, one before it, a draft, one scheduled past
        # the end of the period, one withdrawn before it went up, one street-wide
        _notice(actors.worker, org.community)
        later_withdrawn = _notice(actors.worker, org.community)
        services.notice_withdraw(actor=actors.worker, notice=later_withdrawn, reason="有误")
        NoticeFactory(community=org.community)  # draft
        _notice(actors.worker, org.community, publish_at=at(31, 23) + datetime.timedelta(hours=2))
        never_up = _notice(actors.worker, org.community, publish_at=at(20))
        services.notice_withdraw(actor=actors.worker, notice=never_up, reason="取消")
        _notice(actors.street_admin, None, audience="street", street=org.street)
        _notice(actors.other_worker, org.sibling_community)
        # consultations: per resident (closes in March), per household (closes in March),
        # cancelled, one closing in April, and one of the other community
        per_resident = _consultation(actors.worker, org.community, closes=at(5))
        per_household = _consultation(
            actors.worker, org.community, closes=at(6), one_per=Consultation.OnePer.HOUSEHOLD
        )
        cancelled = _consultation(actors.worker, org.community, closes=at(7))
        services.consultation_cancel(actor=actors.worker, consultation=cancelled, reason="重复")
        april = _consultation(
            actors.worker, org.community, closes=at(31) + datetime.timedelta(days=3)
        )
        other = _consultation(actors.other_worker, org.sibling_community, closes=at(8))
        services.consultation_respond(
            actor=place.alice, consultation=per_resident, answers=answers(per_resident)
        )
        services.consultation_respond(
            actor=place.carol, consultation=per_resident, answers=answers(per_resident)
        )
        services.consultation_paper_response(
            actor=actors.worker,
            consultation=per_resident,
            resident=offline,
            answers=answers(per_resident),
        )
        services.consultation_respond(
            actor=place.bob, consultation=per_household, answers=answers(per_household)
        )
        services.consultation_respond(actor=place.alice, consultation=april, answers=answers(april))
        services.consultation_respond(actor=place.olga, consultation=other, answers=answers(other))
    before = NoticeFactory(community=org.community)
    services.notice_publish(actor=actors.worker, notice=before)
    Notice.objects.filter(pk=before.pk).update(publish_at=at(1) - datetime.timedelta(days=2))

    # when
    both = [org.community.pk, org.sibling_community.pk]
    with time_machine.travel(at(31, 20), tick=False):
        figures = figures_by_community(
            communities=Community.objects.filter(pk__in=both),
            period=MARCH,
            now=at(31, 20),
        )
        eligible = [
            consultation_results(c)["turnout"]["eligible"] for c in (per_resident, per_household)
        ]

    # then
    assert figures[org.community.pk] == {
        "notices_published": 2,
        "consultations_closed": 2,
        "consultation_responses": 4,
        "consultation_eligible": sum(eligible),
        "paper_responses": 1,
    }
    # alice, bob, carol, erin (dave is pending, no resident link), sun; households 1-3
    assert eligible == [6, 3]
    assert figures[org.sibling_community.pk] == {
        "notices_published": 1,
        "consultations_closed": 1,
        "consultation_responses": 1,
        "consultation_eligible": 1,
        "paper_responses": 0,
    }
    assert [key for key, _label, _definition in FIGURES] == KEYS


def test_a_community_without_anything_reads_zeros(org):
    figures = figures_by_community(
        communities=Community.objects.filter(pk=org.community.pk).values("pk"),
        period=MARCH,
        now=at(31),
    )
    assert figures == {org.community.pk: dict.fromkeys(KEYS, 0)}


def _busy_community(street):
    from accounts.models import Role
    from tests.factories import UserFactory, grant

    community = CommunityFactory(street=street)
    worker = grant(UserFactory(), Role.COMMUNITY_WORKER, community)
    resident = board_resident(community)
    with time_machine.travel(at(2), tick=False):
        _notice(worker, community)
        c = _consultation(worker, community, closes=at(5))
        services.consultation_respond(actor=resident, consultation=c, answers=answers(c))
    return community


def test_the_query_count_does_not_grow_with_the_communities(org):
    first = _busy_community(org.street)

    def cost(pks):
        with CaptureQueriesContext(connection) as ctx:
            figures = figures_by_community(
                communities=Community.objects.filter(pk__in=pks), period=MARCH, now=at(31)
            )
        assert all(row["consultation_responses"] == 1 for row in figures.values())
        return len(ctx.captured_queries)

    one = cost([first.pk])
    many = cost([first.pk] + [_busy_community(org.street).pk for _ in range(4)])
    assert one == many == 6
