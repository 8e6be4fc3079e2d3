"""The handling deadline plugged into the one reminder sweep: overdue at the deadline to the
department, escalated 24 h later to the street; each level exactly once, even under a double
beat (PostgreSQL threads)."""

import threading

import pytest
from django.db import connection

from cases import services
from cases.models import GridEvent
from notifications import clocks
from notifications.models import Notification, Reminder
from tests.factories.cases import file_event

pytestmark = pytest.mark.django_db
KEY = "cases.grid_event.deadline"


def _recipients(level):
    return sorted(
        Notification.objects.filter(kind=f"{KEY}.{level}").values_list(
            "recipient__username", flat=True
        )
    )


def test_the_clock_is_registered():
    assert KEY in clocks.registered()


def test_overdue_then_escalated_each_once(org, actors, place, time_machine):
    time_machine.move_to("2026-11-23 09:00 +0800", tick=False)
    event = file_event(actors.worker, org.grid, place.urgent)
    services.grid_event_dispatch(actor=actors.worker, event=event)
    event.refresh_from_db()

    time_machine.move_to("2026-11-23 12:59 +0800", tick=False)
    clocks.reminders_sweep()
    assert not Notification.objects.filter(kind__startswith=KEY).exists()

    time_machine.move_to("2026-11-23 13:01 +0800", tick=False)
    clocks.reminders_sweep()
    clocks.reminders_sweep()
    assert _recipients("overdue") == ["cg"]
    assert GridEvent.objects.overdue(now=event.due_at).filter(pk=event.pk).exists()
    step = event.steps.get(verb="overdue")
    assert step.actor is None and not step.is_public

    time_machine.move_to("2026-11-24 13:01 +0800", tick=False)
    clocks.reminders_sweep()
    clocks.reminders_sweep()
    assert _recipients("overdue") == ["cg"]
    assert _recipients("escalated") == ["cg", "gridleader", "street"]
    assert Reminder.objects.filter(clock=KEY).count() == 2


def test_handled_in_time_is_never_reminded(org, actors, place, time_machine):
    from tests.factories.cases import photo

    time_machine.move_to("2026-11-23 09:00 +0800", tick=False)
    event = file_event(actors.worker, org.grid, place.urgent)
    services.grid_event_dispatch(actor=actors.worker, event=event)
    services.grid_event_accept(actor=place.cg_staff, event=event)
    services.grid_event_handle(actor=place.cg_staff, event=event, note="好了", photos=[photo()])
    time_machine.move_to("2026-11-25 09:00 +0800", tick=False)
    clocks.reminders_sweep()
    assert not Notification.objects.filter(kind__startswith=KEY).exists()


def test_returned_event_is_not_overdue(org, actors, place, time_machine):
    time_machine.move_to("2026-11-23 09:00 +0800", tick=False)
    event = file_event(actors.worker, org.grid, place.urgent)
    services.grid_event_dispatch(actor=actors.worker, event=event)
    services.grid_event_return(actor=place.cg_staff, event=event, reason="非本部门")
    time_machine.move_to("2026-11-23 14:00 +0800", tick=False)
    clocks.reminders_sweep()
    assert not Notification.objects.filter(kind__startswith=KEY).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_sweeps_send_each_level_exactly_once(org, actors, place, time_machine):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: row locks with SKIP LOCKED; SQLite serialises writers")
    time_machine.move_to("2026-11-23 09:00 +0800", tick=False)
    events = [file_event(actors.worker, org.grid, place.urgent) for _ in range(10)]
    for event in events:
        services.grid_event_dispatch(actor=actors.worker, event=event)
    time_machine.move_to("2026-11-24 14:00 +0800", tick=False)

    barrier = threading.Barrier(4)
    errors = []

    def sweep():
        try:
            barrier.wait()
            clocks.reminders_sweep()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    clocks.reminders_sweep()
    assert errors == []
    assert Reminder.objects.filter(clock=KEY).count() == 20
    # 10 events: overdue to 1 department staff, escalated to 3 (staff, grid leader, street).
    assert Notification.objects.filter(kind=f"{KEY}.overdue").count() == 10
    assert Notification.objects.filter(kind=f"{KEY}.escalated").count() == 30
    for event in events:
        assert event.steps.filter(verb__in=["overdue", "escalated"]).count() == 2
