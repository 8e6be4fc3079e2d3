"""Delivery channels. The inbox row is always written; each channel in
settings.NOTIFICATION_CHANNELS then delivers it once the transaction has committed.

To add SMS or WeChat, write a class with `deliver(notifications)` and list its dotted path in
NOTIFICATION_CHANNELS; no workflow code changes.
"""

import logging
from functools import lru_cache

from django.conf import settings
from django.core.mail import send_mass_mail
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class Channel:
    name = "base"

    def deliver(self, notifications):  # pragma: no cover - interface
        raise NotImplementedError


class EmailChannel(Channel):
    """Email to recipients who have an address; one message each, sent in one connection."""

    name = "email"

    def deliver(self, notifications):
        messages = [
            (
                n.title,
                f"{n.body}\n\n{n.url}".strip(),
                settings.DEFAULT_FROM_EMAIL,
                [n.recipient.email],
            )
            for n in notifications
            if n.recipient.email
        ]
        if messages:
            send_mass_mail(messages, fail_silently=False)


@lru_cache(maxsize=1)
def _configured(paths):
    return tuple(import_string(path)() for path in paths)


def configured_channels():
    return _configured(tuple(getattr(settings, "NOTIFICATION_CHANNELS", ())))


def deliver_all(notifications):
    """Hand committed inbox rows to every channel. A failing channel is logged and does not
    stop the others: the inbox row already stands as the delivered record."""
    for channel in configured_channels():
        try:
            channel.deliver(notifications)
        except Exception:
            logger.exception("notification channel %s failed", channel.name)
