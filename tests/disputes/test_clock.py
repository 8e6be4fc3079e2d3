"""The follow-up visit clock on the one reminder mechanism: each level once, with frozen time."""

import pytest

from disputes import services
from disputes.models import DisputeCase
from notifications import clocks
from notifications.models import Notification, Reminder
from tests.factories.disputes import case_in

pytestmark = pytest.mark.django_db
KEY = "disputes.case.followup"


def _recipients(level):
    return sorted(
        Notification.objects.filter(kind=f"{KEY}.{level}").values_list(
            "recipient__username", flat=True
        )
    )


def test_due_soon_then_overdue_each_exactly_once(org, actors, people, time_machine):
    time_machine.move_to("2026-03-01 10:00 +0800", tick=False)
    case = case_in(
        DisputeCase.Status.RESOLVED,
        actor=actors.worker,
        owner=people.owner,
        community=org.community,
    )
    # Due 15 days later (2026-03-16 10:00); "due soon" three days before.
    time_machine.move_to("2026-03-13 09:59 +0800", tick=False)
    clocks.reminders_sweep()
    assert not Notification.objects.filter(kind__startswith=KEY).exists()

    time_machine.move_to("2026-03-13 10:01 +0800", tick=False)
    clocks.reminders_sweep()
    clocks.reminders_sweep()
    assert _recipients("due_soon") == ["owner"]
    note = Notification.objects.get(kind=f"{KEY}.due_soon")
    assert str(case.pk) in note.title and "张" not in note.title + note.body

    time_machine.move_to("2026-03-16 10:01 +0800", tick=False)
    clocks.reminders_sweep()
    clocks.reminders_sweep()
    assert _recipients("due_soon") == ["owner"]
    assert _recipients("overdue") == ["owner", "worker"]
    assert Reminder.objects.filter(clock=KEY).count() == 2

    # Visited late: no further reminder, stored as not on time.
    time_machine.move_to("2026-03-17 10:00 +0800", tick=False)
    services.case_record_followup(actor=people.owner, case=case, note="已回访")
    clocks.reminders_sweep()
    assert Notification.objects.filter(kind__startswith=KEY).count() == 3
    assert DisputeCase.objects.get(pk=case.pk).followup_on_time is False


def test_a_case_visited_before_the_warning_is_never_reminded(org, actors, people, time_machine):
    time_machine.move_to("2026-03-01 10:00 +0800", tick=False)
    case_in(
        DisputeCase.Status.FOLLOWED_UP,
        actor=actors.worker,
        owner=people.owner,
        community=org.community,
    )
    time_machine.move_to("2026-04-01 10:00 +0800", tick=False)
    clocks.reminders_sweep()
    assert not Notification.objects.filter(kind__startswith=KEY).exists()
