"""Plumbing shared by the forums' services: errors, permission, the forums' own timelines."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from board.services._common import actor_label, conflict, invalid, require, text
from core.timeline import timeline_append

__all__ = ["append_event", "conflict", "invalid", "local_today", "require", "text"]


def local_today() -> datetime.date:
    return timezone.localdate()


def append_event(model, subject_field, subject, *, actor, verb, **kwargs):
    return timeline_append(
        model,
        subject_field=subject_field,
        subject=subject,
        actor=actor,
        actor_label=actor_label(actor),
        verb=verb,
        **kwargs,
    )


def illegal_move(current_label):
    return conflict(_("当前状态（%(state)s）不能进行此操作。") % {"state": current_label})
