"""Plumbing shared by the dispute services: errors, text checks, permission, the timeline."""

from django.utils.translation import gettext as _

from board.services._common import actor_label
from core.exceptions import ApplicationError
from core.timeline import timeline_append


def invalid(field, message):
    return ApplicationError(message, code="invalid", fields={field: message})


def conflict(message):
    return ApplicationError(message, code="conflict")


def require(actor, perm, obj=None):
    if actor is None or not actor.is_authenticated or not actor.has_perm(perm, obj):
        raise ApplicationError(_("您没有权限进行此操作。"), code="forbidden")


def text(value, field, *, max_length, required=True):
    value = (value or "").strip()
    if required and not value:
        raise invalid(field, _("此项不能为空。"))
    if len(value) > max_length:
        raise invalid(field, _("最多 %(n)s 个字。") % {"n": max_length})
    return value


def choice(value, field, choices):
    if value not in choices.values:
        raise invalid(field, _("选项无效。"))
    return value


def append_event(case, *, actor, verb, **kwargs):
    """One internal timeline row: case files are never public."""
    from ..models import DisputeCaseEvent

    return timeline_append(
        DisputeCaseEvent,
        subject_field="case",
        subject=case,
        actor=actor,
        actor_label=actor_label(actor),
        verb=verb,
        is_public=False,
        **kwargs,
    )
