"""The demo's forums (core.demo.forums): built through the real services on a small demo."""

import pytest

import core.demo.forums as demo_forums
from core.demo.builder import DemoBuilder
from forums.models import Decision, Forum, Meeting, MustActivity
from forums.selectors import month_key, musts_status
from proposals.models import TopicEvent

pytestmark = pytest.mark.django_db

SEED = 20260101


@pytest.fixture
def built(monkeypatch):
    # If the builder already calls build_forums, build the rest first and the forums here.
    monkeypatch.setattr(demo_forums, "build_forums", lambda built, *, seed: {})
    built = DemoBuilder(residents=300, seed=SEED).build()
    monkeypatch.undo()
    return built


def test_the_demo_forums(built):
    extra = demo_forums.build_forums(built, seed=SEED)
    assert set(extra["forums"]) == set(Forum.Kind.values)
    assert set(extra["forum_meetings"]) == set(Meeting.Status.values)
    assert extra["forum_topic_decisions"] >= 4
    assert extra["musts_recorded"] > 30 and extra["musts_missed_months"] >= 2
    lines = demo_forums.summary_lines(extra)
    assert any("议事平台" in line for line in lines)

    # Held meetings have minutes and decisions; linked topics carry the line on their timeline.
    for meeting in Meeting.objects.held():
        assert meeting.minutes and meeting.attendance.filter(present=True).exists()
    linked = Decision.objects.filter(topic__isnull=False)
    assert TopicEvent.objects.filter(verb="forum_decision").count() == linked.count()
    assert set(Decision.objects.values_list("follow_up", flat=True)) >= {"done", "pending"}
    assert Meeting.objects.get(status="cancelled").cancel_reason
    # Every joint meeting had the three bodies at the table.
    for meeting in Meeting.objects.held().filter(forum__kind="joint_meeting"):
        bodies = set(meeting.attendance.filter(present=True).values_list("represents", flat=True))
        assert {"neighbourhood_committee", "owners_committee", "property_company"} <= bodies
    # Each community with musts misses one ended month somewhere.
    community_ids = set(MustActivity.objects.values_list("community_id", flat=True))
    months = sorted({month_key(m) for m in MustActivity.objects.values_list("month", flat=True)})
    statuses = musts_status(community_ids, months)
    for cid in community_ids:
        assert any(statuses[(cid, m)].missed for m in months), cid

    from core.demo.reset import delete_demo

    assert delete_demo()
    assert not Forum.objects.exists() and not Meeting.objects.exists()
    assert not MustActivity.objects.exists()
