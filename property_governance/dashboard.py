"""Property governance's figures for the leaders' dashboards (raw counts per community, in a
fixed number of grouped queries whatever the number of communities).

- elections_held: owners' committee elections counted in the period.
- election_ballots / election_eligible_households: of those, the household ballots counted
  and the eligible households stored at the count (turnout = ballots ÷ eligible).
- merges: 联小建大 merges (areas or committees) whose merge date falls in the period.
- committees_serving: committees serving at the end of the period (term started before it
  ends, and not ended by then).
"""

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from .models import Election, Merge, OwnersCommittee

FIGURES = [
    ("elections_held", _("业委会选举"), _("本期完成计票的业委会选举场次。")),
    ("election_ballots", _("选举投票户数"), _("本期计票的选举中已投票的户数。")),
    (
        "election_eligible_households",
        _("选举有投票权户数"),
        _("本期计票的选举中有投票权的户数（计票时固定）。"),
    ),
    ("merges", _("联小建大"), _("本期登记的物业管理区域或业委会合并次数。")),
    ("committees_serving", _("履职业委会"), _("期末处于履职状态的业委会数。")),
]
KEYS = [key for key, _label, _definition in FIGURES]


def figures_by_community(*, communities, period, now) -> dict[int, dict[str, int]]:
    ids = list(communities.values_list("pk", flat=True))
    result = {pk: dict.fromkeys(KEYS, 0) for pk in ids}
    start, end = period.start, period.end

    for row in (
        Election.objects.filter(
            area__community_id__in=ids,
            status=Election.Status.COUNTED,
            counted_at__gte=start,
            counted_at__lt=end,
        )
        .values("area__community_id")
        .annotate(
            n=Count("pk"),
            ballots=Sum("ballots_counted"),
            eligible=Sum("eligible_households"),
        )
        .order_by()
    ):
        figures = result[row["area__community_id"]]
        figures["elections_held"] = row["n"]
        figures["election_ballots"] = row["ballots"] or 0
        figures["election_eligible_households"] = row["eligible"] or 0

    first_day = start.astimezone(period_tz(period)).date()
    last_day = end.astimezone(period_tz(period)).date()  # exclusive
    for row in (
        Merge.objects.filter(community_id__in=ids, merged_on__gte=first_day, merged_on__lt=last_day)
        .values("community_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        result[row["community_id"]]["merges"] = row["n"]

    # Serving at the end of the period: started by then, and not ended (or ended after it).
    # A committee still serving today whose term began in the period counts; one that ended
    # (届满 or merged) on or before the last day does not.
    for row in (
        OwnersCommittee.objects.filter(area__community_id__in=ids, term_starts_on__lt=last_day)
        .exclude(status=OwnersCommittee.Status.PREPARING)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=last_day))
        .values("area__community_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        result[row["area__community_id"]]["committees_serving"] = row["n"]
    return result


def period_tz(period):
    from dashboards.periods import SHANGHAI

    return SHANGHAI
