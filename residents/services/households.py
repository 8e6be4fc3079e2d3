"""Households: one per (building, room), created, edited and deleted by people staff in scope."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError

from ..models import Household
from ._checks import (
    _check_length,
    _check_people_scope,
    _check_place,
    _clean_phone,
    _forbidden,
    _raise_if,
)

HOUSEHOLD_FIELDS = ("community", "grid", "building", "room", "address", "phone", "notes")


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


@transaction.atomic
def household_delete(*, actor, household) -> None:
    """Delete a household (street admins); its members stay, without a household."""
    household = Household.objects.select_for_update().get(pk=household.pk)
    if not actor.has_perm("residents.delete_household", household):
        raise _forbidden(_("只有街道管理员可以删除户。"))
    household._history_user = actor
    household.delete()
