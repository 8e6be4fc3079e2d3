"""Points: the street's published rules, an append-only ledger, rewards and redemptions.

Invariants (each held twice: by the services under row locks and by the database):
- an entry is never edited or deleted; a correction is a new entry;
- an account's balance equals the sum of its entries and is never below zero;
- an attendance earns at most once; a redemption is debited once and refunded at most once;
- a reward's stock is never below zero.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from core.scope import ScopePaths

from .paths import COMMUNITY_PATHS, STREET_PATHS


class PointsPolicy(TimeStampedModel):
    """A street's points regulations 积分管理办法及兑换细则: the text residents read and the
    settings that are the street's own (no figure here is taken from any seed office)."""

    street = models.OneToOneField(
        "grids.Street", models.CASCADE, related_name="points_policy", verbose_name=_("街道")
    )
    title = models.CharField(_("办法名称"), max_length=100, default=_("积分管理办法及兑换细则"))
    text = models.TextField(
        _("办法全文"), blank=True, help_text=_("向居民公布的积分获取与兑换规则")
    )
    daily_cap = models.PositiveIntegerField(
        _("每日积分上限"),
        null=True,
        blank=True,
        help_text=_("一人一天通过志愿服务最多获得的积分；留空不限"),
    )
    expiry_months = models.PositiveSmallIntegerField(
        _("积分有效期(月)"),
        null=True,
        blank=True,
        help_text=_("获得后多少个月未使用即过期；留空表示不过期"),
    )
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)

    scope_paths = STREET_PATHS

    class Meta:
        verbose_name = _("积分办法")
        verbose_name_plural = _("积分办法")

    def __str__(self):
        return f"{self.street} · {self.title}"


class PointsRule(TimeStampedModel):
    """How an approved attendance turns into points. An activity names its rule, or the street's
    default rule for its kind/category applies."""

    street = models.ForeignKey(
        "grids.Street", models.CASCADE, related_name="points_rules", verbose_name=_("街道")
    )
    name = models.CharField(_("规则名称"), max_length=64)
    activity_kind = models.CharField(
        _("适用活动类型"), max_length=16, blank=True, help_text=_("留空适用所有类型")
    )
    category = models.CharField(
        _("适用服务类别"), max_length=32, blank=True, help_text=_("留空适用所有类别")
    )
    points_per_hour = models.PositiveIntegerField(_("每小时积分"), default=0)
    points_per_attendance = models.PositiveIntegerField(_("每次参加积分"), default=0)
    bonus_points = models.PositiveIntegerField(
        _("额外奖励积分"), default=0, help_text=_("如骨干、带队等的固定奖励")
    )
    max_points_per_attendance = models.PositiveIntegerField(
        _("单次上限"), null=True, blank=True, help_text=_("一次活动最多获得的积分；留空不限")
    )
    is_default = models.BooleanField(_("默认规则"), default=False)
    is_active = models.BooleanField(_("启用"), default=True)

    scope_paths = STREET_PATHS

    class Meta:
        verbose_name = _("积分规则")
        verbose_name_plural = _("积分规则")
        ordering = ["street", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["street", "name"], name="points_rule_unique_name_in_street"
            ),
        ]

    def __str__(self):
        return self.name


class PointsAccount(TimeStampedModel):
    """One person's points in one street. `balance` is the running sum of the entries, kept under
    the row lock that every ledger write takes; the constraint forbids a negative balance."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="points_accounts",
        verbose_name=_("账号"),
    )
    street = models.ForeignKey(
        "grids.Street", models.PROTECT, related_name="points_accounts", verbose_name=_("街道")
    )
    community = models.ForeignKey(
        "grids.Community", models.PROTECT, related_name="points_accounts", verbose_name=_("居民区")
    )
    balance = models.IntegerField(_("积分余额"), default=0)

    scope_paths = COMMUNITY_PATHS

    class Meta:
        verbose_name = _("积分账户")
        verbose_name_plural = _("积分账户")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "street"], name="points_account_one_per_street"
            ),
            models.CheckConstraint(condition=Q(balance__gte=0), name="points_balance_not_negative"),
        ]

    def __str__(self):
        return f"{self.user} · {self.balance}"


class PointsEntry(models.Model):
    """One line of the ledger. Positive points credit, negative debit; never edited."""

    class Kind(models.TextChoices):
        EARN = "earn", _("服务获得")  # an approved attendance; once per attendance
        REDEEM = "redeem", _("兑换扣减")  # a redemption order; once per order
        REFUND = "refund", _("兑换退回")  # a cancelled order; once per order
        EXPIRE = "expire", _("过期清零")  # points past the street's validity
        ADJUST = "adjust", _("人工调整")  # by a worker, with a reason

    account = models.ForeignKey(
        PointsAccount, models.PROTECT, related_name="entries", verbose_name=_("积分账户")
    )
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    points = models.IntegerField(_("积分变动"))
    balance_after = models.IntegerField(_("变动后余额"))
    attendance = models.ForeignKey(
        "volunteers.Attendance",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="points_entries",
        verbose_name=_("服务记录"),
    )
    redemption = models.ForeignKey(
        "volunteers.Redemption",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="points_entries",
        verbose_name=_("兑换单"),
    )
    rule = models.ForeignKey(
        PointsRule,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("积分规则"),
    )
    period = models.CharField(
        _("过期批次"),
        max_length=16,
        blank=True,
        help_text=_("过期条目所清算的期间，如 2025-11；同一期间只清算一次"),
    )
    reason = models.CharField(_("原因"), max_length=200, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("经办人"),
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    scope_paths = ScopePaths(
        district="account__community__street__district",
        street="account__community__street",
        community="account__community",
    )

    class Meta:
        verbose_name = _("积分流水")
        verbose_name_plural = _("积分流水")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(points=0), name="points_entry_not_zero"),
            models.CheckConstraint(
                condition=Q(balance_after__gte=0), name="points_entry_balance_not_negative"
            ),
            models.CheckConstraint(
                name="points_entry_sign_matches_kind",
                condition=(
                    Q(kind__in=["earn", "refund"], points__gt=0)
                    | Q(kind__in=["redeem", "expire"], points__lt=0)
                    | Q(kind="adjust")
                ),
            ),
            models.CheckConstraint(
                name="points_adjust_has_reason", condition=~Q(kind="adjust") | ~Q(reason="")
            ),
            models.UniqueConstraint(
                fields=["attendance"],
                condition=Q(kind="earn"),
                name="points_earn_once_per_attendance",
            ),
            models.UniqueConstraint(
                fields=["redemption", "kind"],
                condition=Q(kind__in=["redeem", "refund"]),
                name="points_redemption_once_per_kind",
            ),
            models.UniqueConstraint(
                fields=["account", "period"],
                condition=Q(kind="expire"),
                name="points_expire_once_per_period",
            ),
        ]
        indexes = [models.Index(fields=["account", "-created_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.points:+d}"


class Reward(TimeStampedModel):
    """Something points buy: goods, a service, a voucher (often from a grid resource)."""

    class Kind(models.TextChoices):
        GOODS = "goods", _("实物")
        SERVICE = "service", _("服务")
        VOUCHER = "voucher", _("优惠券")

    community = models.ForeignKey(
        "grids.Community", models.PROTECT, related_name="rewards", verbose_name=_("居民区")
    )
    provider = models.ForeignKey(
        "grids.GridResource",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="rewards",
        verbose_name=_("提供方"),
        help_text=_("提供该奖励的网格资源单位，如爱心商户"),
    )
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, default=Kind.GOODS)
    name = models.CharField(_("名称"), max_length=64)
    description = models.TextField(_("说明"), blank=True)
    points_cost = models.PositiveIntegerField(_("所需积分"))
    stock = models.PositiveIntegerField(_("库存"))
    is_active = models.BooleanField(_("上架"), default=True)

    scope_paths = COMMUNITY_PATHS

    class Meta:
        verbose_name = _("兑换奖励")
        verbose_name_plural = _("兑换奖励")
        ordering = ["community", "points_cost"]
        constraints = [
            models.CheckConstraint(condition=Q(points_cost__gte=1), name="reward_cost_positive"),
            models.CheckConstraint(condition=Q(stock__gte=0), name="reward_stock_not_negative"),
        ]

    def __str__(self):
        return self.name


class Redemption(TimeStampedModel):
    """An order: requested (points debited, stock taken) → handed over, or cancelled (refund)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("待领取")  # points and stock already taken
        HANDED_OVER = "handed_over", _("已领取")  # a worker handed it over
        CANCELLED = "cancelled", _("已取消")  # points refunded and stock returned, once

    reward = models.ForeignKey(
        Reward, models.PROTECT, related_name="redemptions", verbose_name=_("奖励")
    )
    account = models.ForeignKey(
        PointsAccount, models.PROTECT, related_name="redemptions", verbose_name=_("积分账户")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="redemptions",
        verbose_name=_("兑换人"),
    )
    quantity = models.PositiveIntegerField(_("数量"), default=1)
    points = models.PositiveIntegerField(_("扣减积分"))
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.REQUESTED
    )
    handed_over_at = models.DateTimeField(_("领取时间"), null=True, blank=True)
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("经办人"),
    )
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    cancelled_reason = models.CharField(_("取消原因"), max_length=200, blank=True)

    scope_paths = ScopePaths(
        district="reward__community__street__district",
        street="reward__community__street",
        community="reward__community",
    )

    class Meta:
        verbose_name = _("兑换单")
        verbose_name_plural = _("兑换单")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="redemption_quantity_positive"
            ),
            models.CheckConstraint(condition=Q(points__gte=1), name="redemption_points_positive"),
        ]

    def __str__(self):
        return f"{self.reward} × {self.quantity}"
