"""Dispute figures for the leaders' dashboards: raw counts per community, no names, summable
across communities (the dashboard derives shares and means). Three grouped queries besides the
communities', whatever their number:

- disputes_opened: cases recorded in the period (cancelled ones, recorded in error, excluded).
- disputes_resolved: cases whose outcome (agreement, referral, withdrawal) was recorded in the
  period.
- disputes_agreements / disputes_referred: of those, the ones settled by a signed agreement /
  referred to a court, department or arbitration.
- disputes_followups_due: cases whose follow-up visit fell due in the period (by now).
- disputes_followups_on_time: of those, the ones visited by their due time.
- disputes_resolve_days_total: for the resolved cases, the time from intake to outcome added
  up, in whole days (rounded down once, on the total); the mean is this ÷ disputes_resolved.
"""

import datetime

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.utils.translation import gettext_lazy as _

from grids.models import Community

from .models import DisputeCase

C = DisputeCase
FIGURES = [
    ("disputes_opened", _("新登记矛盾纠纷"), _("本期登记的矛盾纠纷案件数（不含撤销的）。")),
    ("disputes_resolved", _("化解矛盾纠纷"), _("本期登记调解结果（协议、转交或撤回）的案件数。")),
    ("disputes_agreements", _("达成调解协议"), _("本期登记结果的案件中，达成调解协议的数量。")),
    ("disputes_referred", _("转交处理"), _("本期登记结果的案件中，转交法院、部门或仲裁的数量。")),
    ("disputes_followups_due", _("应回访"), _("回访期限在本期内（且已到期）的案件数。")),
    ("disputes_followups_on_time", _("按期回访"), _("应回访案件中在期限内完成回访的数量。")),
    (
        "disputes_resolve_days_total",
        _("化解用时合计（天）"),
        _("本期化解的案件从登记到结果的用时之和（天，向下取整）；除以化解数得平均用时。"),
    ),
]
KEYS = [key for key, _label, _definition in FIGURES]


def _window(period, now):
    return period.start, min(period.end, now)


def figures_by_community(*, communities, period, now) -> dict[int, dict[str, int]]:
    out = {
        pk: dict.fromkeys(KEYS, 0)
        for pk in Community.objects.filter(pk__in=communities).values_list("pk", flat=True)
    }
    start, end = _window(period, now)
    cases = C.objects.filter(community__in=communities)

    opened = (
        cases.filter(created_at__gte=start, created_at__lt=end)
        .exclude(status=C.Status.CANCELLED)
        .values("community_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in opened:
        out[row["community_id"]]["disputes_opened"] = row["n"]

    took = ExpressionWrapper(F("outcome_at") - F("created_at"), output_field=DurationField())
    resolved = (
        cases.filter(outcome_at__gte=start, outcome_at__lt=end)
        .values("community_id")
        .annotate(
            n=Count("pk"),
            agreements=Count("pk", filter=Q(outcome=C.Outcome.AGREEMENT)),
            referred=Count("pk", filter=Q(outcome=C.Outcome.REFERRED)),
            took=Sum(took),
        )
        .order_by()
    )
    for row in resolved:
        figures = out[row["community_id"]]
        figures["disputes_resolved"] = row["n"]
        figures["disputes_agreements"] = row["agreements"]
        figures["disputes_referred"] = row["referred"]
        total = row["took"] or datetime.timedelta()
        if not isinstance(total, datetime.timedelta):  # microseconds on some backends
            total = datetime.timedelta(microseconds=total)
        figures["disputes_resolve_days_total"] = total.days

    followups = (
        cases.filter(followup_due_at__gte=start, followup_due_at__lt=end)
        .values("community_id")
        .annotate(n=Count("pk"), on_time=Count("pk", filter=Q(followup_on_time=True)))
        .order_by()
    )
    for row in followups:
        out[row["community_id"]]["disputes_followups_due"] = row["n"]
        out[row["community_id"]]["disputes_followups_on_time"] = row["on_time"]
    return out


def by_category(communities, period, *, now=None) -> dict[str, dict[str, int]]:
    """{category: {"opened": n, "agreement": n, "referred": n, "withdrawn": n}} over the
    period, for the communities together (two queries; counts only)."""
    from django.utils import timezone

    start, end = _window(period, now or timezone.now())
    out = {
        value: {"opened": 0, **dict.fromkeys(C.Outcome.values, 0)} for value in C.Category.values
    }
    cases = C.objects.filter(community__in=communities)
    for row in (
        cases.filter(created_at__gte=start, created_at__lt=end)
        .exclude(status=C.Status.CANCELLED)
        .values("category")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        out[row["category"]]["opened"] = row["n"]
    for row in (
        cases.filter(outcome_at__gte=start, outcome_at__lt=end)
        .values("category", "outcome")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        out[row["category"]][row["outcome"]] = row["n"]
    return out
