"""Plumbing shared by the cadres' services: errors, text checks, permission, the round's lock
and its timeline."""

from django.utils.translation import gettext as _

from board.services._common import actor_label
from core.exceptions import ApplicationError
from core.timeline import timeline_append

from ..models import ReviewRound, ReviewRoundEvent

Status = ReviewRound.Status


def invalid(field, message):
    return ApplicationError(message, code="invalid", fields={field: message})


def conflict(message):
    return ApplicationError(message, code="conflict")


def require(actor, perm, obj, message=None):
    if actor is None or not actor.is_authenticated or not actor.has_perm(perm, obj):
        raise ApplicationError(message or _("您没有权限进行此操作。"), code="forbidden")


def text(value, field, *, max_length, required=True):
    value = (value or "").strip() if isinstance(value, str) or value is None else None
    if value is None:
        raise invalid(field, _("格式不正确。"))
    if required and not value:
        raise invalid(field, _("此项不能为空。"))
    if len(value) > max_length:
        raise invalid(field, _("最多 %(n)s 个字。") % {"n": max_length})
    return value


def event(round_, *, actor, verb, **kwargs):
    return timeline_append(
        ReviewRoundEvent,
        subject_field="round",
        subject=round_,
        actor=actor,
        actor_label=actor_label(actor),
        verb=verb,
        **kwargs,
    )


def lock(round_) -> ReviewRound:
    return (
        ReviewRound.objects.select_for_update(of=("self",))
        .select_related("community")
        .get(pk=round_.pk)
    )


def check_window(opens_at, closes_at):
    if opens_at is None:
        raise invalid("opens_at", _("请填写开始时间。"))
    if closes_at is None:
        raise invalid("closes_at", _("请填写截止时间。"))
    if closes_at <= opens_at:
        raise invalid("closes_at", _("截止时间须晚于开始时间。"))
