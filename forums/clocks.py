"""The monthly musts' reminder, plugged into the one reminder sweep (notifications/clocks.py).

From the 25th (local time) of each month, a community still missing a kind of the musts that
month reminds its community workers once. The subject is the community and the level is the
month ("musts:2026-11"): the sweep's unique (clock, subject, level) row makes it exactly once
per community-month. A community that records its last kind before delivery is no longer due
and nobody is told.
"""

import datetime
from zoneinfo import ZoneInfo

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, RoleAssignment
from grids.models import Community
from notifications.clocks import Clock, Message

from .models import MustActivity, MustKind
from .selectors import month_date, month_key

SHANGHAI = ZoneInfo("Asia/Shanghai")
REMIND_ON_DAY = 25
PREFIX = "musts:"


def _level(day: datetime.date) -> str:
    return PREFIX + month_key(day)


class MonthlyMustsClock(Clock):
    key = "forums.monthly_musts"

    @property
    def levels(self):
        # The current month is the only level that can be due: a reminder is about the month
        # still running.
        return (_level(timezone.localdate()),)

    def due(self, *, level, now):
        month = month_date(level.removeprefix(PREFIX))
        today = timezone.localdate(now)
        if today.replace(day=1) != month or today.day < REMIND_ON_DAY:
            return Community.objects.none()
        complete = (
            MustActivity.objects.filter(month=month)
            .values("community_id")
            .annotate(kinds=Count("kind", distinct=True))
            .filter(kinds=len(MustKind.values))
            .values("community_id")
        )
        return Community.objects.exclude(pk__in=complete)

    def due_at(self, subject, level):
        month = month_date(level.removeprefix(PREFIX))
        return datetime.datetime.combine(
            month.replace(day=REMIND_ON_DAY), datetime.time.min, tzinfo=SHANGHAI
        )

    def subjects(self, ids):
        return Community.objects.filter(pk__in=ids)

    def recipients(self, subject, level):
        rows = RoleAssignment.objects.active().filter(role=Role.COMMUNITY_WORKER, community=subject)
        return [row.user for row in rows.select_related("user")]

    def message(self, subject, level):
        month = month_date(level.removeprefix(PREFIX))
        done = set(
            MustActivity.objects.filter(community=subject, month=month).values_list(
                "kind", flat=True
            )
        )
        missing = "、".join(str(MustKind(k).label) for k in MustKind.values if k not in done)
        return Message(
            title=_("本月三必做尚未完成：%(community)s") % {"community": subject.name},
            body=_("%(year)d年%(month)d月还缺：%(missing)s。请在月底前开展并登记。")
            % {"year": month.year, "month": month.month, "missing": missing},
            url="/admin/forums/mustactivity/add/",
        )
