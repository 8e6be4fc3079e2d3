"""Monthly series of a unit over a period: one GROUP BY month query per source table.

Months are Asia/Shanghai calendar months (`TruncMonth(..., tzinfo=Asia/Shanghai)`), so a topic
raised at 00:30 local on 1 December (16:30 UTC on 30 November) is December's. A month with
no rows is filled with 0 (an empty figure for a share with nothing to divide, and for
volunteer series of a micro-grid, where they are not defined). Seven queries in all, whatever
the number of rows or months.
"""

import datetime

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from grids.models import PatrolProblem
from projects.models import Project
from proposals.models import Topic
from volunteers.models import Attendance, PointsEntry

from ..figures import TREND_KEYS
from ..periods import SHANGHAI, Period
from ..units import Unit
from .sources import path_of


def _month(value) -> str:
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = value.astimezone(SHANGHAI)
    return f"{value.year:04d}-{value.month:02d}"


def _by_month(qs, field, period, path, unit, **aggregates) -> dict[str, dict]:
    """{"YYYY-MM": {name: value}} of `qs` rows of `unit` whose `field` falls in `period`."""
    if path is None:
        return {}
    rows = (
        qs.filter(**{path: unit.id, f"{field}__gte": period.start, f"{field}__lt": period.end})
        .annotate(month=TruncMonth(field, tzinfo=SHANGHAI))
        .order_by()
        .values("month")
        .annotate(**aggregates)
    )
    return {_month(row.pop("month")): row for row in rows}


def dashboard_trend(*, unit: Unit, period: Period, now=None) -> list[dict]:
    """One row per month of the period: the TREND_KEYS figures (see dashboards.figures)."""
    now = now or timezone.now()
    level = unit.level
    topics = _by_month(
        Topic.objects.all(),
        "raised_at",
        period,
        path_of(Topic, level),
        unit,
        raised=Count("pk"),
        on_time=Count("pk", filter=Q(responded_on_time=True)),
        due=Count(
            "pk", filter=Q(first_responded_at__isnull=False) | Q(first_response_due_at__lte=now)
        ),
        to_projects=Count("pk", filter=Q(project__isnull=False)),
    )
    solved = _by_month(
        Topic.objects.filter(state=Topic.State.SOLVED),
        "solved_at",
        period,
        path_of(Topic, level),
        unit,
        n=Count("pk"),
    )
    adopted = _by_month(
        Project.objects.all(), "planning_at", period, path_of(Project, level), unit, n=Count("pk")
    )
    closed = _by_month(
        Project.objects.filter(stage=Project.Stage.CLOSED),
        "closed_at",
        period,
        path_of(Project, level),
        unit,
        n=Count("pk"),
    )
    cleared = _by_month(
        PatrolProblem.objects.filter(status=PatrolProblem.Status.CLEARED),
        "cleared_at",
        period,
        path_of(PatrolProblem, level),
        unit,
        n=Count("pk"),
    )
    per_grid = level != "grid"
    hours = _by_month(
        Attendance.objects.filter(status=Attendance.Status.APPROVED),
        "checked_in_at",
        period,
        path_of(Attendance, level),
        unit,
        hours=Sum("hours"),
    )
    earned_path = path_of(Attendance, level)
    points = _by_month(
        PointsEntry.objects.filter(kind=PointsEntry.Kind.EARN),
        "created_at",
        period,
        f"attendance__{earned_path}" if earned_path else None,
        unit,
        points=Sum("points"),
    )

    series = []
    for month in period.months:
        t = topics.get(month, {})
        raised, on_time, due = t.get("raised", 0), t.get("on_time", 0), t.get("due", 0)
        row = {
            "month": month,
            "topics_raised": raised,
            "answered_within_4h": on_time,
            "answered_within_4h_share": round(on_time * 100 / due, 1) if due else None,
            "topics_to_projects": t.get("to_projects", 0),
            "projects_adopted": adopted.get(month, {}).get("n", 0),
            "problems_solved": solved.get(month, {}).get("n", 0)
            + closed.get(month, {}).get("n", 0)
            + cleared.get(month, {}).get("n", 0),
            "volunteer_hours": float(hours.get(month, {}).get("hours") or 0) if per_grid else None,
            "points_issued": (points.get(month, {}).get("points") or 0) if per_grid else None,
        }
        series.append({key: row[key] for key in ["month", *TREND_KEYS]})
    return series
