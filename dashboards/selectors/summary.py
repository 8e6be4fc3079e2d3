"""The summary of one unit and the ranking of its children: the same figures, the same queries.

Both run each source once (`sources.raw_figures`: grouped by the unit itself for the summary,
by its children for the ranking); the median comes with the topics on PostgreSQL, and from one
more query on SQLite (`median`). The shares, sums and
hours are then worked out per unit from those numbers, never per topic or attendance: the
queries are the same whether a unit has one topic or a million.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from proposals.models import Topic

from .. import governance
from ..figures import ASCENDING, BY_KEY, KEYS
from ..periods import Period
from ..units import Unit, child_queryset
from .median import in_database as median_in_database
from .median import median_by_unit
from .sources import path_of, raw_figures, topic_querysets


def _hours(value: datetime.timedelta | None) -> float | None:
    if value is None:
        return None
    return round(value.total_seconds() / 3600, 2)


def _share(part, whole) -> float | None:
    if not whole:
        return None
    return round(part * 100 / whole, 1)


def _derive(row: dict, median, level: str) -> dict:
    """The figures computed from the raw ones, for one unit (see dashboards.figures)."""
    row["answered_within_4h_share"] = _share(row["answered_within_4h"], row["topics_due"])
    row["mean_response_hours"] = _hours(row.pop("mean_response"))
    row["median_response_hours"] = _hours(median)
    row["conversion_rate"] = _share(row["topics_to_projects"], row["topics_raised"])
    row["problems_solved"] = (
        row["topics_solved_directly"] + row["projects_closed"] + row["patrol_problems_cleared"]
    )
    if row["satisfaction"] is not None:
        row["satisfaction"] = round(float(row["satisfaction"]), 2)
    row["participation"] = (
        (row["participation_attendances"] or 0)
        + row["participation_project_members"]
        + row["participation_hands"]
        + row["participation_evaluations"]
    )
    row.update(governance.derive(row, level))
    if level == "grid":
        for key in KEYS:
            if not BY_KEY[key].per_grid:
                row[key] = None
    return {key: row[key] for key in KEYS}


def figures_for(
    units: list[tuple[int, str]], *, level: str, unit_id: int, group_level: str, period, now
) -> list[dict]:
    """Every figure of each `group_level` unit in `units` ((id, name) pairs), all of them under
    the `level` unit `unit_id`."""
    ids = [pk for pk, _name in units]
    raw = raw_figures(
        level=level, unit_id=unit_id, group_level=group_level, unit_ids=ids, period=period, now=now
    )
    extra = governance.governance_raw(
        level=level, unit_id=unit_id, group_level=group_level, unit_ids=ids, period=period, now=now
    )
    for pk in ids:
        raw[pk].update(extra[pk])
    if median_in_database():
        medians = {pk: raw[pk].pop("median_response") for pk in ids}
    else:
        group = path_of(Topic, group_level)
        medians = median_by_unit(
            topic_querysets(period, now)["responded"],
            where={path_of(Topic, level): unit_id, f"{group}__isnull": False},
            group=group,
        )
    return [
        {"id": pk, "name": name, "figures": _derive(raw[pk], medians.get(pk), group_level)}
        for pk, name in units
    ]


def dashboard_summary(*, unit: Unit, period: Period, now=None) -> dict:
    """All figures of `unit` over `period`."""
    now = now or timezone.now()
    (row,) = figures_for(
        [(unit.id, unit.name)],
        level=unit.level,
        unit_id=unit.id,
        group_level=unit.level,
        period=period,
        now=now,
    )
    return row["figures"]


def _sort_key(figure: str):
    descending = figure not in ASCENDING

    def key(row):
        value = row["figures"][figure]
        if value is None:
            return (1, 0, row["name"])  # units without the figure last
        number = float(value) if isinstance(value, Decimal) else value
        return (0, -number if descending else number, row["name"])

    return key


def dashboard_ranking(*, unit: Unit, period: Period, sort: str, now=None) -> list[dict]:
    """The unit's children ranked by `sort` (descending; ascending for response times and
    overdue topics, where less is better), ties by name; each with every figure and its rank."""
    level = unit.child_level
    if level is None:
        return []
    now = now or timezone.now()
    children = list(child_queryset(unit).order_by("code").values_list("pk", "name"))
    rows = figures_for(
        children, level=unit.level, unit_id=unit.id, group_level=level, period=period, now=now
    )
    # Sorting the unit rows (a street's communities, a community's grids) once they are
    # aggregated: a few hundred rows at most, so done here rather than in SQL.
    rows.sort(key=_sort_key(sort))
    previous, rank = object(), 0
    for position, row in enumerate(rows, start=1):
        value = row["figures"][sort]
        # Equal figures share a rank (1, 2, 2, 4); units without the figure have none.
        if value != previous:
            rank, previous = position, value
        row["rank"] = rank if value is not None else None
        row["ref"] = f"{level}:{row['id']}"
    return rows
