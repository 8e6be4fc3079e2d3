"""Residents: create, update, delete, look-up by ID number, and the access log of staff views,
reveals and exports.
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.scope import Level, actor_scope
from core.exceptions import ApplicationError

from .. import idcard
from ..models import Resident, ResidentAccessLog, Tag
from ._checks import (
    _check_choice,
    _check_length,
    _check_people_scope,
    _check_place,
    _clean_phone,
    _forbidden,
    _raise_if,
)
from ._id_numbers import (
    _clean_id_number,
    _decrypt_id_number,
    _duplicate_id_error,
    _set_id_number,
    id_number_index,
)

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


@transaction.atomic
def resident_delete(*, actor, resident) -> None:
    """Delete a record entered by mistake (street admins). A person who moved out or died keeps
    the record with that status instead; the change history keeps the deletion and its author."""
    resident = Resident.objects.select_for_update().get(pk=resident.pk)
    if not actor.has_perm("residents.delete_resident", resident):
        raise _forbidden(_("只有街道管理员可以删除居民记录；迁出或去世请修改居住状态。"))
    resident._history_user = actor
    resident.delete()
