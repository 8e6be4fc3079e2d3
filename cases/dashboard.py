"""Grid event figures for the leaders' dashboards, per community (the contract of
dashboards.governance): raw counts only, summable across communities, in two grouped queries
whatever the number of communities.

Definitions (P the period, [start, end)):
- events_filed: grid events filed in P.
- events_closed: events closed in P (the check on the spot 核查 passed).
- events_handled: events whose standing handling report was made in P (a report whose check
  failed no longer stands); events_handled_on_time: of those, made by the stored deadline.
- events_returned: times in P a department returned an event.
- events_reopened: times in P a check on the spot failed and the event went back to handling.
- events_cleared_within_week: events filed in P and closed in the same week (Monday to Sunday,
  Asia/Shanghai) as filed: 周周清, stored once when the event closed.
"""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from .models import GridEvent, GridEventStep

FIGURES = [
    ("events_filed", _("上报网格事件"), _("本期上报的网格事件数。")),
    ("events_closed", _("办结网格事件"), _("本期核查通过并办结的网格事件数。")),
    ("events_handled", _("处置完毕事件"), _("本期报告处置完毕（且未被核查退回）的事件数。")),
    ("events_handled_on_time", _("按时处置事件"), _("其中在处置时限内处置完毕的事件数。")),
    ("events_returned", _("退回事件"), _("本期部门退回事件的次数。")),
    ("events_reopened", _("重新处置"), _("本期核查未通过、发回重新处置的次数。")),
    (
        "events_cleared_within_week",
        _("周周清事件"),
        _("本期上报、并在上报当周（周一至周日）办结的事件数。"),
    ),
]
KEYS = [key for key, _label, _definition in FIGURES]


def figures_by_community(*, communities, period, now) -> dict[int, dict[str, int]]:
    start, end = period.start, period.end
    filed = Q(filed_at__gte=start, filed_at__lt=end)
    closed = Q(closed_at__gte=start, closed_at__lt=end)
    handled = Q(handled_at__gte=start, handled_at__lt=end, handled_on_time__isnull=False)
    rows = (
        GridEvent.objects.filter(community_id__in=communities)
        .filter(filed | closed | handled)
        .values("community_id")
        .annotate(
            events_filed=Count("pk", filter=filed),
            events_closed=Count("pk", filter=closed),
            events_handled=Count("pk", filter=handled),
            events_handled_on_time=Count("pk", filter=handled & Q(handled_on_time=True)),
            events_cleared_within_week=Count("pk", filter=filed & Q(cleared_within_week=True)),
        )
        .order_by()
    )
    result: dict[int, dict[str, int]] = {}
    for row in rows:
        community_id = row.pop("community_id")
        result[community_id] = {key: row.get(key, 0) for key in KEYS}
    steps = (
        GridEventStep.objects.filter(
            event__community_id__in=communities,
            at__gte=start,
            at__lt=end,
            verb__in=("return", "check_fail"),
        )
        .values("event__community_id")
        .annotate(
            events_returned=Count("pk", filter=Q(verb="return")),
            events_reopened=Count("pk", filter=Q(verb="check_fail")),
        )
        .order_by()
    )
    for row in steps:
        totals = result.setdefault(row["event__community_id"], dict.fromkeys(KEYS, 0))
        totals["events_returned"] = row["events_returned"]
        totals["events_reopened"] = row["events_reopened"]
    for totals in result.values():
        for key in KEYS:
            totals.setdefault(key, 0)
    return result
