"""Input and scope checks shared by the resident, household, tag and bulk services."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.scope import Level, actor_scope
from core.exceptions import ApplicationError
from core.validators import normalize_phone, validate_phone


def _forbidden(message=None):
    return ApplicationError(message or _("您无权修改该范围内的居民信息。"), code="forbidden")


def _check_people_scope(actor, obj) -> None:
    """The actor may write `obj` (a resident or household, saved or not) at its community/grid."""
    if not actor_scope(actor).covers(obj, Level.PEOPLE):
        raise _forbidden()


def _clean_phone(value: str, field="phone") -> str:
    value = normalize_phone(value or "")
    if not value:
        return ""
    try:
        validate_phone(value)
    except ValidationError as exc:
        raise ApplicationError(exc.messages[0], fields={field: exc.messages}) from None
    return value


def _check_choice(errors, field, value, choices, *, blank=True):
    if value == "" and blank:
        return
    if value not in dict(choices):
        errors[field] = [_("“%(value)s”不是有效的选项。") % {"value": value}]


def _check_length(errors, field, value, limit, *, required=False):
    if required and not (value or "").strip():
        errors[field] = [_("此项为必填项。")]
    elif len(value or "") > limit:
        errors[field] = [_("最多 %(limit)d 个字符。") % {"limit": limit}]


def _check_place(errors, *, community, grid, building, household=None):
    """Grid, building and household must lie in the record's community and agree together."""
    if community is None:
        errors["community"] = [_("请选择居民区。")]
        return
    if grid is not None and grid.community_id != community.pk:
        errors["grid"] = [_("该微网格不属于所选居民区。")]
    if building is not None:
        if building.community_id != community.pk:
            errors["building"] = [_("该楼组不属于所选居民区。")]
        elif grid is not None and building.grid_id != grid.pk:
            errors["building"] = [_("该楼组不属于所选微网格。")]
    if household is not None:
        if household.community_id != community.pk:
            errors["household"] = [_("该户不属于所选居民区。")]
        elif building is not None and household.building_id not in (None, building.pk):
            errors["household"] = [_("该户不在所选楼组。")]


def _raise_if(errors):
    if errors:
        first = next(iter(errors.values()))[0]
        raise ApplicationError(first, code="invalid", fields=errors)
