"""The shape of a dashboard figure and its kinds (how a value is shown and exported)."""

from dataclasses import dataclass

COUNT, PERCENT, HOURS, YUAN, POINTS, SCORE = "count", "percent", "hours", "yuan", "points", "score"
DAYS = "days"


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    help: str
    kind: str
    group: str
    # False: not defined for a micro-grid (the rows belong to a community); null there.
    per_grid: bool = True
