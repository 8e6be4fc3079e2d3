from .models import Notification


def notification_list(*, actor, unread=None):
    qs = Notification.objects.filter(recipient=actor)
    if unread is True:
        qs = qs.unread()
    elif unread is False:
        qs = qs.filter(read_at__isnull=False)
    return qs


def notification_unread_count(*, actor) -> int:
    return Notification.objects.filter(recipient=actor).unread().count()


def notification_get(*, actor, pk):
    return Notification.objects.filter(recipient=actor, pk=pk).first()
