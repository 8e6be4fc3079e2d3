"""Grid work: the four ones 四个一 (visits, diaries, pairings, practical deeds) and the weekly
patrol 周周巡 with its problems' clearance 周周清.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError

from ..models import (
    DiaryEntry,
    MicroGrid,
    Pairing,
    PatrolProblem,
    PatrolRecord,
    PracticalDeed,
    VisitRecord,
    iso_week_monday,
)
from ._common import _forbidden, _invalid, _locked, _require, _save, _update


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
