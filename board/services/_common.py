"""Plumbing shared by the board's services: errors, text checks, permission, labels."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.scope import actor_scope
from core.exceptions import ApplicationError
from core.timeline import timeline_append

from ..models import Audience


def invalid(field, message):
    return ApplicationError(message, code="invalid", fields={field: message})


def conflict(message):
    return ApplicationError(message, code="conflict")


def require(actor, perm, obj, message=None):
    if actor is None or not actor.is_authenticated or not actor.has_perm(perm, obj):
        raise ApplicationError(message or _("您没有权限进行此操作。"), code="forbidden")


def text(value, field, *, max_length, required=True):
    value = (value or "").strip()
    if required and not value:
        raise invalid(field, _("此项不能为空。"))
    if len(value) > max_length:
        raise invalid(field, _("最多 %(n)s 个字。") % {"n": max_length})
    return value


def insert_once(build, message):
    """Insert under a savepoint; a unique constraint that a concurrent request won answers
    409 with `message` and leaves the outer transaction usable."""
    try:
        with transaction.atomic():
            return build()
    except IntegrityError as exc:
        raise conflict(message) from exc


def actor_label(actor) -> str:
    """The public identity on a timeline, stored once when written."""
    if actor is None:
        return _("系统")
    scope = actor_scope(actor)
    name = actor.get_full_name()
    if scope.is_global:
        return _("管理员 %(name)s") % {"name": name}
    if scope.street_ids:
        return _("街道管理员 %(name)s") % {"name": name}
    if scope.community_ids:
        return _("社区工作者 %(name)s") % {"name": name}
    if scope.roles:
        return _("工作人员 %(name)s") % {"name": name}
    return _("居民 %(name)s") % {"name": (name[:1] + "**") if name else ""}


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


def resolve_target(*, audience, street=None, community=None, compound=None, building=None):
    """The foreign keys of the addressed unit, the street and community derived from the unit
    (so a caller cannot name a building of one community and the community of another)."""
    if audience not in Audience.values:
        raise invalid("audience", _("发布范围无效。"))
    unit = {
        Audience.STREET: street,
        Audience.COMMUNITY: community,
        Audience.COMPOUND: compound,
        Audience.BUILDING: building,
    }[audience]
    if unit is None:
        label = Audience(audience).label
        raise invalid(audience, _("请选择%(unit)s。") % {"unit": label})
    if audience == Audience.STREET:
        return {"street": street, "community": None, "compound": None, "building": None}
    if audience == Audience.COMMUNITY:
        return {
            "street": community.street,
            "community": community,
            "compound": None,
            "building": None,
        }
    if audience == Audience.COMPOUND:
        if not compound.is_active:
            raise invalid("compound", _("该小区已停用。"))
        return {
            "street": compound.community.street,
            "community": compound.community,
            "compound": compound,
            "building": None,
        }
    return {
        "street": building.community.street,
        "community": building.community,
        "compound": None,
        "building": building,
    }
