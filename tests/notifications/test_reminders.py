"""The reminder sweep: each level exactly once, whatever the scheduler does."""

import datetime
import threading

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from notifications import clocks
from notifications.models import Notification, Reminder
from residents.models import Resident
from tests.factories import ResidentFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=False)

HOUR = datetime.timedelta(hours=1)


class RecordAgeClock(clocks.Clock):
    """A clock over resident records for the mechanism's own tests: 'soon' one hour after a
    record was made, 'late' after two; a record with notes counts as handled."""

    key = "tests.resident.age"
    levels = ("soon", "late")

    def __init__(self, recipients):
        self._recipients = recipients

    def _after(self, level):
        return HOUR if level == "soon" else 2 * HOUR

    def due(self, *, level, now):
        return Resident.objects.filter(created_at__lte=now - self._after(level), notes="")

    def due_at(self, subject, level):
        return subject.created_at + self._after(level)

    def subjects(self, ids):
        return Resident.objects.filter(pk__in=ids)

    def recipients(self, subject, level):
        return self._recipients

    def message(self, subject, level):
        return clocks.Message(title=f"{subject.name} {level}", body="请处理", url="/admin/")


@pytest.fixture
def clock(db):
    worker = UserFactory(email="worker@example.org", is_staff=True)
    other = UserFactory(email="", is_staff=True)
    c = clocks.register(RecordAgeClock([worker, other, worker]))
    yield c
    clocks.unregister(c.key)


def test_nothing_due_nothing_sent(clock):
    ResidentFactory()
    assert clocks.reminders_sweep() == {"scheduled": 0, "sent": 0}


def test_each_level_goes_out_once_even_when_swept_repeatedly(clock, time_machine):
    time_machine.move_to("2026-11-23 09:00 +0800", tick=False)
    resident = ResidentFactory(name="张三")
    time_machine.move_to("2026-11-23 10:01 +0800", tick=False)
    assert clocks.reminders_sweep() == {"scheduled": 1, "sent": 1}
    assert clocks.reminders_sweep() == {"scheduled": 0, "sent": 0}
    time_machine.move_to("2026-11-23 11:30 +0800", tick=False)
    clocks.reminders_sweep()
    clocks.reminders_sweep()
    levels = list(Reminder.objects.filter(subject_id=resident.pk).values_list("level", flat=True))
    assert sorted(levels) == ["late", "soon"]
    # Two distinct recipients (the duplicate collapsed), one inbox row each per level.
    assert Notification.objects.count() == 4
    assert {n.title for n in Notification.objects.all()} == {"张三 soon", "张三 late"}


def test_email_goes_to_recipients_with_an_address(
    clock, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to("2026-11-23 09:00 +0800", tick=False)
    ResidentFactory(name="李四")
    time_machine.move_to("2026-11-23 10:05 +0800", tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        clocks.reminders_sweep()
    assert [m.to for m in mail.outbox] == [["worker@example.org"]]
    assert mail.outbox[0].subject == "李四 soon"


def test_subject_no_longer_due_at_delivery_is_closed_silently(clock, time_machine):
    time_machine.move_to("2026-11-23 09:00 +0800", tick=False)
    resident = ResidentFactory()
    time_machine.move_to("2026-11-23 10:05 +0800", tick=False)
    clocks.reminders_schedule()
    Resident.objects.filter(pk=resident.pk).update(notes="已处理")
    assert clocks.reminders_deliver() == 1
    assert Notification.objects.count() == 0
    assert Reminder.objects.get().sent_at is not None


def test_a_subject_made_while_the_broker_was_down_is_still_reminded(clock, time_machine):
    # Nothing is enqueued per subject: the sweep reads the table, so a record saved while no
    # worker or broker ran is found by the first sweep after they return.
    time_machine.move_to("2026-11-23 09:00 +0800", tick=False)
    ResidentFactory()
    time_machine.move_to("2026-11-23 13:00 +0800", tick=False)
    assert clocks.reminders_sweep()["sent"] == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_sweeps_send_each_level_exactly_once(clock):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: row locks with SKIP LOCKED; SQLite serialises writers")
    old = timezone.now() - 3 * HOUR
    residents = [ResidentFactory() for _ in range(20)]
    Resident.objects.filter(pk__in=[r.pk for r in residents]).update(created_at=old)

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
    assert Reminder.objects.count() == 40
    # 20 subjects × 2 levels × 2 recipients, never more.
    assert Notification.objects.count() == 80
