"""The cadres' review on the leaders' dashboards: raw counts per community, summable.

Only rounds that ended (closed or results published) within the period count, by the time
they closed; their turnout is the snapshot taken at close. Scores are counted only for rounds
with at least MIN_PARTICIPANTS participants (the same threshold the results use), so a
community's aggregate never reveals a tiny round's voters. Aggregates only: no figure is per
cadre. Two grouped queries whatever the number of communities.
"""

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from .models import MIN_PARTICIPANTS, Rating, ReviewRound, ScoreTally

FIGURES = [
    ("cadre_rounds_closed", _("两委测评（轮）"), _("期内结束的两委干部测评轮数")),
    ("cadre_participants", _("测评参与人数"), _("期内结束的测评中参与评分的居民人数")),
    (
        "cadre_eligible",
        _("测评应参与人数"),
        _("期内结束的测评在结束时本居民区已实名核验的在住居民账号数"),
    ),
    (
        "cadre_satisfied_scores",
        _("“满意”评价数"),
        _("期内结束且参与人数达到公布门槛的测评中，评价为“满意”的人次（按干部累计）"),
    ),
    (
        "cadre_scores",
        _("干部评价总数"),
        _("期内结束且参与人数达到公布门槛的测评中的评价人次（按干部累计）"),
    ),
]
KEYS = [key for key, _label, _definition in FIGURES]


def _ended(communities, period):
    return ReviewRound.objects.filter(
        community__in=communities,
        status__in=[ReviewRound.Status.CLOSED, ReviewRound.Status.PUBLISHED],
        closed_at__gte=period.start,
        closed_at__lt=period.end,
    )


def figures_by_community(*, communities, period, now) -> dict[int, dict[str, int]]:
    ids = list(communities.values_list("pk", flat=True))
    out = {pk: dict.fromkeys(KEYS, 0) for pk in ids}
    rounds = _ended(communities, period)
    for row in (
        rounds.values("community_id")
        .annotate(
            n=Count("pk"),
            participants=Sum("participant_count"),
            eligible=Sum("eligible_count"),
        )
        .order_by()
    ):
        figures = out.setdefault(row["community_id"], dict.fromkeys(KEYS, 0))
        figures["cadre_rounds_closed"] = row["n"]
        figures["cadre_participants"] = row["participants"] or 0
        figures["cadre_eligible"] = row["eligible"] or 0
    shown = rounds.filter(participant_count__gte=MIN_PARTICIPANTS)
    for row in (
        ScoreTally.objects.filter(round__in=shown.values("pk"))
        .values("round__community_id")
        .annotate(
            scores=Sum("count"),
            satisfied=Sum("count", filter=Q(value=Rating.SATISFIED)),
        )
        .order_by()
    ):
        figures = out.setdefault(row["round__community_id"], dict.fromkeys(KEYS, 0))
        figures["cadre_scores"] = row["scores"] or 0
        figures["cadre_satisfied_scores"] = row["satisfied"] or 0
    return out
