"""Plumbing shared by every grids service: the permission check that hides out-of-scope units,
validation before save, and the locked partial update.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.scope import Level, actor_scope
from core.exceptions import ApplicationError


def _forbidden():
    return ApplicationError(_("您没有权限进行此操作。"), code="forbidden")


def _require(actor, perm, target, *, field=None):
    """The actor may do `perm` on `target` (a unit being written into, or the row itself).

    A target the actor cannot even see is reported as missing, so a write never reveals
    what lies outside the actor's scope."""
    if target is not None and not actor_scope(actor).covers(target, Level.PUBLIC):
        message = _("所选对象不存在或不在您的管辖范围内。")
        raise ApplicationError(
            message, code="not_found", fields={field: message} if field else None
        )
    if not actor.has_perm(perm, target):
        raise _forbidden()


def _invalid(field, message):
    return ApplicationError(_("输入有误，请检查后重试。"), code="invalid", fields={field: message})


def _full_clean(obj, *, exclude=None):
    try:
        obj.full_clean(exclude=exclude)
    except DjangoValidationError as exc:
        fields = getattr(exc, "message_dict", {"non_field_errors": exc.messages})
        fields = {("non_field_errors" if k == "__all__" else k): v for k, v in fields.items()}
        raise ApplicationError(
            _("输入有误，请检查后重试。"), code="invalid", fields=fields
        ) from exc


def _save(obj, *, exclude=None):
    _full_clean(obj, exclude=exclude)
    try:
        # A savepoint, so that a constraint that raced the checks leaves the outer
        # transaction usable and the caller sees a 409, not a 500.
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        raise ApplicationError(_("与已有记录冲突，请刷新后重试。"), code="conflict") from exc
    return obj


def _apply(obj, changes: dict, allowed: Iterable[str]):
    unknown = set(changes) - set(allowed)
    if unknown:
        field = sorted(unknown)[0]
        raise _invalid(field, _("该字段不可修改。"))
    for name, value in changes.items():
        setattr(obj, name, value)


def _locked(model, pk):
    return model.objects.select_for_update().get(pk=pk)


def _update(instance, *, actor, perm, changes, allowed, target=lambda o: o):
    """Lock the stored row, check the permission on it as it is and as it will be."""
    obj = _locked(type(instance), instance.pk)
    _require(actor, perm, target(obj))
    _apply(obj, changes, allowed)
    _require(actor, perm, target(obj))
    return obj
