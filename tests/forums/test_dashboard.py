"""forums.dashboard: raw counts per community, a fixed number of queries."""

import datetime

import pytest
import time_machine

from dashboards.periods import parse_period
from forums import dashboard, services
from forums.models import MustActivity
from grids.models import Community
from tests.factories.forums import MeetingFactory, joint_forum

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 20, 4, 0, tzinfo=datetime.UTC)


def _must(community, day, kind):
    MustActivity.objects.create(
        community=community, kind=kind, held_on=day, month=day.replace(day=1), title="t"
    )


@time_machine.travel(NOW, tick=False)
def test_figures(org, actors, forum, django_assert_num_queries):
    october = datetime.datetime(2026, 10, 12, 2, 0, tzinfo=datetime.UTC)
    meeting = MeetingFactory(forum=forum, held_at=october)
    services.meeting_hold(
        actor=actors.worker, meeting=meeting, minutes="纪要", present_members=[forum.chair]
    )
    joint, members = joint_forum(org.community)
    joint_meeting = MeetingFactory(forum=joint, held_at=october)
    services.meeting_hold(
        actor=actors.worker, meeting=joint_meeting, minutes="纪要", present_members=members.values()
    )
    MeetingFactory(forum=forum, held_at=october)  # scheduled: not counted
    for kind in ("moral_review", "deliberation", "policy_talk"):
        _must(org.community, datetime.date(2026, 9, 3), kind)
    _must(org.community, datetime.date(2026, 10, 3), "moral_review")
    _must(org.community, datetime.date(2026, 10, 4), "moral_review")  # same kind: counted once
    _must(org.community, datetime.date(2026, 11, 3), "deliberation")
    period = parse_period("custom", date_from="2026-09-01", date_to="2026-11-30")
    communities = Community.objects.filter(street=org.street)
    with django_assert_num_queries(3):
        figures = dashboard.figures_by_community(communities=communities, period=period, now=NOW)
    assert figures[org.community.pk] == {
        "forum_meetings": 2,
        "joint_meetings": 1,
        "musts_done": 5,
        "musts_missed_months": 1,  # October; November is still running
    }
    assert figures[org.sibling_community.pk] == {
        "forum_meetings": 0,
        "joint_meetings": 0,
        "musts_done": 0,
        "musts_missed_months": 2,
    }
    assert {key for key, _l, _d in dashboard.FIGURES} == set(figures[org.community.pk])


@time_machine.travel(NOW, tick=False)
def test_query_count_does_not_grow(org, django_assert_num_queries):
    from tests.factories import CommunityFactory

    period = parse_period("month", date="2026-10")
    for _i in range(20):
        CommunityFactory(street=org.street)
    with django_assert_num_queries(3):
        figures = dashboard.figures_by_community(
            communities=Community.objects.all(), period=period, now=NOW
        )
    assert len(figures) == Community.objects.count()
