"""The covenant's clock, plugged into the one reminder sweep (notifications/clocks.py).

covenants.version.signing_closes: a day before a version's signing window closes (from the
stored signing_closes_at), the verified residents in its scope whose household has not
signed or voted yet are reminded, once. The decision itself at the close is the
`covenants.close_due` task's (covenants.tasks), not a reminder's.
"""

import datetime

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from notifications.clocks import Clock, Message

from .models import CovenantVersion, Signature, VersionState
from .services._common import eligible_users

BEFORE = datetime.timedelta(hours=24)
DUE_SOON = "due_soon"


class SigningClosesClock(Clock):
    key = "covenants.version.signing_closes"
    levels = (DUE_SOON,)

    def due(self, *, level, now):
        return CovenantVersion.objects.filter(
            state=VersionState.SIGNING,
            signing_closes_at__gt=now,
            signing_closes_at__lte=now + BEFORE,
        )

    def due_at(self, subject, level):
        return subject.signing_closes_at - BEFORE

    def subjects(self, ids):
        return CovenantVersion.objects.filter(pk__in=ids).select_related(
            "covenant__community", "covenant__compound", "covenant__building"
        )

    def recipients(self, subject, level):
        signed = Signature.objects.filter(
            version=subject, household_id=OuterRef("resident__household_id")
        )
        return list(
            eligible_users(subject.covenant)
            .annotate(signed=Exists(signed))
            .filter(signed=False)
            .only("pk", "is_active", "email")
        )

    def message(self, subject, level):
        from django.utils import timezone

        closes = timezone.localtime(subject.signing_closes_at).strftime("%m-%d %H:%M")
        return Message(
            title=_("规约签署即将截止：%(title)s") % {"title": subject.covenant.title},
            body=_("您家还没有%(method)s，截止时间 %(closes)s。")
            % {"method": subject.get_signing_method_display(), "closes": closes},
            url=f"/covenants/{subject.covenant_id}/",
        )


__all__ = ["BEFORE", "DUE_SOON", "SigningClosesClock"]
