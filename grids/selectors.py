"""Every read of the grids app, limited to the actor's scope through accounts.scope.

The organisation tree is read at the PUBLIC level (a resident sees their own community),
grid work at the ORG level (staff, district leaders included). Each selector does its own
select_related/prefetch so that no caller can cause a query per row.
"""

import datetime

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import TruncWeek
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scope import Level, actor_scope
from core.exceptions import ApplicationError

from .models import (
    Building,
    Community,
    CommunityType,
    Compound,
    DiaryEntry,
    District,
    GridPlace,
    GridResource,
    GridRole,
    MicroGrid,
    Pairing,
    PatrolProblem,
    PatrolRecord,
    PracticalDeed,
    Street,
    VisitRecord,
    iso_week_monday,
)


def _scoped(actor, qs: QuerySet, level: Level) -> QuerySet:
    return actor_scope(actor).filter(qs, level)


def get_or_404(qs: QuerySet, pk):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise ApplicationError(
            _("未找到该记录，或不在您的管辖范围内。"), code="not_found"
        ) from None


# The organisation tree -------------------------------------------------------------------------


def district_list(*, actor) -> QuerySet:
    return _scoped(actor, District.objects.all(), Level.PUBLIC)


def street_list(*, actor) -> QuerySet:
    return _scoped(actor, Street.objects.select_related("district"), Level.PUBLIC)


def community_type_list(*, actor) -> QuerySet:
    return _scoped(actor, CommunityType.objects.select_related("street"), Level.PUBLIC)


def community_list(*, actor) -> QuerySet:
    qs = Community.objects.select_related("street", "community_type")
    return _scoped(actor, qs, Level.PUBLIC)


def grid_list(*, actor, level: Level = Level.PUBLIC) -> QuerySet:
    qs = MicroGrid.objects.select_related("community", "community__street")
    return _scoped(actor, qs, level)


def building_list(*, actor) -> QuerySet:
    qs = Building.objects.select_related("grid", "community", "compound")
    return _scoped(actor, qs, Level.PUBLIC)


def compound_list(*, actor) -> QuerySet:
    """Compounds of the communities the actor sees (a resident: their own community's)."""
    qs = (
        Compound.objects.select_related("community")
        .annotate(building_count=Count("buildings", distinct=True))
        .order_by("community__code", "name")  # aggregation drops Meta.ordering
    )
    return _scoped(actor, qs, Level.PUBLIC)


# Grid roles, places and resources ----------------------------------------------------------------

_GRID = ("grid", "grid__community")


def grid_role_list(*, actor, current_only: bool = False) -> QuerySet:
    qs = GridRole.objects.select_related(*_GRID, "building")
    if current_only:
        qs = qs.current()
    return _scoped(actor, qs, Level.ORG)


def grid_place_list(*, actor) -> QuerySet:
    return _scoped(actor, GridPlace.objects.select_related(*_GRID), Level.ORG)


def grid_resource_list(*, actor) -> QuerySet:
    """Resources of the communities in ORG scope, and those linked to the actor's grids."""
    scope = actor_scope(actor)
    qs = GridResource.objects.select_related("community").prefetch_related(
        Prefetch("grids", queryset=MicroGrid.objects.only("id", "name", "community_id"))
    )
    if scope.is_global:
        return qs
    condition = scope.q(GridResource, Level.ORG)
    if scope.grid_ids:
        linked = GridResource.grids.through.objects.filter(microgrid_id__in=scope.grid_ids)
        condition |= Q(pk__in=linked.values("gridresource_id"))
    return qs.filter(condition)


# Grid work -------------------------------------------------------------------------------------


def visit_list(*, actor) -> QuerySet:
    qs = VisitRecord.objects.select_related(*_GRID, "visitor", "household", "household__building")
    return _scoped(actor, qs, Level.ORG)


def diary_list(*, actor) -> QuerySet:
    return _scoped(actor, DiaryEntry.objects.select_related(*_GRID, "author"), Level.ORG)


def pairing_list(*, actor) -> QuerySet:
    qs = Pairing.objects.select_related(*_GRID, "household", "household__building")
    return _scoped(actor, qs, Level.ORG)


def deed_list(*, actor) -> QuerySet:
    return _scoped(actor, PracticalDeed.objects.select_related(*_GRID, "recorded_by"), Level.ORG)


def patrol_list(*, actor) -> QuerySet:
    qs = (
        PatrolRecord.objects.select_related(*_GRID, "patroller")
        .annotate(
            problem_count=Count("problems", distinct=True),
            open_problem_count=Count(
                "problems", filter=Q(problems__status=PatrolProblem.Status.OPEN), distinct=True
            ),
        )
        .order_by("-patrolled_on", "-id")
    )  # aggregation drops Meta.ordering
    return _scoped(actor, qs, Level.ORG)


def patrol_problem_list(*, actor) -> QuerySet:
    qs = PatrolProblem.objects.select_related(*_GRID, "patrol", "cleared_by", "routed_by")
    return _scoped(actor, qs, Level.ORG)


# The weekly visit round ------------------------------------------------------------------------


def recent_week_starts(
    *, weeks: int = 8, today: datetime.date | None = None
) -> list[datetime.date]:
    """The Mondays of the last `weeks` ISO weeks, oldest first, the current week last.
    "Today" is the date in Asia/Shanghai, so a visit late on Sunday evening counts for that
    week even though it is already Monday in UTC."""
    today = today or timezone.localdate()
    this_monday = iso_week_monday(today)
    return [this_monday - datetime.timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]


def visit_round_counts(*, grid_ids, week_starts: list[datetime.date]) -> dict:
    """{(grid_id, monday): number of visits}, in one aggregate query for all cells."""
    if not week_starts:
        return {}
    rows = (
        VisitRecord.objects.filter(
            grid_id__in=list(grid_ids),
            visited_on__gte=week_starts[0],
            visited_on__lt=week_starts[-1] + datetime.timedelta(weeks=1),
        )
        .annotate(week=TruncWeek("visited_on"))
        .values("grid_id", "week")
        .annotate(visits=Count("id"))
        .order_by()
    )
    counts = {}
    for row in rows:
        week = row["week"]
        if isinstance(week, datetime.datetime):
            week = week.date()
        counts[(row["grid_id"], week)] = row["visits"]
    return counts


def visit_round_rows(*, grids, week_starts: list[datetime.date]) -> list[dict]:
    """One row per grid (in the order given): the grid and, per week, the visit count and
    whether the round was done."""
    grids = list(grids)
    counts = visit_round_counts(grid_ids=[g.pk for g in grids], week_starts=week_starts)
    rows = []
    for grid in grids:
        cells = []
        for monday in week_starts:
            visits = counts.get((grid.pk, monday), 0)
            iso = monday.isocalendar()
            cells.append(
                {
                    "week_start": monday,
                    "iso_year": iso.year,
                    "iso_week": iso.week,
                    "visits": visits,
                    "done": visits > 0,
                }
            )
        rows.append({"grid": grid, "weeks": cells})
    return rows
