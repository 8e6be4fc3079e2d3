"""Plumbing shared by the cases services: errors, permission checks, text, labels."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.scope import actor_scope
from core.exceptions import ApplicationError

from ..scope import department_ids


def invalid(field, message):
    return ApplicationError(message, code="invalid", fields={field: message})


def conflict(message):
    return ApplicationError(message, code="conflict")


def require(actor, perm, obj=None, message=None):
    if actor is None or not actor.is_authenticated or not actor.has_perm(perm, obj):
        raise ApplicationError(message or _("您没有权限进行此操作。"), code="forbidden")


def text(value, field, *, max_length, required=True):
    value = (value or "").strip()
    if required and not value:
        raise invalid(field, _("此项不能为空。"))
    if len(value) > max_length:
        raise invalid(field, _("最多 %(n)s 个字。") % {"n": max_length})
    return value


def full_clean(obj, exclude=None):
    """The model's own checks, as the one error type (400 with the fields)."""
    try:
        obj.full_clean(exclude=exclude, validate_unique=True)
    except ValidationError as exc:
        fields = {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
        first = next(iter(fields.values()))[0]
        raise ApplicationError(first, code="invalid", fields=fields) from None


def actor_label(actor, event=None) -> str:
    """The identity on the timeline, stored once when written."""
    if actor is None:
        return _("系统")
    name = actor.get_full_name()
    scope = actor_scope(actor)
    if event is not None and event.department_id and event.department_id in department_ids(actor):
        return _("%(unit)s %(name)s") % {"unit": event.department.name, "name": name}
    if scope.is_global:
        return _("管理员 %(name)s") % {"name": name}
    if scope.street_ids:
        return _("街道管理员 %(name)s") % {"name": name}
    if scope.community_ids:
        return _("社区工作者 %(name)s") % {"name": name}
    if scope.grid_ids:
        return _("微网格长 %(name)s") % {"name": name}
    return _("工作人员 %(name)s") % {"name": name}
