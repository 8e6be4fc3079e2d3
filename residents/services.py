"""Every write to the people's-conditions database goes through these functions.

The admin, the API, bulk import and the demo generator call them, so the rules live once:
validation of ID and phone numbers, consistency of community / grid / building / household,
the writer's scope, encryption of the ID number with its blind index and masked copy, and the
access log of staff views. The acting user is stamped on the change history
(django-simple-history) through `_history_user`, so changes made outside a request (imports,
commands) still name who made them.
"""

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from accounts.scope import Level, actor_scope
from core import crypto
from core.exceptions import ApplicationError
from core.validators import normalize_phone, validate_phone

from . import idcard
from .models import Household, Resident, ResidentAccessLog, Tag, TagFamily

ID_NUMBER_PURPOSE = "resident.id_number"
COLOR_RE = re.compile(r"^#[0-9A-Fa-f]{6}$")

RESIDENT_FIELDS = (
    "community",
    "name",
    "id_number",
    "phone",
    "gender",
    "birth_date",
    "grid",
    "building",
    "room",
    "household",
    "relation_to_head",
    "status",
    "tags",
    "notes",
)
HOUSEHOLD_FIELDS = ("community", "grid", "building", "room", "address", "phone", "notes")
TAG_FIELDS = ("family", "name", "color", "description", "sort_order")


# ---------------------------------------------------------------------------------------------
# ID numbers


def id_number_index(id_number: str) -> str:
    """The blind index of an ID number (keyed HMAC of the normalised number)."""
    return crypto.blind_index(idcard.normalize_id_number(id_number), purpose=ID_NUMBER_PURPOSE)


def _clean_id_number(id_number: str) -> str:
    number = idcard.normalize_id_number(id_number)
    if not number:
        return ""
    try:
        idcard.validate_id_number(number)
    except ValidationError as exc:
        raise ApplicationError(
            exc.messages[0], code="invalid", fields={"id_number": exc.messages}
        ) from None
    return number


def _set_id_number(resident: Resident, number: str) -> None:
    if not number:
        resident.id_number_encrypted = ""
        resident.id_number_index = ""
        resident.id_number_masked = ""
        return
    index = id_number_index(number)
    duplicate = Resident.objects.filter(id_number_index=index)
    if resident.pk:
        duplicate = duplicate.exclude(pk=resident.pk)
    # Checked against every resident, not only the actor's scope: one person has one record.
    # The message names no other record, so nothing outside the actor's scope is disclosed.
    if duplicate.exists():
        raise _duplicate_id_error()
    _store_id_number(resident, number, index)


def _store_id_number(resident: Resident, number: str, index: str) -> None:
    """The ciphertext, blind index and masked copy of a validated, non-duplicate number."""
    resident.id_number_encrypted = crypto.encrypt(number, purpose=ID_NUMBER_PURPOSE)
    resident.id_number_index = index
    resident.id_number_masked = idcard.mask_id_number(number)


def _duplicate_id_error():
    message = _("该身份证号已有居民登记，请先按身份证号查找该居民，勿重复录入。")
    return ApplicationError(message, code="invalid", fields={"id_number": [message]})


def _decrypt_id_number(resident: Resident) -> str:
    return crypto.decrypt(resident.id_number_encrypted, purpose=ID_NUMBER_PURPOSE)


# ---------------------------------------------------------------------------------------------
# Shared checks


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


# ---------------------------------------------------------------------------------------------
# Residents


def _clean_resident(resident: Resident, values: dict) -> None:
    """Validate `values` (already merged over the resident's current state) and apply them."""
    errors = {}
    name = (values["name"] or "").strip()
    _check_length(errors, "name", name, 32, required=True)
    room = (values["room"] or "").strip()
    _check_length(errors, "room", room, 16)
    _check_choice(errors, "gender", values["gender"], Resident.Gender.choices)
    _check_choice(errors, "relation_to_head", values["relation_to_head"], Resident.Relation.choices)
    _check_choice(errors, "status", values["status"], Resident.Status.choices, blank=False)

    community, grid, building, household = (
        values["community"],
        values["grid"],
        values["building"],
        values["household"],
    )
    # A building belongs to exactly one grid, and a household to one place: fill what follows.
    if (
        building is not None
        and grid is None
        and community is not None
        and building.community_id == community.pk
    ):
        grid = building.grid
    if household is not None and community is not None and household.community_id == community.pk:
        if building is None and household.building_id:
            building = household.building
        if grid is None and household.grid_id:
            grid = household.grid
        if not room and household.room:
            room = household.room
    _check_place(errors, community=community, grid=grid, building=building, household=household)

    try:
        phone = _clean_phone(values["phone"])
    except ApplicationError as exc:
        errors.update(exc.fields)
        phone = ""
    _raise_if(errors)

    resident.name = name
    resident.room = room
    resident.phone = phone
    resident.gender = values["gender"]
    resident.birth_date = values["birth_date"]
    resident.relation_to_head = values["relation_to_head"]
    resident.status = values["status"]
    resident.notes = values["notes"] or ""
    resident.community = community
    resident.grid = grid
    resident.building = building
    resident.household = household


def _clean_tags(community, tags) -> list[Tag]:
    """Tags (instances or ids) of the resident's street; any other street's tag is refused."""
    ids = [t.pk if isinstance(t, Tag) else t for t in tags]
    found = {t.pk: t for t in Tag.objects.filter(pk__in=ids, street_id=community.street_id)}
    missing = [i for i in ids if i not in found]
    if missing:
        message = _("标签不存在或不属于本街道：%(ids)s") % {"ids": ", ".join(map(str, missing))}
        raise ApplicationError(message, fields={"tags": [message]})
    return list(found.values())


def _save_resident(resident: Resident, actor) -> None:
    resident._history_user = actor
    try:
        # A savepoint, so that a duplicate racing past the check above leaves the outer
        # transaction usable and answers the same field error.
        with transaction.atomic():
            resident.save()
    except IntegrityError as exc:
        if "id_number" in str(exc) or "resident_unique_id_number" in str(exc):
            raise _duplicate_id_error() from None
        raise


@transaction.atomic
def resident_create(
    *,
    actor,
    community,
    name,
    id_number="",
    phone="",
    gender="",
    birth_date=None,
    grid=None,
    building=None,
    room="",
    household=None,
    relation_to_head="",
    status=Resident.Status.LIVING,
    tags=(),
    notes="",
) -> Resident:
    resident = Resident()
    values, number = _new_resident_values(
        {
            "community": community,
            "name": name,
            "id_number": id_number,
            "phone": phone,
            "gender": gender,
            "birth_date": birth_date,
            "grid": grid,
            "building": building,
            "room": room,
            "household": household,
            "relation_to_head": relation_to_head,
            "status": status,
            "notes": notes,
        }
    )
    _clean_resident(resident, values)
    _check_people_scope(actor, resident)
    tag_objects = _clean_tags(community, tags)
    _set_id_number(resident, number)
    _save_resident(resident, actor)
    if tag_objects:
        resident._history_user = actor
        resident.tags.set(tag_objects)
    return resident


def _apply_id_number(values: dict, id_number: str) -> str:
    """Validate the number and fill birth date and gender from it where they were not given."""
    number = _clean_id_number(id_number)
    if number:
        if values.get("birth_date") is None:
            values["birth_date"] = idcard.birth_date_of(number)
        if not values.get("gender"):
            values["gender"] = idcard.gender_of(number)
    return number


def _new_resident_values(fields: dict) -> tuple[dict, str]:
    """The values of a new resident from `fields` (resident_create's arguments, any left out
    taking its default), and the validated ID number."""
    values = {
        "community": fields.get("community"),
        "name": fields.get("name", ""),
        "phone": fields.get("phone", ""),
        "gender": fields.get("gender") or "",
        "birth_date": fields.get("birth_date"),
        "grid": fields.get("grid"),
        "building": fields.get("building"),
        "room": fields.get("room", ""),
        "household": fields.get("household"),
        "relation_to_head": fields.get("relation_to_head") or "",
        "status": fields.get("status") or Resident.Status.LIVING,
        "notes": fields.get("notes", ""),
    }
    number = _apply_id_number(values, fields.get("id_number", ""))
    return values, number


def _updated_resident_values(resident: Resident, fields: dict) -> tuple[dict, str | None, bool]:
    """(values, ID number or None if unchanged, whether the place changed): `fields` merged
    over `resident`'s current state, as resident_update applies them."""
    values = {
        "community": resident.community,
        "name": resident.name,
        "phone": resident.phone,
        "gender": resident.gender,
        "birth_date": resident.birth_date,
        "grid": resident.grid,
        "building": resident.building,
        "room": resident.room,
        "household": resident.household,
        "relation_to_head": resident.relation_to_head,
        "status": resident.status,
        "notes": resident.notes,
    }
    place_changed = any(f in fields for f in ("community", "grid", "building", "household"))
    if "community" in fields and fields["community"] != resident.community:
        # Moving to another community: grid, building and household of the old one cannot follow.
        values.update(grid=None, building=None, household=None)
    values.update({k: v for k, v in fields.items() if k not in ("id_number", "tags")})
    for key in ("gender", "relation_to_head", "room", "notes", "phone"):
        values[key] = values[key] or ""
    number = None
    if "id_number" in fields:
        # A corrected number carries its own birth date and gender unless they were given too.
        if "birth_date" not in fields:
            values["birth_date"] = None
        if "gender" not in fields:
            values["gender"] = ""
        number = _apply_id_number(values, fields["id_number"])
        if not number:
            values["birth_date"] = fields.get("birth_date", resident.birth_date)
            values["gender"] = fields.get("gender", resident.gender) or ""
    return values, number, place_changed


@transaction.atomic
def resident_update(*, actor, resident, **fields) -> Resident:
    """Change the given fields only. `id_number=""` clears the number; `tags=` replaces the set."""
    unknown = set(fields) - set(RESIDENT_FIELDS)
    if unknown:
        raise TypeError(f"resident_update() got unexpected fields: {sorted(unknown)}")
    # The row is locked so that two staff editing at once do not overwrite each other's
    # change history with stale values.
    resident = Resident.objects.select_for_update().get(pk=resident.pk)
    _check_people_scope(actor, resident)

    values, number, place_changed = _updated_resident_values(resident, fields)
    _clean_resident(resident, values)
    if place_changed:
        _check_people_scope(actor, resident)
    tag_objects = _clean_tags(resident.community, fields["tags"]) if "tags" in fields else None
    if number is not None:
        _set_id_number(resident, number)
    _save_resident(resident, actor)
    if tag_objects is not None:
        resident._history_user = actor
        resident.tags.set(tag_objects)
    return resident


def resident_find_by_id_number(*, actor, id_number) -> Resident | None:
    """Exact look-up through the blind index, within the actor's scope (nothing is decrypted).

    A malformed number is an input error (400 on `id_number`), not "not found".
    """
    number = _clean_id_number(id_number)
    if not number:
        message = _("请输入身份证号。")
        raise ApplicationError(message, fields={"id_number": [message]})
    qs = Resident.objects.select_related("community", "grid", "building", "household")
    qs = actor_scope(actor).filter(qs, Level.PEOPLE)
    return qs.filter(id_number_index=id_number_index(number)).first()


@transaction.atomic
def resident_reveal_id_number(*, actor, resident, reason, channel="admin", ip=None) -> str:
    """The clear ID number, for a stated reason that is written to the access log first."""
    if not actor.has_perm("residents.reveal_id_number_resident", resident):
        raise _forbidden(_("您无权查看完整身份证号。"))
    reason = (reason or "").strip()
    if not reason:
        message = _("请填写查看完整身份证号的事由。")
        raise ApplicationError(message, fields={"reason": [message]})
    if len(reason) > 200:
        message = _("事由最多 200 个字符。")
        raise ApplicationError(message, fields={"reason": [message]})
    if not resident.id_number_encrypted:
        message = _("该居民未登记身份证号。")
        raise ApplicationError(message, fields={"id_number": [message]})
    _log_access(actor, resident, ResidentAccessLog.Action.REVEAL_ID, channel, ip, reason)
    return _decrypt_id_number(resident)


def resident_record_view(*, actor, resident, channel="admin", ip=None) -> ResidentAccessLog:
    """Write that `actor` opened `resident`'s full record (detail page or API detail)."""
    return _log_access(actor, resident, ResidentAccessLog.Action.VIEW, channel, ip, "")


def resident_record_export(*, actor, resident_ids, channel="admin", ip=None, reason="") -> int:
    """Write one export row per resident handed out in an export; returns the count."""
    rows = [
        ResidentAccessLog(
            user=actor,
            resident_id=pk,
            resident_name=name,
            community_id=community_id,
            action=ResidentAccessLog.Action.EXPORT,
            channel=channel,
            ip_address=ip,
            reason=reason[:200],
        )
        for pk, name, community_id in Resident.objects.filter(
            pk__in=list(resident_ids)
        ).values_list("pk", "name", "community_id")
    ]
    ResidentAccessLog.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _log_access(actor, resident, action, channel, ip, reason):
    return ResidentAccessLog.objects.create(
        user=actor,
        resident=resident,
        resident_name=resident.name,
        community_id=resident.community_id,
        action=action,
        channel=(channel or "admin")[:16],
        ip_address=ip or None,
        reason=reason,
    )


# ---------------------------------------------------------------------------------------------
# Households


def _clean_household(household: Household, values: dict) -> None:
    errors = {}
    room = (values["room"] or "").strip()
    _check_length(errors, "room", room, 16)
    _check_length(errors, "address", values["address"] or "", 200)
    community, grid, building = values["community"], values["grid"], values["building"]
    if (
        building is not None
        and grid is None
        and community is not None
        and building.community_id == community.pk
    ):
        grid = building.grid
    _check_place(errors, community=community, grid=grid, building=building)
    try:
        phone = _clean_phone(values["phone"])
    except ApplicationError as exc:
        errors.update(exc.fields)
        phone = ""
    if not errors and building is not None and room:
        taken = Household.objects.filter(building=building, room=room)
        if household.pk:
            taken = taken.exclude(pk=household.pk)
        if taken.exists():
            errors["room"] = [_("该楼组的这个室号已登记为一户。")]
    _raise_if(errors)
    household.community = community
    household.grid = grid
    household.building = building
    household.room = room
    household.address = (values["address"] or "").strip()
    household.phone = phone
    household.notes = values["notes"] or ""


def _save_household(household, actor):
    household._history_user = actor
    try:
        with transaction.atomic():
            household.save()
    except IntegrityError:
        message = _("该楼组的这个室号已登记为一户。")
        raise ApplicationError(message, fields={"room": [message]}) from None


@transaction.atomic
def household_create(
    *,
    actor,
    community,
    grid=None,
    building=None,
    room="",
    address="",
    phone="",
    notes="",
) -> Household:
    household = Household()
    values = {
        "community": community,
        "grid": grid,
        "building": building,
        "room": room,
        "address": address,
        "phone": phone,
        "notes": notes,
    }
    _clean_household(household, values)
    _check_people_scope(actor, household)
    _save_household(household, actor)
    return household


@transaction.atomic
def household_update(*, actor, household, **fields) -> Household:
    unknown = set(fields) - set(HOUSEHOLD_FIELDS)
    if unknown:
        raise TypeError(f"household_update() got unexpected fields: {sorted(unknown)}")
    household = Household.objects.select_for_update().get(pk=household.pk)
    _check_people_scope(actor, household)
    values = {f: getattr(household, f) for f in HOUSEHOLD_FIELDS}
    if "community" in fields and fields["community"] != household.community:
        values.update(grid=None, building=None)
    values.update(fields)
    _clean_household(household, values)
    _check_people_scope(actor, household)
    _save_household(household, actor)
    return household


# ---------------------------------------------------------------------------------------------
# Tags


def _check_street_admin(actor, street) -> None:
    scope = actor_scope(actor)
    if not (scope.is_global or street.pk in scope.street_ids):
        raise _forbidden(_("只有本街道的街道管理员可以维护居民标签。"))


def _clean_tag(tag: Tag, values: dict) -> None:
    errors = {}
    name = (values["name"] or "").strip()
    _check_length(errors, "name", name, 32, required=True)
    _check_choice(errors, "family", values["family"], TagFamily.choices, blank=False)
    color = (values["color"] or "").strip()
    if not COLOR_RE.match(color):
        errors["color"] = [_("颜色应为 # 加六位十六进制数字，如 #C0392B。")]
    _check_length(errors, "description", values["description"] or "", 200)
    sort_order = values["sort_order"]
    if not isinstance(sort_order, int) or not 0 <= sort_order <= 32767:
        errors["sort_order"] = [_("排序应为 0 到 32767 之间的整数。")]
    if "name" not in errors:
        taken = Tag.objects.filter(street_id=tag.street_id, name=name)
        if tag.pk:
            taken = taken.exclude(pk=tag.pk)
        if taken.exists():
            errors["name"] = [_("本街道已有同名标签。")]
    _raise_if(errors)
    tag.name = name
    tag.family = values["family"]
    tag.color = color.upper()
    tag.description = (values["description"] or "").strip()
    tag.sort_order = sort_order


@transaction.atomic
def tag_create(
    *,
    actor,
    street,
    name,
    family=TagFamily.IDENTITY,
    color="#1F6FEB",
    description="",
    sort_order=0,
) -> Tag:
    _check_street_admin(actor, street)
    tag = Tag(street=street)
    _clean_tag(
        tag,
        {
            "name": name,
            "family": family,
            "color": color,
            "description": description,
            "sort_order": sort_order,
        },
    )
    tag.save()
    return tag


@transaction.atomic
def tag_update(*, actor, tag, **fields) -> Tag:
    unknown = set(fields) - set(TAG_FIELDS)
    if unknown:
        raise TypeError(f"tag_update() got unexpected fields: {sorted(unknown)}")
    tag = Tag.objects.select_for_update().select_related("street").get(pk=tag.pk)
    _check_street_admin(actor, tag.street)
    values = {f: getattr(tag, f) for f in TAG_FIELDS}
    values.update(fields)
    _clean_tag(tag, values)
    tag.save()
    return tag


@transaction.atomic
def tags_get_or_create(*, actor, street, names, family=TagFamily.IDENTITY) -> list[Tag]:
    """The street's tags with these names, in the order given; missing ones are created.

    Any staff member who works with people in the street may create tags this way (bulk
    import names tags by text), unlike `tag_create`, which is the street admin's catalogue
    editing; a created tag can be recoloured or described by the street admin later.
    """
    scope = actor_scope(actor)
    if not (scope.is_global or street.pk in scope.people_street_ids):
        raise _forbidden(_("您无权使用该街道的居民标签。"))
    if family not in dict(TagFamily.choices):
        raise ApplicationError(_("标签类别无效。"), fields={"family": [_("标签类别无效。")]})
    wanted = []
    for raw in names:
        name = (raw or "").strip()
        if name and name not in wanted:
            if len(name) > 32:
                message = _("标签名最多 32 个字符：%(name)s") % {"name": name}
                raise ApplicationError(message, fields={"tags": [message]})
            wanted.append(name)
    found = {t.name: t for t in Tag.objects.filter(street=street, name__in=wanted)}
    for name in wanted:
        if name in found:
            continue
        try:
            with transaction.atomic():
                found[name] = Tag.objects.create(street=street, name=name, family=family)
        except IntegrityError:
            # Created by a concurrent import between our read and our insert: take theirs.
            found[name] = Tag.objects.get(street=street, name=name)
    return [found[name] for name in wanted]


@transaction.atomic
def tag_delete(*, actor, tag) -> None:
    """Remove a tag from the street's catalogue (and from every resident who carried it)."""
    tag = Tag.objects.select_for_update().select_related("street").get(pk=tag.pk)
    _check_street_admin(actor, tag.street)
    tag.delete()


@transaction.atomic
def resident_delete(*, actor, resident) -> None:
    """Delete a record entered by mistake (street admins). A person who moved out or died keeps
    the record with that status instead; the change history keeps the deletion and its author."""
    resident = Resident.objects.select_for_update().get(pk=resident.pk)
    if not actor.has_perm("residents.delete_resident", resident):
        raise _forbidden(_("只有街道管理员可以删除居民记录；迁出或去世请修改居住状态。"))
    resident._history_user = actor
    resident.delete()


@transaction.atomic
def household_delete(*, actor, household) -> None:
    """Delete a household (street admins); its members stay, without a household."""
    household = Household.objects.select_for_update().get(pk=household.pk)
    if not actor.has_perm("residents.delete_household", household):
        raise _forbidden(_("只有街道管理员可以删除户。"))
    household._history_user = actor
    household.delete()


# ---------------------------------------------------------------------------------------------
# Bulk upsert (imports)

BULK_UPSERT_FIELDS = tuple(f for f in RESIDENT_FIELDS if f not in ("household", "tags"))


@dataclass(frozen=True)
class ResidentUpsert:
    """One row for `residents_bulk_upsert`, with its places already resolved to instances."""

    ref: object  # the caller's name for the row (a spreadsheet row number), given back in errors
    fields: dict  # resident_create / resident_update arguments except household and tags
    resident_id: int | None = None  # the resident to update; None creates one
    tag_ids: tuple = ()  # tags to add; a bulk write never removes one


class BulkRowError(ApplicationError):
    """Rows of a bulk write were refused; `rows` pairs each row's `ref` with its error."""

    def __init__(self, rows: list[tuple[object, ApplicationError]]):
        _ref, first = rows[0]
        super().__init__(first.message, code=first.code, fields=first.fields)
        self.rows = rows


@transaction.atomic
def residents_bulk_upsert(
    *,
    actor,
    rows: Iterable[ResidentUpsert],
    on_progress: Callable[[int, int], None] | None = None,
    batch_size: int = 1000,
    change_reason: str = "",
) -> tuple[int, int]:
    """Create and update many residents with the rules of resident_create / resident_update,
    at a constant number of queries per batch instead of ~20 per row. Returns (created, updated).

    Per row, the same checks run in memory (`_clean_resident`, the actor's scope before and
    after, tags of the resident's street, ID numbers encrypted, indexed and masked through the
    same helpers); per batch, the existing residents are locked, duplicate ID numbers are looked
    up at once, households are matched or created by (building, room), and the rows, their
    added tags and their change history (with `actor` as the author and the tag set of each
    history record) are written with one INSERT or UPDATE per table. A matched resident whose
    row changes nothing is neither written nor given a history record (and not counted).

    Any refused row raises `BulkRowError` naming the rows of its batch; the caller's
    transaction then holds no part of the call. `on_progress(done, total)` runs after each
    batch.
    """
    rows = list(rows)
    for row in rows:
        unknown = set(row.fields) - set(BULK_UPSERT_FIELDS)
        if unknown:
            raise TypeError(f"residents_bulk_upsert() got unexpected fields: {sorted(unknown)}")
    writer = _BulkResidentWriter(actor, change_reason)
    total = len(rows)
    for start in range(0, total, batch_size):
        writer.write(rows[start : start + batch_size])
        if on_progress is not None:
            on_progress(min(start + batch_size, total), total)
    return writer.created, writer.updated


def _tags_history_model():
    """The model of the tag sets recorded with each resident history row, if tags are tracked."""
    history = Resident.history.model
    if not any(f.name == "tags" for f in getattr(history, "_history_m2m_fields", ())):
        return None
    return history.tags.model


@dataclass
class _Staged:
    row: ResidentUpsert
    resident: Resident
    values: dict
    number: str | None  # the ID number to store, "" to clear, None to leave alone
    before: dict | None  # an existing resident's column values before the row, else None
    household_key: tuple | None = None
    index: str = ""


class _BulkResidentWriter:
    def __init__(self, actor, change_reason):
        self.actor = actor
        self.change_reason = change_reason
        self.created = self.updated = 0
        self.tag_streets = {}  # tag id -> street id
        self.households = {}  # (building id, room) -> Household, over the whole call
        self.indexes = {}  # blind index -> ref of the row that carries it in this call
        self.resident_ids = set()  # residents already updated by this call
        self.through = Resident.tags.through
        self.tags_history = _tags_history_model()
        self.columns = [f for f in Resident._meta.concrete_fields if not f.primary_key]

    def write(self, batch):
        errors = []

        def refuse(row, exc):
            errors.append((row.ref, exc))

        self._load_tags(batch)
        existing = self._lock_existing(batch)
        current_tags = self._current_tags(existing)
        staged = []
        for row in batch:
            try:
                staged.append(self._stage(row, existing))
            except ApplicationError as exc:
                refuse(row, exc)
        households = self._households(staged, refuse)
        for item in list(staged):
            try:
                self._clean(item, households)
            except ApplicationError as exc:
                refuse(item.row, exc)
                staged.remove(item)
        self._check_duplicate_numbers(staged, refuse)
        if errors:
            order = {row.ref: n for n, row in enumerate(batch)}
            raise BulkRowError(sorted(errors, key=lambda e: order.get(e[0], 0)))
        self._save(staged, households, current_tags)

    # --- reading and checking, in memory but for a few queries per batch ------------------

    def _load_tags(self, batch):
        wanted = {t for row in batch for t in row.tag_ids} - set(self.tag_streets)
        if wanted:
            self.tag_streets.update(
                Tag.objects.filter(pk__in=wanted).values_list("pk", "street_id")
            )

    def _lock_existing(self, batch):
        ids = [row.resident_id for row in batch if row.resident_id is not None]
        if not ids:
            return {}
        # Locked like resident_update locks its row, so that a worker's edit cannot interleave.
        return {
            r.pk: r
            for r in Resident.objects.select_related("community", "grid", "building", "household")
            .select_for_update(of=("self",))
            .filter(pk__in=ids)
        }

    def _current_tags(self, existing):
        current = defaultdict(dict)  # resident id -> {tag id: through row id}
        if existing:
            for pk, resident_id, tag_id in self.through.objects.filter(
                resident_id__in=list(existing)
            ).values_list("pk", "resident_id", "tag_id"):
                current[resident_id][tag_id] = pk
        return current

    def _stage(self, row, existing):
        if row.resident_id is None:
            resident = Resident()
            values, number = _new_resident_values(row.fields)
            before = None
        else:
            resident = existing.get(row.resident_id)
            if resident is None or row.resident_id in self.resident_ids:
                message = _("该居民记录不存在或在本次导入中重复出现。")
                raise ApplicationError(message, code="not_found")
            self.resident_ids.add(row.resident_id)
            _check_people_scope(self.actor, resident)
            values, number, _place_changed = _updated_resident_values(resident, row.fields)
            before = {f.attname: getattr(resident, f.attname) for f in self.columns}
        community = values["community"]
        foreign = [t for t in row.tag_ids if self.tag_streets.get(t) != community.street_id]
        if foreign:
            message = _("标签不存在或不属于本街道：%(ids)s") % {"ids": ", ".join(map(str, foreign))}
            raise ApplicationError(message, fields={"tags": [message]})
        item = _Staged(row, resident, values, number, before)
        building, room = values["building"], (values["room"] or "").strip()
        placed = row.resident_id is None or {"community", "building", "room"} & set(row.fields)
        if building is not None and room and placed:
            # Members listed one by one (a family) share the household of their room.
            item.household_key = (building.pk, room)
        return item

    def _households(self, staged, refuse):
        """The household of every (building, room) in the batch: matched, or created with its
        change history."""
        keys = {s.household_key for s in staged if s.household_key} - set(self.households)
        if not keys:
            return self.households
        for household in Household.objects.filter(
            building_id__in={b for b, _room in keys}, room__in={r for _b, r in keys}
        ):
            key = (household.building_id, household.room)
            if key in keys:
                self.households[key] = household
        new = {}
        for item in staged:
            key = item.household_key
            if key is None or key in self.households or key in new:
                continue
            building, community = item.values["building"], item.values["community"]
            household = Household(
                community=community, grid_id=building.grid_id, building=building, room=key[1]
            )
            errors = {}
            _check_place(errors, community=community, grid=None, building=building)
            try:
                _raise_if(errors)
                _check_people_scope(self.actor, household)
            except ApplicationError as exc:
                refuse(item.row, exc)
                item.household_key = None
                continue
            new[key] = household
        if new:
            try:
                with transaction.atomic():
                    bulk_create_with_history(
                        list(new.values()),
                        Household,
                        default_user=self.actor,
                        default_change_reason=self.change_reason,
                    )
            except IntegrityError:
                # Another writer registered one of these rooms after our look-up.
                message = _("该楼组的这个室号已登记为一户。")
                raise ApplicationError(message, fields={"room": [message]}) from None
            self.households.update(new)
        return self.households

    def _clean(self, item, households):
        if item.household_key is not None:
            item.values["household"] = households.get(item.household_key)
        _clean_resident(item.resident, item.values)
        _check_people_scope(self.actor, item.resident)
        number = item.number
        if number:
            index = id_number_index(number)
            if item.resident.id_number_index == index:
                item.number = None  # the same number again: nothing to re-encrypt
            else:
                item.index = index

    def _check_duplicate_numbers(self, staged, refuse):
        """One look-up for the batch; the unique constraint still backs it against races."""
        fresh = [s for s in staged if s.index]
        taken = dict(
            Resident.objects.filter(id_number_index__in=[s.index for s in fresh]).values_list(
                "id_number_index", "pk"
            )
            if fresh
            else ()
        )
        for item in fresh:
            holder = taken.get(item.index)
            if (holder is not None and holder != item.row.resident_id) or (
                item.index in self.indexes
            ):
                refuse(item.row, _duplicate_id_error())
                staged.remove(item)
            else:
                self.indexes[item.index] = item.row.ref

    # --- writing: one statement per table and batch ----------------------------------------

    def _save(self, staged, households, current_tags):
        now = timezone.now()
        new, changed, changed_fields = [], [], set()
        for item in staged:
            resident = item.resident
            if item.number is not None:
                if item.number:
                    _store_id_number(resident, item.number, item.index)
                else:
                    _set_id_number(resident, "")
            if item.before is None:
                new.append(item)
                continue
            fields = {
                f.name
                for f in self.columns
                if getattr(resident, f.attname) != item.before[f.attname]
            }
            held = current_tags.get(resident.pk, {})
            if fields or any(t not in held for t in item.row.tag_ids):
                resident.updated_at = now
                changed_fields |= fields
                changed.append(item)

        if new:
            try:
                with transaction.atomic():
                    Resident.objects.bulk_create([s.resident for s in new])
            except IntegrityError as exc:
                if "id_number" in str(exc) or "resident_unique_id_number" in str(exc):
                    raise _duplicate_id_error() from None
                raise
        if changed_fields:
            Resident.objects.bulk_update(
                [s.resident for s in changed if s.before is not None],
                sorted(changed_fields | {"updated_at"}),
            )
        elif changed:
            Resident.objects.filter(pk__in=[s.resident.pk for s in changed]).update(updated_at=now)

        tags = self._add_tags(new + changed, current_tags)
        history = Resident.history
        # The manager's own bulk_history_create (what bulk_create_with_history and
        # bulk_update_with_history call) because it returns the history rows, whose ids the
        # tag sets below hang on; None when history is switched off.
        records = [
            *(
                history.bulk_history_create(
                    [s.resident for s in new],
                    default_user=self.actor,
                    default_change_reason=self.change_reason,
                    default_date=now,
                )
                or ()
            ),
            *(
                history.bulk_history_create(
                    [s.resident for s in changed],
                    update=True,
                    default_user=self.actor,
                    default_change_reason=self.change_reason,
                    default_date=now,
                )
                or ()
            ),
        ]
        if self.tags_history is not None:
            # What simple_history writes after each save: the resident's whole tag set as of
            # that history record, so that a diff between two records shows the tags added.
            self.tags_history.objects.bulk_create(
                [
                    self.tags_history(
                        history_id=record.history_id,
                        id=through_id,
                        resident_id=record.id,
                        tag_id=tag_id,
                    )
                    for record in records
                    for tag_id, through_id in tags.get(record.id, {}).items()
                ]
            )
        self.created += len(new)
        self.updated += len(changed)

    def _add_tags(self, items, current_tags):
        """Insert the missing (resident, tag) rows; return every written resident's tag set."""
        added = []
        for item in items:
            held = current_tags[item.resident.pk]
            for tag_id in dict.fromkeys(item.row.tag_ids):
                if tag_id not in held:
                    held[tag_id] = None
                    added.append(self.through(resident_id=item.resident.pk, tag_id=tag_id))
        for row in self.through.objects.bulk_create(added):
            current_tags[row.resident_id][row.tag_id] = row.pk
        return current_tags
