"""The owners' committee term-end clock, plugged into the one reminder sweep
(notifications/clocks.py): 90 and 30 days before a serving committee's term ends, the
community's workers and the street's admins are reminded to prepare the election 换届.

Levels are windows of the stored `term_ends_on` (local dates): "90_days" while the end is 31 to
90 days away, "30_days" from 30 days to the day itself. A committee first seen inside 30 days
gets the 30-day level only. The sweep guarantees each level once per committee.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.clocks import Clock, Message

from .models import OwnersCommittee
from .services._common import community_staff

DAYS_90, DAYS_30 = "90_days", "30_days"
WINDOWS = {DAYS_90: (31, 90), DAYS_30: (0, 30)}


def _local_midnight(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class CommitteeTermEndClock(Clock):
    key = "property_governance.committee.term_end"
    levels = (DAYS_90, DAYS_30)

    def due(self, *, level, now):
        today = timezone.localdate(now)
        low, high = WINDOWS[level]
        return OwnersCommittee.objects.term_ending_between(
            today + datetime.timedelta(days=low), today + datetime.timedelta(days=high)
        )

    def due_at(self, subject, level):
        days = WINDOWS[level][1]
        return _local_midnight(subject.term_ends_on - datetime.timedelta(days=days))

    def subjects(self, ids):
        return OwnersCommittee.objects.filter(pk__in=ids).select_related("area__community")

    def recipients(self, subject, level):
        return community_staff(subject.area.community)

    def message(self, subject, level):
        days = subject.days_to_term_end()
        return Message(
            title=_("业委会任期即将届满：%(name)s") % {"name": subject},
            body=_(
                "%(community)s %(name)s 的任期将于 %(date)s 届满（还有 %(days)s 天），"
                "请及早筹备换届选举。"
            )
            % {
                "community": subject.area.community.name,
                "name": subject,
                "date": subject.term_ends_on.isoformat(),
                "days": days,
            },
            url=f"/admin/property_governance/ownerscommittee/{subject.pk}/change/",
        )
