"""Every write of the grids app. The admin, the API and the demo generator call these.

Each service checks the actor's permission on the unit it writes into (an out-of-scope unit
answers not_found, like a missing one; a visible one the actor may not change answers
forbidden), validates the whole row before anything is written, and runs in one transaction.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scope import Level, actor_scope
from core.exceptions import ApplicationError

from .models import (
    BUILDING_ROLES,
    SINGLE_HOLDER_ROLES,
    Building,
    Community,
    CommunityType,
    DiaryEntry,
    District,
    GridPlace,
    GridResource,
    GridRole,
    GridRoleKind,
    MicroGrid,
    Pairing,
    PatrolProblem,
    PatrolRecord,
    PracticalDeed,
    Street,
    VisitRecord,
    iso_week_monday,
)

# ---------------------------------------------------------------------------------------------
# Plumbing


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


# ---------------------------------------------------------------------------------------------
# The organisation tree

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
BUILDING_FIELDS = ("grid", "name", "address", "floors", "households_estimate")


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
def building_create(
    *,
    actor,
    grid: MicroGrid,
    name: str,
    address: str = "",
    floors: int | None = None,
    households_estimate: int | None = None,
) -> Building:
    _require(actor, "grids.add_building", grid, field="grid")
    obj = Building(
        grid=grid,
        community_id=grid.community_id,
        name=name,
        address=address,
        floors=floors,
        households_estimate=households_estimate,
    )
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


# ---------------------------------------------------------------------------------------------
# Places and resources

PLACE_FIELDS = ("kind", "name", "address", "contact_name", "contact_phone", "notes")
RESOURCE_FIELDS = (
    "kind",
    "name",
    "address",
    "contact_name",
    "contact_phone",
    "offers",
    "is_active",
)


@transaction.atomic
def grid_place_create(
    *,
    actor,
    grid: MicroGrid,
    kind: str,
    name: str,
    address: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    notes: str = "",
) -> GridPlace:
    _require(actor, "grids.add_gridplace", grid, field="grid")
    return _save(
        GridPlace(
            grid=grid,
            kind=kind,
            name=name,
            address=address,
            contact_name=contact_name,
            contact_phone=contact_phone,
            notes=notes,
        )
    )


@transaction.atomic
def grid_place_update(*, actor, place: GridPlace, **changes) -> GridPlace:
    obj = _update(
        place, actor=actor, perm="grids.change_gridplace", changes=changes, allowed=PLACE_FIELDS
    )
    return _save(obj)


def _check_resource_grids(community_id, grids):
    grids = list(grids)
    if not grids:
        raise _invalid("grids", _("请至少选择一个服务的微网格。"))
    if any(g.community_id != community_id for g in grids):
        raise _invalid("grids", _("只能选择本居民区的微网格。"))
    return grids


@transaction.atomic
def grid_resource_create(
    *,
    actor,
    community: Community,
    kind: str,
    name: str,
    offers: str,
    grids: Iterable[MicroGrid],
    address: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    is_active: bool = True,
) -> GridResource:
    _require(actor, "grids.add_gridresource", community, field="community")
    grids = _check_resource_grids(community.pk, grids)
    obj = _save(
        GridResource(
            community=community,
            kind=kind,
            name=name,
            offers=offers,
            address=address,
            contact_name=contact_name,
            contact_phone=contact_phone,
            is_active=is_active,
        )
    )
    obj.grids.set(grids)
    return obj


@transaction.atomic
def grid_resource_update(
    *, actor, resource: GridResource, grids: Iterable[MicroGrid] | None = None, **changes
) -> GridResource:
    obj = _update(
        resource,
        actor=actor,
        perm="grids.change_gridresource",
        changes=changes,
        allowed=RESOURCE_FIELDS,
    )
    if grids is not None:
        grids = _check_resource_grids(obj.community_id, grids)
    _save(obj)
    if grids is not None:
        obj.grids.set(grids)
    return obj


# ---------------------------------------------------------------------------------------------
# The four ones 四个一


def _not_in_future(field, day):
    if day > timezone.localdate():
        raise _invalid(field, _("日期不能晚于今天。"))


def _check_household(grid, household, *, field="household"):
    if household is None:
        return
    if household.community_id != grid.community_id or (
        household.grid_id is not None and household.grid_id != grid.pk
    ):
        raise _invalid(field, _("所选户不在该微网格内。"))


VISIT_FIELDS = ("visited_on", "household", "visitee", "summary", "needs_found")
DIARY_FIELDS = ("written_on", "content")
PAIRING_FIELDS = ("helper_name", "helper_phone", "helper", "since", "until", "notes")
DEED_FIELDS = ("title", "description", "done_on", "beneficiaries", "beneficiary_count")
PATROL_FIELDS = ("patrolled_on", "route", "notes")


@transaction.atomic
def visit_record(
    *,
    actor,
    grid: MicroGrid,
    visited_on: datetime.date,
    summary: str,
    household=None,
    visitee: str = "",
    needs_found: str = "",
    visitor=None,
) -> VisitRecord:
    _require(actor, "grids.add_visitrecord", grid, field="grid")
    _not_in_future("visited_on", visited_on)
    _check_household(grid, household)
    return _save(
        VisitRecord(
            grid=grid,
            visitor=visitor or actor,
            visited_on=visited_on,
            household=household,
            visitee=visitee,
            summary=summary,
            needs_found=needs_found,
        )
    )


@transaction.atomic
def visit_update(*, actor, visit: VisitRecord, **changes) -> VisitRecord:
    obj = _update(
        visit, actor=actor, perm="grids.change_visitrecord", changes=changes, allowed=VISIT_FIELDS
    )
    _not_in_future("visited_on", obj.visited_on)
    _check_household(obj.grid, obj.household)
    return _save(obj)


@transaction.atomic
def diary_record(*, actor, grid: MicroGrid, written_on: datetime.date, content: str) -> DiaryEntry:
    _require(actor, "grids.add_diaryentry", grid, field="grid")
    _not_in_future("written_on", written_on)
    return _save(DiaryEntry(grid=grid, author=actor, written_on=written_on, content=content))


@transaction.atomic
def diary_update(*, actor, entry: DiaryEntry, **changes) -> DiaryEntry:
    obj = _update(
        entry, actor=actor, perm="grids.change_diaryentry", changes=changes, allowed=DIARY_FIELDS
    )
    if obj.author_id != actor.pk and not actor.is_superuser:
        # A diary is its author's own account of the day.
        raise _forbidden()
    _not_in_future("written_on", obj.written_on)
    return _save(obj)


@transaction.atomic
def pairing_record(
    *,
    actor,
    grid: MicroGrid,
    household,
    helper_name: str,
    since: datetime.date,
    helper_phone: str = "",
    helper=None,
    until: datetime.date | None = None,
    notes: str = "",
) -> Pairing:
    _require(actor, "grids.add_pairing", grid, field="grid")
    _check_household(grid, household)
    if until is not None and until < since:
        raise _invalid("until", _("结对结束日期不能早于开始日期。"))
    return _save(
        Pairing(
            grid=grid,
            household=household,
            helper_name=helper_name,
            helper_phone=helper_phone,
            helper=helper,
            since=since,
            until=until,
            notes=notes,
        )
    )


@transaction.atomic
def pairing_update(*, actor, pairing: Pairing, **changes) -> Pairing:
    obj = _update(
        pairing, actor=actor, perm="grids.change_pairing", changes=changes, allowed=PAIRING_FIELDS
    )
    if obj.until is not None and obj.until < obj.since:
        raise _invalid("until", _("结对结束日期不能早于开始日期。"))
    return _save(obj)


@transaction.atomic
def pairing_end(*, actor, pairing: Pairing, until: datetime.date | None = None) -> Pairing:
    obj = _locked(Pairing, pairing.pk)
    _require(actor, "grids.change_pairing", obj)
    today = timezone.localdate()
    if obj.until is not None and obj.until < today:
        raise ApplicationError(_("该结对已于 %(day)s 结束。") % {"day": obj.until}, code="conflict")
    until = until or today
    if until < obj.since:
        raise _invalid("until", _("结对结束日期不能早于开始日期。"))
    obj.until = until
    return _save(obj)


@transaction.atomic
def deed_record(
    *,
    actor,
    grid: MicroGrid,
    title: str,
    description: str,
    done_on: datetime.date,
    beneficiaries: str = "",
    beneficiary_count: int | None = None,
) -> PracticalDeed:
    _require(actor, "grids.add_practicaldeed", grid, field="grid")
    _not_in_future("done_on", done_on)
    return _save(
        PracticalDeed(
            grid=grid,
            title=title,
            description=description,
            done_on=done_on,
            beneficiaries=beneficiaries,
            beneficiary_count=beneficiary_count,
            recorded_by=actor,
        )
    )


@transaction.atomic
def deed_update(*, actor, deed: PracticalDeed, **changes) -> PracticalDeed:
    obj = _update(
        deed, actor=actor, perm="grids.change_practicaldeed", changes=changes, allowed=DEED_FIELDS
    )
    _not_in_future("done_on", obj.done_on)
    return _save(obj)


# ---------------------------------------------------------------------------------------------
# Weekly patrol 周周巡 and clearance 周周清


@transaction.atomic
def patrol_record(
    *,
    actor,
    grid: MicroGrid,
    patrolled_on: datetime.date,
    route: str = "",
    notes: str = "",
    patroller=None,
) -> PatrolRecord:
    _require(actor, "grids.add_patrolrecord", grid, field="grid")
    _not_in_future("patrolled_on", patrolled_on)
    return _save(
        PatrolRecord(
            grid=grid,
            patroller=patroller or actor,
            patrolled_on=patrolled_on,
            route=route,
            notes=notes,
        )
    )


@transaction.atomic
def patrol_update(*, actor, patrol: PatrolRecord, **changes) -> PatrolRecord:
    obj = _update(
        patrol,
        actor=actor,
        perm="grids.change_patrolrecord",
        changes=changes,
        allowed=PATROL_FIELDS,
    )
    _not_in_future("patrolled_on", obj.patrolled_on)
    return _save(obj)


@transaction.atomic
def patrol_problem_report(
    *, actor, patrol: PatrolRecord, description: str, location: str = "", photo=None
) -> PatrolProblem:
    _require(actor, "grids.add_patrolproblem", patrol, field="patrol")
    problem = PatrolProblem(
        patrol=patrol, grid_id=patrol.grid_id, description=description, location=location
    )
    if photo:
        problem.photo = photo
    return _save(problem)


# The legal moves of a patrol problem: only an open problem is cleared or routed, once.
PROBLEM_TRANSITIONS = {
    "clear": ({PatrolProblem.Status.OPEN}, PatrolProblem.Status.CLEARED),
    "route": ({PatrolProblem.Status.OPEN}, PatrolProblem.Status.ROUTED),
}


def _problem_move(actor, problem, move):
    obj = PatrolProblem.objects.select_for_update().select_related("patrol").get(pk=problem.pk)
    _require(actor, "grids.change_patrolproblem", obj)
    sources, target = PROBLEM_TRANSITIONS[move]
    if obj.status not in sources:
        raise ApplicationError(
            _("该问题当前状态为“%(status)s”，不能再%(move)s。")
            % {
                "status": obj.get_status_display(),
                "move": _("清除") if move == "clear" else _("转派"),
            },
            code="conflict",
        )
    obj.status = target
    return obj


@transaction.atomic
def patrol_problem_clear(*, actor, problem: PatrolProblem, note: str = "") -> PatrolProblem:
    obj = _problem_move(actor, problem, "clear")
    now = timezone.now()
    obj.cleared_at, obj.cleared_by, obj.clearance_note = now, actor, note
    # 周周清 is judged in Asia/Shanghai weeks: the week of the patrol, Monday to Sunday.
    obj.cleared_within_week = iso_week_monday(timezone.localdate(now)) == iso_week_monday(
        obj.patrol.patrolled_on
    )
    return _save(obj)


@transaction.atomic
def patrol_problem_route(
    *, actor, problem: PatrolProblem, department: str, note: str = ""
) -> PatrolProblem:
    department = (department or "").strip()
    if not department:
        raise _invalid("department", _("请填写转派的责任部门。"))
    obj = _problem_move(actor, problem, "route")
    obj.department, obj.routed_at, obj.routed_by, obj.route_note = (
        department,
        timezone.now(),
        actor,
        note,
    )
    return _save(obj)
