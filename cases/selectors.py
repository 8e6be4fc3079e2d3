"""Every read of the cases app, within what the actor sees (cases.scope on accounts.scope).

Lists are one query plus a constant number of prefetches whatever the page size; the inbox
is ordered due soonest first; figures are counted in the database, grouped by grid and ISO
week (Asia/Shanghai).
"""

from zoneinfo import ZoneInfo

from django.db.models import Count, Prefetch, Q
from django.db.models.functions import TruncWeek
from django.utils.translation import gettext as _

from accounts.scope import Level, actor_scope
from core.exceptions import ApplicationError
from grids.models import Building, MicroGrid

from .models import Department, EventCategory, EventPhoto, GridEvent, GridEventStep
from .scope import event_q, street_ids

SHANGHAI = ZoneInfo("Asia/Shanghai")


def not_found():
    return ApplicationError(_("未找到该记录，或不在您的管辖范围内。"), code="not_found")


def grid_event_queryset(*, actor):
    return (
        GridEvent.objects.filter(event_q(actor))
        .select_related("community", "grid", "building", "category", "department", "filed_by")
        .annotate(photo_count=Count("photos"))
    )


def grid_event_list(*, actor, filters=None):
    """The inbox: due soonest first (department staff their department's, grid leaders their
    grid's, workers their community's, street admins the street's)."""
    from .filters import GridEventFilter, apply_filters

    return apply_filters(GridEventFilter, filters, grid_event_queryset(actor=actor)).due_first()


def grid_event_get(*, actor, pk) -> GridEvent:
    qs = (
        grid_event_queryset(actor=actor)
        .select_related("topic", "checked_by")
        .prefetch_related(
            Prefetch("photos", queryset=EventPhoto.objects.order_by("pk")),
            Prefetch("steps", queryset=GridEventStep.objects.order_by("at", "pk")),
        )
    )
    event = qs.filter(pk=pk).first()
    if event is None:
        raise not_found()
    return event


def grid_event_for_update(*, actor, pk) -> GridEvent:
    """The event, if the actor may see it (a 404 otherwise), for a service to lock."""
    event = GridEvent.objects.filter(event_q(actor)).filter(pk=pk).first()
    if event is None:
        raise not_found()
    return event


def department_queryset(*, actor):
    return Department.objects.filter(street_id__in=street_ids(actor)).select_related("street")


def category_queryset(*, actor):
    return EventCategory.objects.filter(street_id__in=street_ids(actor)).select_related(
        "default_department"
    )


def filing_options(*, actor) -> dict:
    """What the phone page offers: the grids the actor files for, their buildings, and the
    active categories of their streets (a handful of queries whatever their number)."""
    scope = actor_scope(actor)
    grids = list(
        scope.filter(MicroGrid.objects.all(), Level.PEOPLE)
        .select_related("community")
        .order_by("community__name", "name")
    )
    if not scope.is_global and not scope.grid_ids and not scope.community_ids:
        grids = []
    grids = grids[:200]
    grid_ids = [g.pk for g in grids]
    buildings = list(
        Building.objects.filter(grid_id__in=grid_ids).order_by("grid_id", "name")[:2000]
    )
    streets = {g.community.street_id for g in grids}
    categories = list(
        EventCategory.objects.filter(street_id__in=streets, is_active=True).order_by("name")
    )
    return {"grids": grids, "buildings": buildings, "categories": categories}


def weekly_figures(*, actor, filters=None):
    """Per grid and ISO week of filing (Asia/Shanghai, weeks from Monday):
    found (filed), cleared within the week (closed in the week filed: 周周清), handled on time
    (the last handling before the deadline), returned (at least once), reopened (a check on
    the spot failed at least once). One grouped query."""
    from .filters import WeeklyFigureFilter, apply_filters

    qs = apply_filters(WeeklyFigureFilter, filters, GridEvent.objects.filter(event_q(actor)))
    return (
        qs.annotate(week=TruncWeek("filed_at", tzinfo=SHANGHAI))
        .values("grid_id", "grid__name", "community__name", "week")
        .annotate(
            found=Count("pk"),
            cleared_within_week=Count("pk", filter=Q(cleared_within_week=True)),
            handled=Count("pk", filter=Q(handled_on_time__isnull=False)),
            handled_on_time=Count("pk", filter=Q(handled_on_time=True)),
            returned=Count("pk", filter=Q(returned_count__gt=0)),
            reopened=Count("pk", filter=Q(reopened_count__gt=0)),
        )
        .order_by("-week", "community__name", "grid__name")
    )
