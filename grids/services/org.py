"""The organisation tree (districts, streets, community types, communities, micro-grids,
buildings) and the grid roles appointed on it.
"""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError

from ..models import (
    BUILDING_ROLES,
    SINGLE_HOLDER_ROLES,
    Building,
    Community,
    CommunityType,
    Compound,
    District,
    GridRole,
    GridRoleKind,
    MicroGrid,
    Street,
)
from ._common import _apply, _invalid, _locked, _require, _save, _update

DISTRICT_FIELDS = ("name", "code")
STREET_FIELDS = ("district", "name", "code", "address", "phone")
COMMUNITY_TYPE_FIELDS = ("street", "name", "description")
COMMUNITY_FIELDS = (
    "street",
    "name",
    "code",
    "kind",
    "community_type",
    "address",
    "phone",
    "committee_name",
    "party_branch_name",
    "households_estimate",
)
GRID_FIELDS = ("community", "name", "code", "boundary")
BUILDING_FIELDS = ("grid", "compound", "name", "address", "floors", "households_estimate")
COMPOUND_FIELDS = ("name", "address", "is_active")


@transaction.atomic
def district_create(*, actor, name: str, code: str) -> District:
    _require(actor, "grids.add_district", None)
    return _save(District(name=name, code=code))


@transaction.atomic
def district_update(*, actor, district: District, **changes) -> District:
    obj = _update(
        district,
        actor=actor,
        perm="grids.change_district",
        changes=changes,
        allowed=DISTRICT_FIELDS,
    )
    return _save(obj)


@transaction.atomic
def street_create(
    *, actor, district: District, name: str, code: str, address: str = "", phone: str = ""
) -> Street:
    _require(actor, "grids.add_street", None)
    return _save(Street(district=district, name=name, code=code, address=address, phone=phone))


@transaction.atomic
def street_update(*, actor, street: Street, **changes) -> Street:
    obj = _update(
        street, actor=actor, perm="grids.change_street", changes=changes, allowed=STREET_FIELDS
    )
    return _save(obj)


@transaction.atomic
def community_type_create(
    *, actor, street: Street, name: str, description: str = ""
) -> CommunityType:
    obj = CommunityType(street=street, name=name, description=description)
    _require(actor, "grids.add_communitytype", obj, field="street")
    return _save(obj)


@transaction.atomic
def community_type_update(*, actor, community_type: CommunityType, **changes) -> CommunityType:
    obj = _update(
        community_type,
        actor=actor,
        perm="grids.change_communitytype",
        changes=changes,
        allowed=COMMUNITY_TYPE_FIELDS,
    )
    return _save(obj)


def _check_community_type(community):
    if community.community_type_id and community.community_type.street_id != community.street_id:
        raise _invalid("community_type", _("只能选择本街道设定的居民区类型。"))


@transaction.atomic
def community_create(*, actor, street: Street, name: str, code: str, **fields) -> Community:
    _apply(obj := Community(street=street, name=name, code=code), fields, COMMUNITY_FIELDS)
    _require(actor, "grids.add_community", obj, field="street")
    _check_community_type(obj)
    return _save(obj)


@transaction.atomic
def community_update(*, actor, community: Community, **changes) -> Community:
    obj = _update(
        community,
        actor=actor,
        perm="grids.change_community",
        changes=changes,
        allowed=COMMUNITY_FIELDS,
    )
    _check_community_type(obj)
    return _save(obj)


@transaction.atomic
def micro_grid_create(
    *, actor, community: Community, name: str, code: str, boundary: str = ""
) -> MicroGrid:
    obj = MicroGrid(community=community, name=name, code=code, boundary=boundary)
    _require(actor, "grids.add_microgrid", obj, field="community")
    return _save(obj)


@transaction.atomic
def micro_grid_update(*, actor, grid: MicroGrid, **changes) -> MicroGrid:
    obj = _update(
        grid, actor=actor, perm="grids.change_microgrid", changes=changes, allowed=GRID_FIELDS
    )
    if "community" in changes and obj.buildings.exists():
        # Buildings, households and residents hang on the grid's community.
        raise _invalid("community", _("已有楼组的微网格不能改到其他居民区。"))
    return _save(obj)


@transaction.atomic
def compound_create(*, actor, community: Community, name: str, address: str = "") -> Compound:
    obj = Compound(community=community, name=(name or "").strip(), address=address)
    _require(actor, "grids.add_compound", obj, field="community")
    return _save(obj)


@transaction.atomic
def compound_update(*, actor, compound: Compound, **changes) -> Compound:
    """Rename or end a compound. Ending stamps the day; a compound that still has building
    groups can end (they keep it as history) but takes no new ones."""
    was_active = compound.is_active
    obj = _update(
        compound,
        actor=actor,
        perm="grids.change_compound",
        changes=changes,
        allowed=COMPOUND_FIELDS,
    )
    if was_active and not obj.is_active:
        obj.ended_on = timezone.localdate()
    elif obj.is_active:
        obj.ended_on = None
    return _save(obj)


def _check_building_compound(building: Building, *, changed: bool):
    compound = building.compound
    if compound is None:
        return
    if compound.community_id != building.community_id:
        raise _invalid("compound", _("只能选择本居民区的小区。"))
    if changed and not compound.is_active:
        raise _invalid("compound", _("该小区已停用，不能再划入楼组。"))


@transaction.atomic
def building_create(
    *,
    actor,
    grid: MicroGrid,
    name: str,
    address: str = "",
    floors: int | None = None,
    households_estimate: int | None = None,
    compound: Compound | None = None,
) -> Building:
    _require(actor, "grids.add_building", grid, field="grid")
    obj = Building(
        grid=grid,
        community_id=grid.community_id,
        compound=compound,
        name=name,
        address=address,
        floors=floors,
        households_estimate=households_estimate,
    )
    _check_building_compound(obj, changed=True)
    return _save(obj)


@transaction.atomic
def building_update(*, actor, building: Building, **changes) -> Building:
    obj = _update(
        building,
        actor=actor,
        perm="grids.change_building",
        changes=changes,
        allowed=BUILDING_FIELDS,
    )
    if obj.grid.community_id != obj.community_id:
        raise _invalid("grid", _("楼组只能调整到本居民区的微网格。"))
    _check_building_compound(obj, changed="compound" in changes)
    return _save(obj)


# ---------------------------------------------------------------------------------------------
# Grid roles

GRID_ROLE_FIELDS = (
    "name",
    "phone",
    "resident",
    "user",
    "is_party_member",
    "starts_on",
    "ends_on",
    "notes",
)


def _check_role(role: GridRole):
    if role.kind in BUILDING_ROLES:
        if role.building_id is None:
            raise _invalid("building", _("楼组长、第二楼组长须选择所负责的楼组。"))
        if role.building.grid_id != role.grid_id:
            raise _invalid("building", _("所选楼组不在该微网格内。"))
    elif role.building_id is not None:
        raise _invalid("building", _("只有楼组长、第二楼组长需要选择楼组。"))
    if role.resident_id and role.resident.community_id != role.grid.community_id:
        raise _invalid("resident", _("关联的居民须为本居民区居民。"))
    if role.ends_on and role.starts_on and role.ends_on < role.starts_on:
        raise _invalid("ends_on", _("任期结束日期不能早于开始日期。"))
    if role.kind in SINGLE_HOLDER_ROLES:
        # The grid row is locked by the caller, so two appointments cannot both pass this.
        unit = {"building": role.building} if role.kind in BUILDING_ROLES else {"grid": role.grid}
        far_future = datetime.date.max
        overlapping = (
            GridRole.objects.filter(kind=role.kind, **unit)
            .exclude(pk=role.pk)
            .filter(starts_on__lte=role.ends_on or far_future)
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=role.starts_on))
        )
        holder = overlapping.first()
        if holder is not None:
            raise ApplicationError(
                _("%(unit)s 在该任期内已有%(kind)s %(name)s，请先办理其卸任。")
                % {
                    "unit": holder.building or holder.grid,
                    "kind": role.get_kind_display(),
                    "name": holder.name,
                },
                code="conflict",
                fields={"kind": _("任期与现任人员重叠。")},
            )


@transaction.atomic
def grid_role_appoint(
    *,
    actor,
    grid: MicroGrid,
    kind: str,
    name: str,
    phone: str = "",
    building: Building | None = None,
    resident=None,
    user=None,
    is_party_member: bool = False,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    notes: str = "",
) -> GridRole:
    _require(actor, "grids.add_gridrole", grid, field="grid")
    grid = _locked(MicroGrid, grid.pk)
    if kind == GridRoleKind.SECOND_BUILDING_LEADER:
        # 第二楼组长 is by definition a party member who reports to the community.
        is_party_member = True
    role = GridRole(
        grid=grid,
        kind=kind,
        name=name,
        phone=phone,
        building=building,
        resident=resident,
        user=user,
        is_party_member=is_party_member,
        starts_on=starts_on or timezone.localdate(),
        ends_on=ends_on,
        notes=notes,
    )
    # The overlap check comes first: it names the sitting holder, which the bare unique
    # constraint behind it cannot.
    _check_role(role)
    return _save(role)


@transaction.atomic
def grid_role_update(*, actor, role: GridRole, **changes) -> GridRole:
    _locked(MicroGrid, role.grid_id)
    obj = _update(
        role, actor=actor, perm="grids.change_gridrole", changes=changes, allowed=GRID_ROLE_FIELDS
    )
    _check_role(obj)
    return _save(obj)


@transaction.atomic
def grid_role_end_term(*, actor, role: GridRole, ends_on: datetime.date | None = None) -> GridRole:
    obj = _locked(GridRole, role.pk)
    _require(actor, "grids.change_gridrole", obj)
    today = timezone.localdate()
    ends_on = ends_on or today
    if obj.ends_on is not None and obj.ends_on < today:
        raise ApplicationError(
            _("该任期已于 %(day)s 结束。") % {"day": obj.ends_on}, code="conflict"
        )
    if ends_on < obj.starts_on:
        raise _invalid("ends_on", _("任期结束日期不能早于开始日期。"))
    obj.ends_on = ends_on
    return _save(obj)
