"""Reporting upward's figures for the leaders' dashboards (dashboards.governance sums and
derives). Raw counts only, per community (an item's community is its topic's or event's),
summable across communities, in a fixed number of grouped queries:

- upward_items_marked: items put on any list (opinion report or practical projects) in the
  period.
- upward_items_accepted / upward_items_not_accepted / upward_items_done: items moved to 已采纳 /
  未采纳 / 已完成 in the period (their stamped status events).
"""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from grids.models import Community

from .models import ReportItem, ReportItemEvent

FIGURES = [
    (
        "upward_items_marked",
        _("上报事项"),
        _("本期列入民主生活会意见征集报告或政府实事项目清单的事项数。"),
    ),
    ("upward_items_accepted", _("上报事项已采纳"), _("本期被区里或区委采纳的上报事项数。")),
    ("upward_items_not_accepted", _("上报事项未采纳"), _("本期标记为未采纳的上报事项数。")),
    ("upward_items_done", _("上报事项已完成"), _("本期标记为已完成的上报事项数。")),
]
KEYS = [key for key, _label, _definition in FIGURES]
MOVES = {
    "upward_items_accepted": ReportItem.Status.ACCEPTED,
    "upward_items_not_accepted": ReportItem.Status.NOT_ACCEPTED,
    "upward_items_done": ReportItem.Status.DONE,
}


def figures_by_community(*, communities, period, now) -> dict[int, dict[str, int]]:
    """{community pk: {figure key: count}} over `period` ([start, end)) as of `now`. Three
    queries: the communities, the marked items, the status moves."""
    out = {
        pk: dict.fromkeys(KEYS, 0)
        for pk in Community.objects.filter(pk__in=communities).values_list("pk", flat=True)
    }
    start, end = period.start, min(period.end, now)
    marked = (
        ReportItem.objects.filter(
            community__in=communities, marked_at__gte=start, marked_at__lt=end
        )
        .values("community_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in marked:
        out[row["community_id"]]["upward_items_marked"] = row["n"]
    moves = (
        ReportItemEvent.objects.filter(
            item__community__in=communities, verb="status", at__gte=start, at__lt=end
        )
        .values("item__community_id")
        .annotate(**{key: Count("pk", filter=Q(to_state=state)) for key, state in MOVES.items()})
        .order_by()
    )
    for row in moves:
        for key in MOVES:
            out[row["item__community_id"]][key] = row[key]
    return out
