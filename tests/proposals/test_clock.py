"""The 4-hour first-response clock and the hands-deadline clock, with frozen time."""

import datetime

import pytest

from notifications import clocks
from notifications.models import Notification
from proposals import services
from proposals.models import Topic, TopicEvent

pytestmark = pytest.mark.django_db

FIRST = "proposals.topic.first_response"


def _raise(world):
    return services.topic_raise(
        actor=world.resident, title="路灯不亮", body="小区北门", category=world.category
    )


def _recipients(level):
    return sorted(
        Notification.objects.filter(kind=f"{FIRST}.{level}").values_list(
            "recipient__username", flat=True
        )
    )


def test_reminders_at_3h_and_escalation_at_4h_each_once(world, time_machine):
    time_machine.move_to("2026-11-23 09:00 +0800", tick=False)
    topic = _raise(world)
    assert topic.first_response_due_at == topic.raised_at + datetime.timedelta(hours=4)

    time_machine.move_to("2026-11-23 11:59 +0800", tick=False)
    clocks.reminders_sweep()
    assert Notification.objects.filter(kind__startswith=FIRST).count() == 0

    time_machine.move_to("2026-11-23 12:01 +0800", tick=False)
    clocks.reminders_sweep()
    clocks.reminders_sweep()
    assert _recipients("due_soon") == ["gridleader", "worker"]
    assert Topic.objects.get(pk=topic.pk).escalated_at is None

    time_machine.move_to("2026-11-23 13:01 +0800", tick=False)
    clocks.reminders_sweep()
    clocks.reminders_sweep()
    assert _recipients("due_soon") == ["gridleader", "worker"]
    assert _recipients("overdue") == ["gridleader", "street", "worker"]
    topic.refresh_from_db()
    assert topic.escalated_at is not None
    event = TopicEvent.objects.get(topic=topic, verb="overdue")
    assert event.actor is None and event.is_public
    assert Topic.objects.overdue().filter(pk=topic.pk).exists()

    # answered late: recorded once as not on time
    time_machine.move_to("2026-11-23 14:00 +0800", tick=False)
    topic = services.topic_answer(actor=world.actors.worker, topic=topic, text="已处理")
    assert topic.responded_on_time is False
    clocks.reminders_sweep()
    assert Notification.objects.filter(kind__startswith=FIRST).count() == 5


def test_answered_at_2h_is_on_time_and_never_reminded(world, time_machine):
    time_machine.move_to("2026-11-23 09:00 +0800", tick=False)
    topic = _raise(world)
    time_machine.move_to("2026-11-23 11:00 +0800", tick=False)
    topic = services.topic_answer(actor=world.actors.worker, topic=topic, text="马上修")
    assert topic.responded_on_time is True
    for moment in ("2026-11-23 12:01 +0800", "2026-11-23 13:01 +0800"):
        time_machine.move_to(moment, tick=False)
        clocks.reminders_sweep()
    assert Notification.objects.filter(kind__startswith=FIRST).count() == 0
    assert Topic.objects.get(pk=topic.pk).escalated_at is None


def test_a_topic_raised_with_no_broker_is_found_by_the_sweep(world, time_machine, settings):
    # Nothing is enqueued per topic; the first sweep after the queue is back finds it.
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    time_machine.move_to("2026-11-23 09:00 +0800", tick=False)
    topic = _raise(world)
    time_machine.move_to("2026-11-23 13:30 +0800", tick=False)
    result = clocks.reminders_sweep()
    assert result["sent"] >= 1
    # only the overdue level: a due-soon note after the deadline would be stale
    assert _recipients("due_soon") == []
    assert _recipients("overdue") == ["gridleader", "street", "worker"]
    assert Topic.objects.get(pk=topic.pk).escalated_at is not None


def test_the_policy_hours_are_the_streets_and_stored_at_raise(world, time_machine):
    from proposals.models import ProposalPolicy

    time_machine.move_to("2026-11-23 09:00 +0800", tick=False)
    ProposalPolicy.objects.create(
        street=world.org.street, first_response_hours=2, remind_before_minutes=30
    )
    topic = _raise(world)
    assert (topic.first_response_due_at - topic.raised_at).total_seconds() == 2 * 3600
    assert (topic.first_response_due_at - topic.first_response_remind_at).total_seconds() == 1800


def test_hands_deadline_lapses_through_the_clock(world, time_machine):
    time_machine.move_to("2026-11-23 09:00 +0800", tick=False)
    topic = _raise(world)
    services.topic_open_for_hands(actor=world.actors.worker, topic=topic, threshold=3)
    services.hand_raise(actor=world.resident, topic=topic)
    clocks.reminders_sweep()
    assert Topic.objects.get(pk=topic.pk).state == Topic.State.OPEN_FOR_HANDS
    time_machine.move_to("2026-12-08 09:00 +0800", tick=False)  # default 14 days later
    clocks.reminders_sweep()
    clocks.reminders_sweep()
    topic.refresh_from_db()
    assert topic.state == Topic.State.LAPSED and topic.lapsed_at is not None
    event = TopicEvent.objects.get(topic=topic, verb="lapse")
    assert event.actor is None and "1/3" in event.note
    assert Notification.objects.filter(kind="proposals.topic.hands_deadline.deadline").count() == 2


def test_a_topic_with_the_party_branchs_hand_does_not_lapse(world, time_machine):
    time_machine.move_to("2026-11-23 09:00 +0800", tick=False)
    topic = _raise(world)
    services.topic_open_for_hands(actor=world.actors.worker, topic=topic, threshold=3)
    services.party_branch_hand_raise(actor=world.actors.worker, topic=topic)
    time_machine.move_to("2026-12-20 09:00 +0800", tick=False)
    clocks.reminders_sweep()
    topic.refresh_from_db()
    assert topic.state == Topic.State.OPEN_FOR_HANDS
    services.topic_adopt(actor=world.actors.worker, topic=topic)
    assert Topic.objects.get(pk=topic.pk).state == Topic.State.ADOPTED
