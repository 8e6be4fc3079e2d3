"""Taking part: a verified resident of the community scores every cadre of an open round at
once. The participation row and the counters are written in one transaction and nothing ties
them together (cadres.models)."""

from django.db import IntegrityError, transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from board.scope import resident_home
from core.exceptions import ApplicationError

from ..models import Cadre, Participation, Rating, ReviewRound, ScoreTally
from ._common import conflict, invalid, lock

Status = ReviewRound.Status

# ---------------------------------------------------------------------------------------------
# Taking part


def take_part_refusal(actor, round_, *, now=None, taken_part=None):
    """(code, sentence) why `actor` cannot take part in `round_` now, or None if they can.
    `taken_part` may be given when already known (saves a query)."""
    if actor is None or not actor.is_authenticated:
        return "signed_out", _("请先登录。")
    if not actor.is_verified:
        return "not_verified", _("实名核验通过后才能参与测评。")
    home = resident_home(actor)
    if home is None:
        return "no_resident", _("您的账号未关联在住的居民信息，请联系社区工作者。")
    if home.community_id != round_.community_id or not actor.has_perm(
        "cadres.take_part_reviewround", round_
    ):
        return "other_community", _("只有本居民区的实名居民可以参与。")
    if taken_part is None:
        taken_part = Participation.objects.filter(round=round_, user=actor).exists()
    if taken_part:
        return "taken_part", _("您已参与本次测评，谢谢！")
    now = now or timezone.now()
    if round_.status != Status.OPEN:
        return "not_open", _("测评不在进行中（%(status)s）。") % {
            "status": round_.get_status_display()
        }
    if now < round_.opens_at:
        return "upcoming", _("测评尚未开始。")
    if now >= round_.closes_at:
        return "ended", _("测评已截止。")
    return None


def clean_scores(round_, scores) -> dict[int, int]:
    """{cadre id: grade} for `scores` ([{cadre, value}]), one for every listed cadre, or a 400
    naming every wrong field (`scores.<cadre id>`, or `scores`); nothing is written."""
    if not isinstance(scores, list | tuple):
        raise invalid("scores", _("评分格式不正确。"))
    cadre_ids = set(Cadre.objects.filter(round=round_).values_list("pk", flat=True))
    errors, chosen = {}, {}
    for item in scores:
        raw_cadre = item.get("cadre") if isinstance(item, dict) else None
        raw_cadre = getattr(raw_cadre, "pk", raw_cadre)
        try:
            cadre_id = int(raw_cadre)
        except (TypeError, ValueError):
            cadre_id = None
        if cadre_id not in cadre_ids:
            errors["scores"] = [_("包含不属于本次测评的干部。")]
            continue
        field = f"scores.{cadre_id}"
        if cadre_id in chosen:
            errors[field] = [_("每位干部只能评价一次。")]
            continue
        value = item.get("value")
        if isinstance(value, bool) or not isinstance(value, int | str):
            value = None
        try:
            value = int(value) if value is not None else None
        except ValueError:
            value = None
        if value not in Rating.values:
            errors[field] = [_("请选择满意、基本满意或不满意。")]
            chosen[cadre_id] = None
            continue
        chosen[cadre_id] = value
    for cadre_id in cadre_ids - set(chosen):
        errors[f"scores.{cadre_id}"] = [_("请为这位干部选择评价。")]
    if errors:
        raise ApplicationError(_("评分有误，请检查后重新提交。"), code="invalid", fields=errors)
    return chosen


@transaction.atomic
def round_submit(*, actor, round, scores) -> ReviewRound:
    """A verified resident of the community scores every cadre of an open round, once.

    The round row is locked for the transaction: a community's submissions are serialised
    (a few hundred over weeks), a close cannot slip between the check and the write, and the
    counters are never updated by two transactions at once (no deadlock, no lost count).
    The unique (round, user) is the final guard of "once"."""
    if actor is None or not actor.is_authenticated:
        raise ApplicationError(_("请先登录。"), code="forbidden")
    round_ = lock(round)
    refusal = take_part_refusal(actor, round_)
    if refusal is not None:
        code, sentence = refusal
        # Who may never take part is refused (403); a right moment missed is a conflict (409).
        timing = {"taken_part", "not_open", "upcoming", "ended"}
        raise ApplicationError(sentence, code="conflict" if code in timing else "forbidden")
    chosen = clean_scores(round_, scores)
    try:
        with transaction.atomic():
            Participation.objects.create(round=round_, user=actor, at=timezone.now())
    except IntegrityError:
        raise conflict(_("您已参与本次测评，谢谢！")) from None
    # One UPDATE rewrites every counter of the round, adding 1 where this sheet scored and
    # 0 elsewhere: on PostgreSQL each row version carries its writing transaction's id
    # (xmin), the same as the participation row's, so updating only the chosen grades would
    # let a raw query match the last voter of each grade. Rewriting all of them alike leaves
    # nothing in the live rows that tells one grade from another.
    chosen_q = Q(pk__in=[])
    for cadre_id, value in chosen.items():
        chosen_q |= Q(cadre_id=cadre_id, value=value)
    updated = ScoreTally.objects.filter(round=round_).update(
        count=F("count") + Case(When(chosen_q, then=Value(1)), default=Value(0))
    )
    if updated != len(chosen) * len(Rating.values):  # pragma: no cover - made at opening
        raise ApplicationError(_("测评数据异常，请联系社区工作者。"), code="conflict")
    return round_
