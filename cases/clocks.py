"""The grid event's handling deadline, plugged into the one reminder sweep
(notifications/clocks.py), as proposals plugs in the topic's 4-hour clock.

- "overdue" at the stored deadline (due_at): the department's staff are reminded, and the
  event's internal timeline notes it.
- "escalated" 24 hours later, if the department still has it: the department's staff again and
  the street's admins.
Both read stored timestamps only (GridEvent.objects.overdue); the sweep's unique Reminder row
per (clock, event, level) makes each level go out exactly once, even under a double beat.
"""

import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, RoleAssignment
from notifications.clocks import Clock, Message

from .models import DepartmentStaff, GridEvent

OVERDUE, ESCALATED = "overdue", "escalated"
# How long past the deadline before the street is told.
ESCALATE_AFTER = datetime.timedelta(hours=24)


class GridEventDeadlineClock(Clock):
    key = "cases.grid_event.deadline"
    levels = (OVERDUE, ESCALATED)

    def due(self, *, level, now):
        if level == OVERDUE:
            return GridEvent.objects.overdue(now=now)
        return GridEvent.objects.overdue(now=now - ESCALATE_AFTER)

    def due_at(self, subject, level):
        return subject.due_at if level == OVERDUE else subject.due_at + ESCALATE_AFTER

    def subjects(self, ids):
        return GridEvent.objects.filter(pk__in=ids).select_related(
            "community__street", "department", "category", "grid"
        )

    def recipients(self, subject, level):
        users = [
            m.user
            for m in DepartmentStaff.objects.filter(
                department_id=subject.department_id, is_active=True
            ).select_related("user")
        ]
        if level == ESCALATED:
            rows = (
                RoleAssignment.objects.active()
                .filter(
                    Q(role=Role.STREET_ADMIN, street_id=subject.community.street_id)
                    | Q(role=Role.GRID_LEADER, grid_id=subject.grid_id)
                )
                .select_related("user")
            )
            users.extend(r.user for r in rows)
        return users

    def message(self, subject, level):
        due = timezone.localtime(subject.due_at).strftime("%m-%d %H:%M")
        values = {
            "event": str(subject),
            "department": subject.department.name,
            "community": subject.community.name,
            "due": due,
        }
        if level == OVERDUE:
            title = _("网格事件已超时：%(event)s") % values
            body = _("%(community)s 派给%(department)s的事件须在 %(due)s 前处置，已超时。") % values
        else:
            title = _("网格事件超时 24 小时，已上报街道：%(event)s") % values
            body = (
                _("%(community)s 派给%(department)s的事件处置时限为 %(due)s，仍未处置。") % values
            )
        return Message(title=title, body=body, url=f"/admin/cases/gridevent/{subject.pk}/change/")

    def on_fire(self, subject, level, *, now):
        from .services import grid_event_mark_overdue

        grid_event_mark_overdue(event=subject, level=level, now=now)
