"""The topic's two clocks, plugged into the one reminder sweep (notifications/clocks.py).

- proposals.topic.first_response: "due_soon" at the stored remind time (due − 1 h by default,
  i.e. 3 h after raise) reminds the grid's leaders and the community's workers; "overdue" at
  the stored due time (4 h) marks the topic escalated on its timeline and reminds them again
  together with the street's admins.
- proposals.topic.hands_deadline: at a hands deadline passed short of the threshold, the topic
  lapses through the same transition service a worker would use.
Both read stored timestamps only; the sweep guarantees each level once per topic.
"""

import contextlib

from django.db.models import F
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError
from notifications.clocks import Clock, Message

from .models import Topic
from .services import topic_lapse, topic_mark_overdue
from .services._common import responsible_staff

DUE_SOON, OVERDUE = "due_soon", "overdue"


def _admin_url(topic):
    return f"/admin/proposals/topic/{topic.pk}/change/"


class TopicFirstResponseClock(Clock):
    key = "proposals.topic.first_response"
    levels = (DUE_SOON, OVERDUE)

    def due(self, *, level, now):
        if level == DUE_SOON:
            # Not yet overdue: a topic first seen after its due time gets the overdue level
            # only, not a stale "due soon" beside it.
            return Topic.objects.due_soon(now=now)
        return Topic.objects.overdue(now=now)

    def due_at(self, subject, level):
        if level == DUE_SOON:
            return subject.first_response_remind_at
        return subject.first_response_due_at

    def subjects(self, ids):
        return Topic.objects.filter(pk__in=ids).select_related("community__street", "grid")

    def recipients(self, subject, level):
        return responsible_staff(subject, with_street_admins=level == OVERDUE)

    def message(self, subject, level):
        if level == DUE_SOON:
            from django.utils import timezone

            due = timezone.localtime(subject.first_response_due_at).strftime("%H:%M")
            title = _("议题即将超时：%(title)s") % {"title": subject.title}
            body = _("%(community)s 的议题须在 %(due)s 前首次回应。") % {
                "community": subject.community.name,
                "due": due,
            }
        else:
            title = _("议题已超时未回应：%(title)s") % {"title": subject.title}
            body = _("%(community)s 的议题已超过首次回应时限，已上报街道。") % {
                "community": subject.community.name
            }
        return Message(title=title, body=body, url=_admin_url(subject))

    def on_fire(self, subject, level, *, now):
        if level == OVERDUE:
            topic_mark_overdue(topic=subject, now=now)


class TopicHandsDeadlineClock(Clock):
    key = "proposals.topic.hands_deadline"
    levels = ("deadline",)

    def due(self, *, level, now):
        return Topic.objects.hands_expired(now=now).filter(
            hand_count__lt=F("hands_threshold"), party_branch_hand_at__isnull=True
        )

    def due_at(self, subject, level):
        return subject.hands_deadline

    def subjects(self, ids):
        return Topic.objects.filter(pk__in=ids).select_related(
            "community__street", "grid", "raised_by"
        )

    def recipients(self, subject, level):
        return responsible_staff(subject)

    def message(self, subject, level):
        return Message(
            title=_("议题举手期满未达立项数：%(title)s") % {"title": subject.title},
            body=_("举手 %(count)d/%(threshold)d。")
            % {"count": subject.hand_count, "threshold": subject.hands_threshold or 0},
            url=_admin_url(subject),
        )

    def on_fire(self, subject, level, *, now):
        # Adopted or reached between the scan and now: nothing to lapse.
        with contextlib.suppress(ApplicationError):
            topic_lapse(actor=None, topic=subject, now=now)
