"""Writes of the points ledger: earning, adjustments, rewards, redemptions, expiry, the rules.

How the ledger stays exact (each invariant is held twice, by these services under row locks
and by the database constraints on volunteers.models.points):
- Every ledger write locks the PointsAccount row (`select_for_update`) before reading the
  balance, appends one PointsEntry carrying `balance_after`, and saves the new balance in the
  same transaction, so the balance is always the sum of the entries and two writers of one
  account queue behind each other instead of losing an update.
- Lock order is fixed: redemption row (if any) → points account → reward. Every service takes
  the locks it needs in that order, so concurrent redemptions and cancellations cannot deadlock.
- Points are integers. Per-hour points are `hours × points_per_hour` rounded half up to a whole
  point (1.5 h × 3 = 4.5 → 5; 1.25 h × 2 = 2.5 → 3): a volunteer is never short-changed by a
  fraction, and the rounding happens once per attendance, before the caps.
"""

import calendar
import datetime
from decimal import ROUND_HALF_UP, Decimal

import rules
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.rules import is_org_staff, is_street_admin, is_superuser
from accounts.scope import actor_scope
from core.exceptions import ApplicationError
from grids.models import Community, GridResource, Street

from ..models import (
    Attendance,
    PointsAccount,
    PointsEntry,
    PointsPolicy,
    PointsRule,
    Redemption,
    Reward,
)
from ..rules import community_staff, home_resident

Kind = PointsEntry.Kind

# ---------------------------------------------------------------------------------------------
# Permissions of the points side (the shared volunteers/rules.py holds manage_rewards,
# adjust_points and view_ledger).


@rules.predicate
def obj_in_admin_street(user, obj):
    """The policy, rule or street belongs to a street the user administers."""
    if obj is None:
        return True
    street_id = obj.pk if isinstance(obj, Street) else obj.street_id
    return street_id in actor_scope(user).street_ids


@rules.predicate
def is_own_redemption(user, redemption):
    """The resident's own order; which states they may still cancel is the service's check
    (a conflict, not a refusal)."""
    if redemption is None:
        return True
    return redemption.user_id == user.pk


street_points_admin = is_superuser | (is_street_admin & obj_in_admin_street)

rules.add_perm("volunteers.manage_points_policy", street_points_admin)
rules.add_perm("volunteers.redeem_reward", home_resident)
rules.add_perm("volunteers.hand_over_redemption", community_staff)
rules.add_perm("volunteers.cancel_redemption", community_staff | is_own_redemption)
# Leaders' totals are counts and sums only: every staff role, district leaders included.
rules.add_perm("volunteers.view_volunteer_stats", is_org_staff)

# ---------------------------------------------------------------------------------------------
# Helpers


def _invalid(field, message):
    return ApplicationError(message, code="invalid", fields={field: message})


def _conflict(message, fields=None):
    return ApplicationError(message, code="conflict", fields=fields)


def _require(actor, perm, obj):
    if actor is None or not actor.has_perm(perm, obj):
        raise ApplicationError(_("您无权进行此操作。"), code="forbidden")


def _text(value, field, *, max_length, required=True):
    value = (value or "").strip()
    if required and not value:
        raise _invalid(field, _("此项不能为空。"))
    if len(value) > max_length:
        raise _invalid(field, _("最多 %(n)s 个字。") % {"n": max_length})
    return value


def _int(value, field, *, minimum=None, maximum=None, allow_none=False):
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            value = int(str(value).strip())
        except (TypeError, ValueError):
            raise _invalid(field, _("请输入整数。")) from None
    if minimum is not None and value < minimum:
        raise _invalid(field, _("不能小于 %(n)s。") % {"n": minimum})
    if maximum is not None and value > maximum:
        raise _invalid(field, _("不能大于 %(n)s。") % {"n": maximum})
    return value


def _lock_account(*, user, community) -> PointsAccount:
    """The user's account in the community's street, created on first use, locked.

    get_or_create survives a concurrent creation (it re-reads after the unique constraint
    fires); the lock is then taken on the one row."""
    account, _created = PointsAccount.objects.get_or_create(
        user=user, street_id=community.street_id, defaults={"community": community}
    )
    return PointsAccount.objects.select_for_update().get(pk=account.pk)


def _relock(account) -> PointsAccount:
    return PointsAccount.objects.select_for_update().get(pk=account.pk)


def _append(account, *, kind, points, actor=None, **fields) -> PointsEntry:
    """Append one entry to a LOCKED account and move its balance in the same transaction."""
    balance_after = account.balance + points
    if balance_after < 0:
        raise _conflict(
            _("积分不足：余额 %(balance)s，需要 %(need)s。")
            % {"balance": account.balance, "need": -points},
            fields={"points": _("余额不足。")},
        )
    entry = PointsEntry.objects.create(
        account=account,
        kind=kind,
        points=points,
        balance_after=balance_after,
        actor=actor,
        **fields,
    )
    account.balance = balance_after
    account.save(update_fields=["balance", "updated_at"])
    return entry


# ---------------------------------------------------------------------------------------------
# Earning


def rule_for_activity(activity) -> PointsRule | None:
    """The activity's own rule, else the street's most specific active default rule for the
    activity's kind and category (kind and category match beat blanks)."""
    if activity.points_rule_id:
        rule = activity.points_rule
        if rule.is_active:
            return rule
    street_id = activity.community.street_id
    candidates = PointsRule.objects.filter(
        street_id=street_id,
        is_default=True,
        is_active=True,
        activity_kind__in=["", activity.kind],
        category__in=["", activity.category],
    )
    ranked = sorted(
        candidates, key=lambda r: (bool(r.activity_kind), bool(r.category), -r.pk), reverse=True
    )
    return ranked[0] if ranked else None


def _points_by_rule(rule, hours) -> int:
    hours = Decimal(hours or 0)
    per_hour = (hours * rule.points_per_hour).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    points = int(per_hour) + rule.points_per_attendance + rule.bonus_points
    if rule.max_points_per_attendance is not None:
        points = min(points, rule.max_points_per_attendance)
    return points


def points_for_attendance(attendance) -> int:
    """The points this attendance is worth by its rule (per hour, per attendance, bonus, the
    rule's per-attendance cap). The street's daily cap is applied when earning, since it
    depends on what else the person earned that day."""
    rule = rule_for_activity(attendance.activity)
    if rule is None:
        return 0
    return _points_by_rule(rule, attendance.hours)


def _local_day_bounds(now):
    local = timezone.localtime(now)
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + datetime.timedelta(days=1)


@transaction.atomic
def points_earn_for_attendance(*, actor, attendance) -> PointsEntry | None:
    """Credit an approved attendance, once. Returns the EARN entry, or None when there is
    nothing to earn (zero points, the daily cap reached) or it was earned already.

    Called by attendance_approve inside its transaction. The account lock serialises all
    earning of one person in one street, so the daily-cap count and the already-earned check
    cannot race; the partial unique constraint on (attendance) for EARN backs the latter."""
    if attendance.status != Attendance.Status.APPROVED:
        raise _conflict(_("服务记录审核通过后才能获得积分。"))
    _require(actor, "volunteers.approve_attendance", attendance)
    activity = attendance.activity
    rule = rule_for_activity(activity)
    if rule is None:
        return None
    points = _points_by_rule(rule, attendance.hours)
    if points <= 0:
        return None
    account = _lock_account(user=attendance.user, community=activity.community)
    if PointsEntry.objects.filter(kind=Kind.EARN, attendance=attendance).exists():
        return None
    policy = PointsPolicy.objects.filter(street_id=account.street_id).first()
    if policy is not None and policy.daily_cap is not None:
        start, end = _local_day_bounds(timezone.now())
        earned_today = (
            account.entries.filter(
                kind=Kind.EARN, created_at__gte=start, created_at__lt=end
            ).aggregate(s=Sum("points"))["s"]
            or 0
        )
        points = min(points, max(0, policy.daily_cap - earned_today))
        if points <= 0:
            return None
    return _append(
        account, kind=Kind.EARN, points=points, actor=actor, attendance=attendance, rule=rule
    )


# ---------------------------------------------------------------------------------------------
# Adjustment


@transaction.atomic
def points_adjust(*, actor, account, points, reason) -> PointsEntry:
    """A worker corrects a balance with a new entry (never by editing one), with the reason."""
    _require(actor, "volunteers.adjust_points", account)
    points = _int(points, "points", minimum=-100000, maximum=100000)
    if points == 0:
        raise _invalid("points", _("调整积分不能为 0。"))
    reason = _text(reason, "reason", max_length=200)
    account = _relock(account)
    return _append(account, kind=Kind.ADJUST, points=points, actor=actor, reason=reason)


# ---------------------------------------------------------------------------------------------
# Rewards

REWARD_FIELDS = ("name", "description", "kind", "points_cost", "stock", "is_active", "provider")


def _clean_reward(community, data) -> dict:
    cleaned = {}
    if "name" in data:
        cleaned["name"] = _text(data["name"], "name", max_length=64)
    if "description" in data:
        cleaned["description"] = _text(
            data["description"], "description", max_length=2000, required=False
        )
    if "kind" in data:
        if data["kind"] not in Reward.Kind.values:
            raise _invalid("kind", _("类型无效。"))
        cleaned["kind"] = data["kind"]
    if "points_cost" in data:
        cleaned["points_cost"] = _int(data["points_cost"], "points_cost", minimum=1)
    if "stock" in data:
        cleaned["stock"] = _int(data["stock"], "stock", minimum=0, maximum=1000000)
    if "is_active" in data:
        cleaned["is_active"] = bool(data["is_active"])
    if "provider" in data:
        provider = data["provider"]
        if provider is not None and (
            not isinstance(provider, GridResource) or provider.community_id != community.pk
        ):
            raise _invalid("provider", _("提供方须是本居民区的网格资源。"))
        cleaned["provider"] = provider
    return cleaned


@transaction.atomic
def reward_create(
    *,
    actor,
    community: Community,
    name,
    points_cost,
    stock,
    kind=Reward.Kind.GOODS,
    description="",
    provider=None,
    is_active=True,
) -> Reward:
    """Workers of the community and its street admins put a reward in the catalogue."""
    _require(actor, "volunteers.manage_rewards", community)
    data = _clean_reward(
        community,
        {
            "name": name,
            "points_cost": points_cost,
            "stock": stock,
            "kind": kind,
            "description": description,
            "provider": provider,
            "is_active": is_active,
        },
    )
    return Reward.objects.create(community=community, **data)


@transaction.atomic
def reward_update(*, actor, reward, **changes) -> Reward:
    """Change a reward; the stock set here is the new absolute stock (a recount)."""
    unknown = set(changes) - set(REWARD_FIELDS)
    if unknown:
        raise _invalid(sorted(unknown)[0], _("不能修改此项。"))
    reward = Reward.objects.select_for_update().select_related("community").get(pk=reward.pk)
    _require(actor, "volunteers.manage_rewards", reward)
    data = _clean_reward(reward.community, changes)
    for name, value in data.items():
        setattr(reward, name, value)
    if data:
        reward.save(update_fields=[*data, "updated_at"])
    return reward


# ---------------------------------------------------------------------------------------------
# Redemptions


@transaction.atomic
def reward_redeem(*, actor, reward, quantity=1) -> Redemption:
    """A verified resident of the reward's community orders it: points debited and stock taken
    at once, under the account lock then the reward lock (the fixed order)."""
    _require(actor, "volunteers.redeem_reward", reward)
    quantity = _int(quantity, "quantity", minimum=1, maximum=100)
    community = Community.objects.get(pk=reward.community_id)
    account = _lock_account(user=actor, community=community)
    reward = Reward.objects.select_for_update().get(pk=reward.pk)
    if not reward.is_active:
        raise _conflict(_("该奖励已下架。"))
    if reward.stock < quantity:
        raise _conflict(
            _("库存不足：剩余 %(stock)s 件，需要 %(need)s 件。")
            % {"stock": reward.stock, "need": quantity},
            fields={"quantity": _("库存不足。")},
        )
    cost = reward.points_cost * quantity
    if account.balance < cost:
        raise _conflict(
            _("积分不足：余额 %(balance)s，需要 %(need)s。")
            % {"balance": account.balance, "need": cost},
            fields={"quantity": _("积分不足。")},
        )
    redemption = Redemption.objects.create(
        reward=reward, account=account, user=actor, quantity=quantity, points=cost
    )
    _append(account, kind=Kind.REDEEM, points=-cost, actor=actor, redemption=redemption)
    reward.stock -= quantity
    reward.save(update_fields=["stock", "updated_at"])
    return redemption


def _lock_redemption(redemption) -> Redemption:
    return (
        Redemption.objects.select_for_update(of=("self",))
        .select_related("reward__community")
        .get(pk=redemption.pk)
    )


@transaction.atomic
def redemption_hand_over(*, actor, redemption) -> Redemption:
    """A worker hands the reward over: the order is done."""
    redemption = _lock_redemption(redemption)
    _require(actor, "volunteers.hand_over_redemption", redemption)
    if redemption.status != Redemption.Status.REQUESTED:
        raise _conflict(
            _("兑换单状态为“%(status)s”，不能领取。") % {"status": redemption.get_status_display()}
        )
    redemption.status = Redemption.Status.HANDED_OVER
    redemption.handed_over_at = timezone.now()
    redemption.handed_over_by = actor
    redemption.save(update_fields=["status", "handed_over_at", "handed_over_by", "updated_at"])
    return redemption


@transaction.atomic
def redemption_cancel(*, actor, redemption, reason="") -> Redemption:
    """Cancel an order: the resident while it waits, or a worker (also for a returned item).
    The points come back as one REFUND entry (unique per order) and the stock is returned."""
    redemption = _lock_redemption(redemption)
    _require(actor, "volunteers.cancel_redemption", redemption)
    is_staff = actor.has_perm("volunteers.hand_over_redemption", redemption)
    if redemption.status == Redemption.Status.CANCELLED:
        raise _conflict(_("兑换单已取消，积分已退回。"))
    if redemption.status != Redemption.Status.REQUESTED and not is_staff:
        raise _conflict(
            _("兑换单状态为“%(status)s”，不能取消。") % {"status": redemption.get_status_display()}
        )
    reason = _text(reason, "reason", max_length=200, required=is_staff)
    account = _relock(redemption.account)
    reward = Reward.objects.select_for_update().get(pk=redemption.reward_id)
    _append(
        account,
        kind=Kind.REFUND,
        points=redemption.points,
        actor=actor,
        redemption=redemption,
        reason=reason,
    )
    reward.stock += redemption.quantity
    reward.save(update_fields=["stock", "updated_at"])
    redemption.status = Redemption.Status.CANCELLED
    redemption.cancelled_at = timezone.now()
    redemption.cancelled_reason = reason or _("居民取消")
    redemption.save(update_fields=["status", "cancelled_at", "cancelled_reason", "updated_at"])
    return redemption


# ---------------------------------------------------------------------------------------------
# Expiry


def _months_before(moment, months):
    """The same local wall-clock moment `months` earlier (day clamped to the month's end)."""
    local = timezone.localtime(moment)
    index = local.year * 12 + local.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    return local.replace(year=year, month=month, day=day)


def expired_amount(account, cutoff) -> int:
    """What expires at `cutoff` under FIFO: spending consumes the oldest points first, so the
    points still unspent from before the cutoff are the credits earned before it minus
    everything ever spent (redemptions net of their refunds, earlier expiries, negative
    adjustments). Never more than the balance."""
    sums = account.entries.aggregate(
        old_credits=Sum(
            "points",
            filter=Q(created_at__lt=cutoff, points__gt=0) & ~Q(kind=Kind.REFUND),
        ),
        debits=Sum("points", filter=Q(points__lt=0)),
        refunds=Sum("points", filter=Q(kind=Kind.REFUND)),
    )
    consumed = -(sums["debits"] or 0) - (sums["refunds"] or 0)
    return max(0, min((sums["old_credits"] or 0) - max(0, consumed), account.balance))


def points_expire(*, now=None, batch=500) -> int:
    """Write this month's EXPIRE entries for every street whose policy sets a validity.

    Idempotent: the period is the local month of `now`; an account with an expiry entry for
    the period is skipped (and the partial unique constraint on (account, period) for EXPIRE
    refuses a second one). Each account is its own short transaction under its row lock, so a
    long run never holds many locks and a failure loses nothing done before it."""
    now = now or timezone.now()
    period = timezone.localtime(now).strftime("%Y-%m")
    written = 0
    policies = PointsPolicy.objects.filter(expiry_months__gt=0).only("street_id", "expiry_months")
    for policy in policies:
        cutoff = _months_before(now, policy.expiry_months)
        last_pk = 0
        while True:
            ids = list(
                PointsAccount.objects.filter(
                    street_id=policy.street_id, balance__gt=0, pk__gt=last_pk
                )
                .exclude(entries__period=period)  # only expiry entries carry a period
                .order_by("pk")
                .values_list("pk", flat=True)[:batch]
            )
            if not ids:
                break
            last_pk = ids[-1]
            for account_id in ids:
                written += _expire_account(account_id, cutoff=cutoff, period=period)
    return written


def _expire_account(account_id, *, cutoff, period) -> int:
    try:
        with transaction.atomic():
            account = PointsAccount.objects.select_for_update().get(pk=account_id)
            if account.entries.filter(kind=Kind.EXPIRE, period=period).exists():
                return 0
            amount = expired_amount(account, cutoff)
            if amount <= 0:
                return 0
            _append(
                account,
                kind=Kind.EXPIRE,
                points=-amount,
                period=period,
                reason=_("%(date)s 前获得的积分已过期") % {"date": f"{cutoff:%Y-%m-%d}"},
            )
            return 1
    except IntegrityError:
        # Another run wrote this period's entry between our check and our insert.
        return 0


# ---------------------------------------------------------------------------------------------
# The street's policy and rules


@transaction.atomic
def points_policy_update(*, actor, street, publish=None, **changes) -> PointsPolicy:
    """A street admin writes the street's regulations; `publish=True` shows them to residents
    (stamped now), `publish=False` withdraws them."""
    _require(actor, "volunteers.manage_points_policy", street)
    allowed = {"title", "text", "daily_cap", "expiry_months"}
    unknown = set(changes) - allowed
    if unknown:
        raise _invalid(sorted(unknown)[0], _("不能修改此项。"))
    policy, _created = PointsPolicy.objects.get_or_create(street=street)
    policy = PointsPolicy.objects.select_for_update().get(pk=policy.pk)
    fields = []
    if "title" in changes:
        policy.title = _text(changes["title"], "title", max_length=100)
        fields.append("title")
    if "text" in changes:
        policy.text = _text(changes["text"], "text", max_length=20000, required=False)
        fields.append("text")
    if "daily_cap" in changes:
        policy.daily_cap = _int(changes["daily_cap"], "daily_cap", minimum=1, allow_none=True)
        fields.append("daily_cap")
    if "expiry_months" in changes:
        policy.expiry_months = _int(
            changes["expiry_months"], "expiry_months", minimum=1, maximum=120, allow_none=True
        )
        fields.append("expiry_months")
    if publish is not None:
        policy.published_at = timezone.now() if publish else None
        fields.append("published_at")
    if fields:
        policy.save(update_fields=[*fields, "updated_at"])
    return policy


RULE_INT_FIELDS = ("points_per_hour", "points_per_attendance", "bonus_points")
RULE_FIELDS = (
    "name",
    "activity_kind",
    "category",
    *RULE_INT_FIELDS,
    "max_points_per_attendance",
    "is_default",
    "is_active",
)


def _clean_rule(street_id, data, *, rule_pk=None) -> dict:
    from ..models import Activity

    cleaned = {}
    if "name" in data:
        cleaned["name"] = _text(data["name"], "name", max_length=64)
        clash = PointsRule.objects.filter(street_id=street_id, name=cleaned["name"])
        if clash.exclude(pk=rule_pk).exists():
            raise _invalid("name", _("本街道已有同名规则。"))
    if "activity_kind" in data:
        kind = data["activity_kind"] or ""
        if kind and kind not in Activity.Kind.values:
            raise _invalid("activity_kind", _("活动类型无效。"))
        cleaned["activity_kind"] = kind
    if "category" in data:
        cleaned["category"] = _text(data["category"], "category", max_length=32, required=False)
    for name in RULE_INT_FIELDS:
        if name in data:
            cleaned[name] = _int(data[name], name, minimum=0, maximum=100000)
    if "max_points_per_attendance" in data:
        cleaned["max_points_per_attendance"] = _int(
            data["max_points_per_attendance"],
            "max_points_per_attendance",
            minimum=1,
            allow_none=True,
        )
    for name in ("is_default", "is_active"):
        if name in data:
            cleaned[name] = bool(data[name])
    return cleaned


@transaction.atomic
def points_rule_create(*, actor, street, name, **fields) -> PointsRule:
    _require(actor, "volunteers.manage_points_policy", street)
    unknown = set(fields) - set(RULE_FIELDS)
    if unknown:
        raise _invalid(sorted(unknown)[0], _("不能设置此项。"))
    data = _clean_rule(street.pk, {"name": name, **fields})
    return PointsRule.objects.create(street=street, **data)


@transaction.atomic
def points_rule_update(*, actor, rule, **changes) -> PointsRule:
    """Change a rule. Entries already earned keep their points: the ledger is never rewritten."""
    unknown = set(changes) - set(RULE_FIELDS)
    if unknown:
        raise _invalid(sorted(unknown)[0], _("不能修改此项。"))
    rule = PointsRule.objects.select_for_update().get(pk=rule.pk)
    _require(actor, "volunteers.manage_points_policy", rule)
    data = _clean_rule(rule.street_id, changes, rule_pk=rule.pk)
    for name, value in data.items():
        setattr(rule, name, value)
    if data:
        rule.save(update_fields=[*data, "updated_at"])
    return rule
