from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError

from .channels import deliver_all
from .models import Notification


def notify(
    *, recipients, kind, title, body="", url="", subject=None, subject_type="", reminder=None
):
    """Write one inbox row per distinct active recipient; hand them to the other channels after
    commit. Call inside the transaction of the change that causes the notification."""
    seen, rows = set(), []
    for user in recipients:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        rows.append(
            Notification(
                recipient=user,
                kind=kind,
                title=title[:120],
                body=body,
                url=url,
                subject_type=subject_type
                or (subject._meta.label_lower if subject is not None else ""),
                subject_id=subject.pk if subject is not None else None,
                reminder=reminder,
            )
        )
    created = Notification.objects.bulk_create(rows)
    if created:
        # Recipients are already loaded on the rows, so channels need no further query.
        transaction.on_commit(lambda: deliver_all(created))
    return created


@transaction.atomic
def notification_mark_read(*, actor, notification):
    if notification.recipient_id != actor.pk:
        raise ApplicationError(_("不存在的消息。"), code="not_found")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, actor):
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def notifications_mark_read(*, actor, ids):
    """Mark some of the actor's own messages read; others' ids are silently ignored."""
    return Notification.objects.filter(
        recipient=actor, pk__in=list(ids), read_at__isnull=True
    ).update(read_at=timezone.now())
