"""A street's own settings for topics, and its categories (data, never hard-coded)."""

import datetime

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from core.scope import ScopePaths


class ProposalPolicy(TimeStampedModel):
    """How one street runs its topics. A street without a row runs on the defaults below:
    4 hours is the figure in the issue (the seed's average first response, 一日三巡); the
    others are this portal's starting values, for the street to set."""

    street = models.OneToOneField(
        "grids.Street", models.CASCADE, related_name="proposal_policy", verbose_name=_("街道")
    )
    first_response_hours = models.PositiveSmallIntegerField(
        _("首次回应时限(小时)"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
        help_text=_("议题提出后须在此时限内给出首次公开回应"),
    )
    remind_before_minutes = models.PositiveSmallIntegerField(
        _("到期前提醒(分钟)"),
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 60)],
        help_text=_("到期前多少分钟提醒网格长和社区工作者（默认 60，即提出后第 3 小时）"),
    )
    hands_window_days = models.PositiveSmallIntegerField(
        _("举手期限(天)"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("开放举手时默认的截止天数"),
    )
    hands_threshold = models.PositiveIntegerField(
        _("立项举手数"),
        default=10,
        validators=[MinValueValidator(1)],
        help_text=_("举手数达到此数即可立项；各居民区可另行设定"),
    )
    comment_report_threshold = models.PositiveSmallIntegerField(
        _("评论被举报隐藏数"),
        default=3,
        validators=[MinValueValidator(1)],
        help_text=_("被这么多位居民举报的评论自动隐藏，待工作人员审核"),
    )

    scope_paths = ScopePaths(district="street__district", street="street")

    class Meta:
        verbose_name = _("议题规则")
        verbose_name_plural = _("议题规则")
        constraints = [
            models.CheckConstraint(
                condition=Q(first_response_hours__gte=1), name="policy_response_hours_positive"
            ),
            models.CheckConstraint(
                condition=Q(hands_threshold__gte=1), name="policy_hands_threshold_positive"
            ),
            models.CheckConstraint(
                condition=Q(comment_report_threshold__gte=1),
                name="policy_report_threshold_positive",
            ),
        ]

    def __str__(self):
        return str(_("%(street)s 议题规则") % {"street": self.street})

    @property
    def first_response_delta(self):
        return datetime.timedelta(hours=self.first_response_hours)

    @property
    def remind_before_delta(self):
        return datetime.timedelta(minutes=self.remind_before_minutes)


def policy_for_street(street_id) -> ProposalPolicy:
    """The street's policy, or an unsaved one holding the defaults."""
    policy = ProposalPolicy.objects.filter(street_id=street_id).first()
    return policy or ProposalPolicy(street_id=street_id)


class CommunityPolicy(TimeStampedModel):
    """A community's own hands threshold (a big estate needs more hands than a small lane)."""

    community = models.OneToOneField(
        "grids.Community",
        models.CASCADE,
        related_name="proposal_policy",
        verbose_name=_("居民区"),
    )
    hands_threshold = models.PositiveIntegerField(
        _("立项举手数"),
        validators=[MinValueValidator(1)],
        help_text=_("覆盖街道的默认立项举手数"),
    )

    scope_paths = ScopePaths(
        district="community__street__district", street="community__street", community="community"
    )

    class Meta:
        verbose_name = _("居民区立项举手数")
        verbose_name_plural = _("居民区立项举手数")
        constraints = [
            models.CheckConstraint(
                condition=Q(hands_threshold__gte=1), name="community_hands_threshold_positive"
            ),
        ]

    def __str__(self):
        return f"{self.community} · {self.hands_threshold}"


class Category(TimeStampedModel):
    """A street's topic category (环境卫生, 停车, 加装电梯 …)."""

    street = models.ForeignKey(
        "grids.Street", models.CASCADE, related_name="topic_categories", verbose_name=_("街道")
    )
    name = models.CharField(_("名称"), max_length=32)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    scope_paths = ScopePaths(district="street__district", street="street")

    class Meta:
        verbose_name = _("议题类别")
        verbose_name_plural = _("议题类别")
        ordering = ["street", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["street", "name"],
                name="topic_category_unique_in_street",
                violation_error_message=_("本街道已有同名类别。"),
            )
        ]

    def __str__(self):
        return self.name
