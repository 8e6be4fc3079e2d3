"""The follow-up visit 回访 clock, on the one reminder mechanism (notifications.clocks): the
owner is told when the visit is due soon, and again (with the community's workers) once it is
overdue. Exactly once per level: the Reminder ledger's unique constraint."""

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, RoleAssignment
from notifications.clocks import Clock, Message

from .models import DisputeCase
from .models.cases import FOLLOWUP_WARNING

DUE_SOON = "due_soon"
OVERDUE = "overdue"


class FollowUpClock(Clock):
    key = "disputes.case.followup"
    levels = (DUE_SOON, OVERDUE)

    def due(self, *, level, now):
        if level == DUE_SOON:
            return DisputeCase.objects.followup_due_soon(now=now)
        return DisputeCase.objects.followup_overdue(now=now)

    def due_at(self, subject, level):
        if level == DUE_SOON:
            return subject.followup_due_at - FOLLOWUP_WARNING
        return subject.followup_due_at

    def subjects(self, ids):
        return DisputeCase.objects.filter(pk__in=ids).select_related("owner", "community")

    def recipients(self, subject, level):
        people = [subject.owner]
        if level == OVERDUE:
            people += [
                a.user
                for a in RoleAssignment.objects.active()
                .filter(role=Role.COMMUNITY_WORKER, community_id=subject.community_id)
                .select_related("user")
            ]
        return people

    def message(self, subject, level):
        due = timezone.localtime(subject.followup_due_at).strftime("%Y-%m-%d")
        # No party's name: the inbox shows the case number only.
        if level == DUE_SOON:
            title = _("矛盾纠纷回访即将到期：纠纷 #%(pk)s") % {"pk": subject.pk}
            body = _("请在 %(due)s 前完成回访。") % {"due": due}
        else:
            title = _("矛盾纠纷回访已逾期：纠纷 #%(pk)s") % {"pk": subject.pk}
            body = _("回访期限 %(due)s 已过，请尽快回访。") % {"due": due}
        return Message(
            title=title, body=body, url=f"/admin/disputes/disputecase/{subject.pk}/change/"
        )
