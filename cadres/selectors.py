"""Every read of the cadres' review, within the actor's scope.

- Staff read the rounds of the communities in their ORG scope (district and grid leaders
  included); residents the rounds of their own community once opened (never a draft).
- Results are read from the counters only, after the round has ended and only when at least
  MIN_PARTICIPANTS took part: per cadre for the street's admins, per body (the whole party
  branch, the whole neighbourhood committee) for everyone else allowed. No read here touches
  Participation and ScoreTally in one query.
"""

from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from accounts.scope import Level, actor_scope
from board.scope import resident_home
from core.exceptions import ApplicationError
from grids.models import Community

from .models import (
    MIN_PARTICIPANTS,
    Body,
    Cadre,
    Participation,
    Rating,
    ReviewRound,
    ScoreTally,
)

Status = ReviewRound.Status


def not_found():
    return ApplicationError(_("未找到该记录，或不在您的管辖范围内。"), code="not_found")


def _count(qs):
    """A correlated COUNT of `qs` rows per round (one value per outer row)."""
    return Coalesce(
        Subquery(qs.order_by().values("round").annotate(n=Count("pk")).values("n")[:1]),
        Value(0),
        output_field=IntegerField(),
    )


def visible_q(actor) -> Q:
    """Rounds the actor may read: staff in ORG scope, plus their own community's opened
    rounds for a resident."""
    scope = actor_scope(actor)
    if scope.is_global:
        return Q()
    q = Q(pk__in=[])
    if scope.is_staff_scope:
        # Through the scoped communities (as board.scope does): grid leaders see their
        # community's rounds, the same rule as cadres.rules.reads_community.
        q |= Q(community__in=scope.filter(Community.objects.all(), Level.ORG).values("pk"))
    if scope.resident_community_ids:
        q |= Q(community_id__in=scope.resident_community_ids) & ~Q(status=Status.DRAFT)
    return q


def round_queryset(*, actor):
    """The rounds `actor` sees, with their counts annotated (no query per row)."""
    return (
        ReviewRound.objects.filter(visible_q(actor))
        .select_related("community__street")
        .annotate(
            cadre_count=_count(Cadre.objects.filter(round=OuterRef("pk"))),
            live_participants=_count(Participation.objects.filter(round=OuterRef("pk"))),
        )
    )


def round_list(*, actor, filters=None):
    filters = filters or {}
    qs = round_queryset(actor=actor)
    for key, lookup in (("community", "community_id"), ("year", "year"), ("status", "status")):
        value = filters.get(key)
        if value not in (None, ""):
            if key in ("community", "year") and not str(value).isdigit():
                raise ApplicationError(
                    _("输入有误，请检查后重试。"),
                    code="invalid",
                    fields={key: [_("须为数字。")]},
                )
            if key == "status" and value not in Status.values:
                raise ApplicationError(
                    _("输入有误，请检查后重试。"),
                    code="invalid",
                    fields={key: [_("选项无效。")]},
                )
            qs = qs.filter(**{lookup: value})
    return qs.order_by("-year", "community__name", "pk")


def round_get(*, actor, pk) -> ReviewRound:
    try:
        return round_queryset(actor=actor).prefetch_related("cadres", "events").get(pk=pk)
    except (ReviewRound.DoesNotExist, ValueError, TypeError):
        raise not_found() from None


def current_round(*, actor) -> ReviewRound:
    """The round of the resident's own community to show now: an open one first, else the
    latest year's (closed, published or cancelled)."""
    home = resident_home(actor)
    community_ids = [home.community_id] if home else list(actor_scope(actor).resident_community_ids)
    row = (
        round_queryset(actor=actor)
        .filter(community_id__in=community_ids)
        .exclude(status=Status.DRAFT)
        .annotate(open_first=Case(When(status=Status.OPEN, then=Value(0)), default=Value(1)))
        .prefetch_related("cadres")
        .order_by("open_first", "-year", "-pk")
        .first()
    )
    if row is None:
        raise ApplicationError(_("本居民区暂时没有两委干部测评。"), code="not_found")
    return row


def has_taken_part(actor, round_) -> bool:
    if actor is None or not actor.is_authenticated:
        return False
    return Participation.objects.filter(round=round_, user=actor).exists()


def participants(round_) -> int:
    """The turnout: stored at close, counted live before."""
    if round_.participant_count is not None:
        return round_.participant_count
    return Participation.objects.filter(round=round_).count()


def results_withheld(round_) -> str | None:
    """Why no result of `round_` may be shown to anyone, or None."""
    if not round_.has_ended:
        return _("测评结束后才能查看结果。")
    if participants(round_) < MIN_PARTICIPANTS:
        return _("参与人数少于 %(n)s 人，为保护参与居民，不公布结果。") % {"n": MIN_PARTICIPANTS}
    return None


def _summary(counts: dict[int, int]) -> dict:
    """Count per grade, total, mean (1–3) and shares (percent, one decimal)."""
    total = sum(counts.values())
    points = sum(value * n for value, n in counts.items())

    def share(n):
        return round(100 * n / total, 1) if total else None

    satisfied = counts.get(Rating.SATISFIED, 0)
    basic = counts.get(Rating.BASICALLY_SATISFIED, 0)
    return {
        "satisfied": satisfied,
        "basically_satisfied": basic,
        "unsatisfied": counts.get(Rating.UNSATISFIED, 0),
        "total": total,
        "mean": round(points / total, 2) if total else None,
        "satisfied_share": share(satisfied),
        "approval_share": share(satisfied + basic),
    }


def cadre_results(round_) -> list[dict]:
    """Per cadre, in list order (street admins only; call after `results_withheld`)."""
    cadres = list(Cadre.objects.filter(round=round_).order_by("position", "pk"))
    counts: dict[int, dict[int, int]] = {c.pk: {} for c in cadres}
    for cadre_id, value, n in ScoreTally.objects.filter(round=round_).values_list(
        "cadre_id", "value", "count"
    ):
        counts.setdefault(cadre_id, {})[value] = n
    return [
        {
            "id": c.pk,
            "position": c.position,
            "name": c.name,
            "body": c.body,
            "body_display": c.get_body_display(),
            "post": c.post,
            **_summary(counts[c.pk]),
        }
        for c in cadres
    ]


def body_aggregates(round_) -> dict:
    """The whole party branch, the whole neighbourhood committee and the two together."""
    rows = (
        ScoreTally.objects.filter(round=round_)
        .values("cadre__body", "value")
        .annotate(n=Sum("count"))
        .order_by()
    )
    by_body: dict[str, dict[int, int]] = {b: {} for b in Body.values}
    overall: dict[int, int] = {}
    for row in rows:
        by_body[row["cadre__body"]][row["value"]] = row["n"]
        overall[row["value"]] = overall.get(row["value"], 0) + row["n"]
    return {
        "bodies": [
            {"body": body, "body_display": str(label), **_summary(by_body[body])}
            for body, label in Body.choices
        ],
        "overall": _summary(overall),
    }
