"""The round's draft and workflow: create, list the cadres, open (the zero counters), close
(the turnout recorded), publish the results, cancel with a reason; and the residents' inbox
notice that a round has opened.

    draft ──open──▶ open ──close──▶ closed ──publish_results──▶ published
      │               │
      └──cancel(reason)┴──────────▶ cancelled
"""

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from notifications.models import Notification
from notifications.services import notify
from residents.models import Resident

from ..models import Body, Cadre, Rating, ReviewRound, ScoreTally
from ._common import check_window, conflict, event, invalid, lock, require, text

Status = ReviewRound.Status

TRANSITIONS = {
    Status.DRAFT: {Status.OPEN, Status.CANCELLED},
    Status.OPEN: {Status.CLOSED, Status.CANCELLED},
    Status.CLOSED: {Status.PUBLISHED},
    Status.PUBLISHED: set(),
    Status.CANCELLED: set(),
}
DRAFT_UPDATABLE = ("title", "description", "opens_at", "closes_at")
MAX_CADRES = 60
EARLIEST_YEAR = 2000


def check_move(round_, to_status, doing):
    if to_status not in TRANSITIONS[round_.status]:
        raise conflict(
            _("测评当前为“%(status)s”，不能%(doing)s。")
            % {"status": round_.get_status_display(), "doing": doing}
        )


# ---------------------------------------------------------------------------------------------
# The draft


@transaction.atomic
def round_create(
    *, actor, community, year, opens_at, closes_at, title="", description=""
) -> ReviewRound:
    """A draft round of `community` for `year` (one per community and year)."""
    if community is None:
        raise invalid("community", _("请选择居民区。"))
    round_ = ReviewRound(community=community)
    require(actor, "cadres.add_reviewround", round_)
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise invalid("year", _("年度无效。")) from None
    if not EARLIEST_YEAR <= year <= timezone.now().year + 1:
        raise invalid("year", _("年度无效。"))
    check_window(opens_at, closes_at)
    round_.year = year
    round_.title = text(title, "title", max_length=100, required=False) or _(
        "%(year)s年度%(community)s两委干部测评"
    ) % {"year": year, "community": community.name}
    round_.description = text(description, "description", max_length=2000, required=False)
    round_.opens_at, round_.closes_at = opens_at, closes_at
    round_.created_by = actor
    if ReviewRound.objects.filter(community=community, year=year).exists():
        raise invalid("year", _("该居民区本年度已有测评。"))
    try:
        with transaction.atomic():
            round_.save()
    except IntegrityError:
        raise invalid("year", _("该居民区本年度已有测评。")) from None
    event(round_, actor=actor, verb="create", to_state=Status.DRAFT)
    return round_


@transaction.atomic
def round_update(*, actor, round, **changes) -> ReviewRound:
    """Edit a draft's title, description or window."""
    round_ = lock(round)
    require(actor, "cadres.change_reviewround", round_)
    if round_.status != Status.DRAFT:
        raise conflict(_("测评开启后不能修改。"))
    unknown = set(changes) - set(DRAFT_UPDATABLE)
    if unknown:
        raise invalid(sorted(unknown)[0], _("不能修改此项。"))
    if "title" in changes:
        round_.title = text(changes["title"], "title", max_length=100)
    if "description" in changes:
        round_.description = text(
            changes["description"], "description", max_length=2000, required=False
        )
    round_.opens_at = changes.get("opens_at", round_.opens_at)
    round_.closes_at = changes.get("closes_at", round_.closes_at)
    check_window(round_.opens_at, round_.closes_at)
    round_.save()
    return round_


@transaction.atomic
def cadre_add(*, actor, round, name, body, post, account=None) -> Cadre:
    """List a cadre on a draft round (at the end of the list)."""
    round_ = lock(round)
    require(actor, "cadres.add_cadre", round_)
    if round_.status != Status.DRAFT:
        raise conflict(_("测评开启后不能修改干部名单。"))
    name = text(name, "name", max_length=50)
    post = text(post, "post", max_length=50)
    if body not in Body.values:
        raise invalid("body", _("请选择所属组织。"))
    if account is not None and not isinstance(account, User):
        raise invalid("account", _("账号无效。"))
    cadres = list(round_.cadres.values_list("position", "body", "name"))
    if len(cadres) >= MAX_CADRES:
        raise invalid("name", _("最多 %(n)s 名干部。") % {"n": MAX_CADRES})
    if (body, name) in {(b, n) for _p, b, n in cadres}:
        raise invalid("name", _("该干部已在本组织名单中。"))
    position = max((p for p, _b, _n in cadres), default=0) + 1
    return Cadre.objects.create(
        round=round_, position=position, name=name, body=body, post=post, account=account
    )


@transaction.atomic
def cadre_remove(*, actor, cadre) -> None:
    round_ = lock(cadre.round)
    require(actor, "cadres.delete_cadre", round_)
    if round_.status != Status.DRAFT:
        raise conflict(_("测评开启后不能修改干部名单。"))
    Cadre.objects.filter(pk=cadre.pk, round=round_).delete()


# ---------------------------------------------------------------------------------------------
# The workflow


@transaction.atomic
def round_open(*, actor, round) -> ReviewRound:
    """Open the round: the cadre list is fixed and a zero counter per (cadre, grade) is made
    now, before any vote, so that not even the counters' ids follow the order of voting."""
    round_ = lock(round)
    require(actor, "cadres.open_reviewround", round_)
    check_move(round_, Status.OPEN, _("开启"))
    now = timezone.now()
    if round_.closes_at <= now:
        raise invalid("closes_at", _("截止时间已过，请先修改时间。"))
    cadres = list(round_.cadres.all())
    if not cadres:
        raise invalid("cadres", _("请先添加参加测评的干部。"))
    ScoreTally.objects.bulk_create(
        [
            ScoreTally(round=round_, cadre=cadre, value=value)
            for cadre in cadres
            for value in Rating.values
        ]
    )
    round_.status = Status.OPEN
    round_.opened_at = now
    round_.save(update_fields=["status", "opened_at", "updated_at"])
    # The community's residents are told in their inbox, in batches, after commit.
    transaction.on_commit(lambda: _enqueue_opened(round_.pk))
    event(
        round_,
        actor=actor,
        verb="open",
        from_state=Status.DRAFT,
        to_state=Status.OPEN,
        opens_at=round_.opens_at.isoformat(),
        closes_at=round_.closes_at.isoformat(),
    )
    return round_


def _enqueue_opened(round_id):
    from ..tasks import notify_round_opened

    notify_round_opened.delay(round_id)


NOTIFY_KIND = "cadres.round_opened"
NOTIFY_BATCH = 500


def eligible_accounts(community_id):
    """Verified, active accounts linked to a living resident of the community."""
    return User.objects.filter(
        is_active=True,
        verification_status=User.Verification.VERIFIED,
        resident__community_id=community_id,
        resident__status=Resident.Status.LIVING,
    )


def round_notify_batch(*, round_id, batch=NOTIFY_BATCH) -> tuple[int, bool]:
    """Tell the next batch of the community's residents that the round is open; returns
    (sent, finished). Idempotent: whoever already has this round's notice is skipped, and the
    round row is locked per batch so two runs never send the same batch."""
    with transaction.atomic():
        round_ = ReviewRound.objects.select_for_update().filter(pk=round_id).first()
        if round_ is None or round_.status != Status.OPEN:
            return 0, True
        told = Notification.objects.filter(
            kind=NOTIFY_KIND,
            subject_type=ReviewRound._meta.label_lower,
            subject_id=round_id,
            recipient=OuterRef("pk"),
        )
        users = list(
            eligible_accounts(round_.community_id)
            .exclude(Exists(told))
            .order_by("pk")
            .only("pk", "is_active", "email")[:batch]
        )
        sent = notify(
            recipients=users,
            kind=NOTIFY_KIND,
            title=_("【两委干部测评】%(title)s 开始了") % {"title": round_.title},
            body=_("请在 %(closes)s 前为本居民区的两委干部作出评价，评价匿名统计。")
            % {"closes": timezone.localtime(round_.closes_at).strftime("%Y-%m-%d %H:%M")},
            url=reverse("cadre_pages:cadre_review"),
            subject=round_,
        )
        return len(sent), len(users) < batch


def eligible_count(community_id) -> int:
    """Verified, active accounts linked to a living resident of the community."""
    return eligible_accounts(community_id).count()


@transaction.atomic
def round_close(*, actor, round) -> ReviewRound:
    """End the round (at or before its deadline): no more scores; the turnout is recorded."""
    round_ = lock(round)
    require(actor, "cadres.close_reviewround", round_)
    check_move(round_, Status.CLOSED, _("结束"))
    round_.status = Status.CLOSED
    round_.closed_at = timezone.now()
    round_.participant_count = round_.participations.count()
    round_.eligible_count = eligible_count(round_.community_id)
    round_.save(
        update_fields=[
            "status",
            "closed_at",
            "participant_count",
            "eligible_count",
            "updated_at",
        ]
    )
    event(
        round_,
        actor=actor,
        verb="close",
        from_state=Status.OPEN,
        to_state=Status.CLOSED,
        participants=round_.participant_count,
        eligible=round_.eligible_count,
    )
    return round_


@transaction.atomic
def round_publish_results(*, actor, round) -> ReviewRound:
    """The street admin publishes the aggregates to the community."""
    round_ = lock(round)
    require(actor, "cadres.publish_reviewround", round_)
    check_move(round_, Status.PUBLISHED, _("公布结果"))
    round_.status = Status.PUBLISHED
    round_.published_at = timezone.now()
    round_.save(update_fields=["status", "published_at", "updated_at"])
    event(round_, actor=actor, verb="publish", from_state=Status.CLOSED, to_state=Status.PUBLISHED)
    return round_


@transaction.atomic
def round_cancel(*, actor, round, reason) -> ReviewRound:
    """Call it off before it closes, with a public reason; no result is ever shown."""
    round_ = lock(round)
    require(actor, "cadres.cancel_reviewround", round_)
    reason = text(reason, "reason", max_length=200)
    check_move(round_, Status.CANCELLED, _("取消"))
    from_status = round_.status
    round_.status = Status.CANCELLED
    round_.cancelled_at = timezone.now()
    round_.cancel_reason = reason
    round_.save(update_fields=["status", "cancelled_at", "cancel_reason", "updated_at"])
    event(
        round_,
        actor=actor,
        verb="cancel",
        from_state=from_status,
        to_state=Status.CANCELLED,
        note=reason,
    )
    return round_
