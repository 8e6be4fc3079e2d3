"""The grid events and disputes section of the dashboard (`GET /api/v1/dashboard/cases/`):
counts only, never a person. Four queries whatever the number of events, grids or weeks:

- events_by_state: grid events of the unit filed in the period P, by their state now (one
  grouped query; every state listed, 0 where none).
- weeks: per child unit (micro-grids of a community, communities of a street, streets of a
  district; the grid itself for a micro-grid) and per ISO week of filing (Monday–Sunday,
  Asia/Shanghai), the events filed in P: found; cleared within the week (closed in the week
  they were filed: 周周清) and its share of found; handled (their standing handling report is
  in) and handled on time (by the deadline) and its share; returned (by a department at least
  once); reopened (a check on the spot failed at least once). One grouped query, the same
  definitions as the cases app's per-grid weekly figures (cases.selectors.weekly_figures),
  grouped here by the child unit so that a street reads per community. A week cut by the
  period's edge counts only its days inside P.
- disputes_by_category: dispute cases of the unit's communities per category: opened in P
  (not cancelled) and outcomes recorded in P (agreement, referred, withdrawn); from
  disputes.dashboard.by_category (two grouped queries). A micro-grid has none: disputes are
  the community's, and a grid's handful could point at people.
"""

import datetime
from zoneinfo import ZoneInfo

from django.db.models import Count, Q
from django.db.models.functions import TruncWeek

from cases.models import GridEvent
from disputes import dashboard as disputes_dashboard
from disputes.models import DisputeCase
from grids.models import Community

from ..units import Unit

SHANGHAI = ZoneInfo("Asia/Shanghai")
# The field naming the child unit a week row belongs to, and the child's level.
GROUP_BY = {
    "district": ("community__street_id", "community__street__name", "street"),
    "street": ("community_id", "community__name", "community"),
    "community": ("grid_id", "grid__name", "grid"),
    "grid": ("grid_id", "grid__name", "grid"),
}
UNIT_PATH = {
    "district": "community__street__district_id",
    "street": "community__street_id",
    "community": "community_id",
    "grid": "grid_id",
}
COMMUNITY_PATH = {"district": "street__district_id", "street": "street_id", "community": "pk"}
WEEK_COUNTS = (
    "found",
    "cleared_within_week",
    "handled",
    "handled_on_time",
    "returned",
    "reopened",
)


def _share(part, whole):
    return round(part * 100 / whole, 1) if whole else None


def _events(unit: Unit, period):
    return GridEvent.objects.filter(
        **{UNIT_PATH[unit.level]: unit.id},
        filed_at__gte=period.start,
        filed_at__lt=period.end,
    )


def events_by_state(unit: Unit, period) -> list[dict]:
    counts = dict(
        _events(unit, period).values("state").annotate(n=Count("pk")).values_list("state", "n")
    )
    return [
        {"state": state, "label": str(label), "count": counts.get(state, 0)}
        for state, label in GridEvent.State.choices
    ]


def _week_of(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(SHANGHAI)
        value = value.date()
    return value


def weeks(unit: Unit, period) -> list[dict]:
    key, name, level = GROUP_BY[unit.level]
    rows = (
        _events(unit, period)
        .annotate(week=TruncWeek("filed_at", tzinfo=SHANGHAI))
        .values(key, name, "week")
        .annotate(
            found=Count("pk"),
            cleared_within_week=Count("pk", filter=Q(cleared_within_week=True)),
            handled=Count("pk", filter=Q(handled_on_time__isnull=False)),
            handled_on_time=Count("pk", filter=Q(handled_on_time=True)),
            returned=Count("pk", filter=Q(returned_count__gt=0)),
            reopened=Count("pk", filter=Q(reopened_count__gt=0)),
        )
        .order_by()
    )
    out = []
    for row in rows:
        monday = _week_of(row["week"])
        year, number, _day = monday.isocalendar()
        out.append(
            {
                "ref": f"{level}:{row[key]}",
                "id": row[key],
                "name": row[name],
                "week": f"{year}-W{number:02d}",
                "week_start": monday,
                **{count: row[count] for count in WEEK_COUNTS},
                "cleared_within_week_share": _share(row["cleared_within_week"], row["found"]),
                "handled_on_time_share": _share(row["handled_on_time"], row["handled"]),
            }
        )
    out.sort(key=lambda r: (r["week_start"], r["name"], r["id"]))
    return out


def disputes_by_category(unit: Unit, period, now) -> list[dict]:
    if unit.level not in COMMUNITY_PATH:
        return []
    communities = Community.objects.filter(**{COMMUNITY_PATH[unit.level]: unit.id}).values("pk")
    counts = disputes_dashboard.by_category(communities, period, now=now)
    return [
        {"category": category, "label": str(label), **counts[category]}
        for category, label in DisputeCase.Category.choices
    ]


def dashboard_cases(*, unit: Unit, period, now) -> dict:
    return {
        "events_by_state": events_by_state(unit, period),
        "weeks": weeks(unit, period),
        "disputes_by_category": disputes_by_category(unit, period, now),
    }
