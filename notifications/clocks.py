"""The reminder sweep, built once; each kind of deadline plugs in a `Clock`.

A clock says, for each of its levels, which subjects are due now and not yet reminded (from
their stored timestamps, never a flag), who is told, what they are told, and what else happens
at that level (a topic marked overdue, an escalation). The sweep (`reminders_sweep`, run each
minute by Celery beat) does the rest: it records one `Reminder` row per (clock, subject, level)
— the unique constraint makes that exactly once — and delivers the unsent ones under
`select_for_update(skip_locked=True)`, so that two sweeps at once never send a level twice and
nothing is lost if the broker was down when the subject was created: the database is the
source of truth, not a per-subject message.

Register a clock in the owning app's `AppConfig.ready()`: `register(TopicFirstResponseClock())`.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from .models import Reminder
from .services import notify

_registry: dict[str, "Clock"] = {}


@dataclass(frozen=True)
class Message:
    title: str
    body: str = ""
    url: str = ""


class Clock:
    key: str = ""
    levels: tuple[str, ...] = ()

    def due(self, *, level, now):
        """A queryset of subjects due at `level` by `now` (already reminded ones are excluded
        by the sweep)."""
        raise NotImplementedError

    def due_at(self, subject, level):
        raise NotImplementedError

    def subjects(self, ids):
        """The subjects for delivery, with what `recipients` and `message` need loaded."""
        raise NotImplementedError

    def recipients(self, subject, level):
        raise NotImplementedError

    def message(self, subject, level) -> Message:
        raise NotImplementedError

    def on_fire(self, subject, level, *, now):
        """What else happens at this level, in the delivering transaction (optional)."""


def register(clock: Clock) -> Clock:
    _registry[clock.key] = clock
    return clock


def unregister(key: str) -> None:
    _registry.pop(key, None)


def registered() -> dict[str, Clock]:
    return dict(_registry)


def reminders_schedule(*, now=None, batch=500) -> int:
    """Record a Reminder row for every subject newly due at each level. Idempotent."""
    now = now or timezone.now()
    made = 0
    for clock in _registry.values():
        for level in clock.levels:
            reminded = Reminder.objects.filter(clock=clock.key, level=level).values("subject_id")
            subjects = clock.due(level=level, now=now).exclude(pk__in=reminded)[:batch]
            rows = [
                Reminder(
                    clock=clock.key, subject_id=s.pk, level=level, due_at=clock.due_at(s, level)
                )
                for s in subjects
            ]
            # ignore_conflicts: a concurrent sweep that inserted the same row first wins.
            Reminder.objects.bulk_create(rows, ignore_conflicts=True)
            made += len(rows)
    return made


def reminders_deliver(*, now=None, batch=200) -> int:
    """Deliver unsent reminders. Each row is claimed under a row lock that other sweeps skip,
    and stamped sent in the same transaction as the inbox rows: exactly once per level."""
    now = now or timezone.now()
    sent = 0
    with transaction.atomic():
        claimed = list(
            Reminder.objects.select_for_update(skip_locked=True)
            .filter(sent_at__isnull=True, clock__in=list(_registry))
            .order_by("due_at")[:batch]
        )
        groups: dict[tuple[str, str], list[Reminder]] = {}
        for reminder in claimed:
            groups.setdefault((reminder.clock, reminder.level), []).append(reminder)
        for (key, level), reminders in groups.items():
            clock = _registry[key]
            ids = [r.subject_id for r in reminders]
            # A subject answered between scheduling and delivery is no longer due: its row is
            # closed with nobody told.
            still_due = set(
                clock.due(level=level, now=now).filter(pk__in=ids).values_list("pk", flat=True)
            )
            subjects = {s.pk: s for s in clock.subjects([i for i in ids if i in still_due])}
            for reminder in reminders:
                subject = subjects.get(reminder.subject_id)
                if subject is not None:
                    clock.on_fire(subject, level, now=now)
                    msg = clock.message(subject, level)
                    created = notify(
                        recipients=clock.recipients(subject, level),
                        kind=f"{key}.{level}",
                        title=msg.title,
                        body=msg.body,
                        url=msg.url,
                        subject=subject,
                        reminder=reminder,
                    )
                    reminder.recipients_count = len(created)
                reminder.sent_at = now
                reminder.save(update_fields=["sent_at", "recipients_count"])
                sent += 1
    return sent


def reminders_sweep(*, now=None) -> dict:
    now = now or timezone.now()
    return {"scheduled": reminders_schedule(now=now), "sent": reminders_deliver(now=now)}
