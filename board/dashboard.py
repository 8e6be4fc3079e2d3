"""The board's figures for the leaders' dashboards (dashboards.governance sums and derives).

Raw counts only, per community, summable across communities; the shares (turnout) are the
dashboard's. A fixed number of grouped queries, whatever the number of communities:

- notices_published: notices of the community (community, compound or building audience;
  street-wide notices belong to no community) that went up in the period: published (or
  withdrawn later), their publish time in the period and already reached, not withdrawn
  before it.
- consultations_closed: published consultations and polls (not cancelled) whose window
  closed in the period (and has closed by now).
- consultation_responses: the answer sheets of those consultations (online and paper).
- consultation_eligible: their eligible residents, or households where one answer is per
  household, counted as each consultation's turnout counts them (board.selectors).
- paper_responses: of consultation_responses, the paper sheets entered by workers.
"""

from django.db.models import Count, F, Q, Sum
from django.utils.translation import gettext_lazy as _

from grids.models import Community

from .models import Consultation, Notice, Response
from .selectors import eligible_expression

FIGURES = [
    (
        "notices_published",
        _("发布公告"),
        _("本期发布的居民区、小区、楼组公告数（含之后撤回的；不含街道全街公告）。"),
    ),
    (
        "consultations_closed",
        _("完成意见征询"),
        _("本期截止的已发布意见征询和投票数（不含已取消）。"),
    ),
    ("consultation_responses", _("意见征询答卷"), _("本期截止的意见征询收到的答卷数（含纸质）。")),
    (
        "consultation_eligible",
        _("意见征询可参与数"),
        _("本期截止的意见征询可参与的在住居民数（按户参与时为有在住居民的户数）之和。"),
    ),
    ("paper_responses", _("纸质答卷"), _("本期截止的意见征询中由工作人员录入的纸质答卷数。")),
]
KEYS = [key for key, _label, _definition in FIGURES]


def _by_community(rows, key, into):
    for row in rows:
        into[row["community_id"]][key] = row["n"] or 0


def figures_by_community(*, communities, period, now) -> dict[int, dict[str, int]]:
    """{community pk: {figure key: count}} for `communities` (a queryset of communities or of
    their pks) over `period` ([start, end)), as of `now`. Six queries (the communities, then one
    per figure, the consultations' eligible counted in the database)."""
    out = {
        pk: dict.fromkeys(KEYS, 0)
        for pk in Community.objects.filter(pk__in=communities).values_list("pk", flat=True)
    }
    start, end = period.start, min(period.end, now)

    notices = (
        Notice.objects.filter(
            community__in=communities,
            status__in=[Notice.Status.PUBLISHED, Notice.Status.WITHDRAWN],
            publish_at__gte=start,
            publish_at__lt=end,
        )
        .exclude(withdrawn_at__lt=F("publish_at"))
        .values("community_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    _by_community(notices, "notices_published", out)

    closed = Consultation.objects.filter(
        community__in=communities,
        status=Consultation.Status.PUBLISHED,
        closes_at__gte=start,
        closes_at__lt=end,
    )
    _by_community(
        closed.values("community_id").annotate(n=Count("pk")).order_by(),
        "consultations_closed",
        out,
    )
    _by_community(
        closed.annotate(eligible=eligible_expression())
        .values("community_id")
        .annotate(n=Sum("eligible"))
        .order_by(),
        "consultation_eligible",
        out,
    )
    responses = (
        Response.objects.filter(consultation__in=closed.values("pk"))
        .values(community_id=F("consultation__community_id"))
        .order_by()
    )
    _by_community(responses.annotate(n=Count("pk")), "consultation_responses", out)
    _by_community(
        responses.annotate(n=Count("pk", filter=Q(channel=Response.Channel.PAPER))),
        "paper_responses",
        out,
    )
    return out
