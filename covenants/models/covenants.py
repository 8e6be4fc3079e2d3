"""Covenants 规约/公约 of a building, compound or community, and their versions.

State lives on the version; the covenant keeps a summary of it (`Covenant.status`) that the
services rewrite under the covenant's row lock after every move:

    version:  draft ──open_discussion──▶ discussion ──open_signing──▶ signing ──decide──▶ in_force
                │                          │                                   └──────▶ not_adopted
                └──────────cancel──────────┴──▶ cancelled
              in_force ──(a later version comes into force)──▶ superseded
              in_force ──repeal(reason)──▶ repealed

    covenant.status: IN_FORCE while one of its versions is in force (an amendment under way is
    the newest version's state, shown as `current_version.state`); REPEALED once repealed;
    otherwise the state of its newest version (draft, discussion, signing, not_adopted,
    cancelled). An amendment is a new version of an in-force covenant that takes the same path;
    when it comes into force the version before it becomes superseded. Every version's text
    stays readable for ever.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from board.models.common import COMMUNITY_PATHS, TARGET_MATCHES_AUDIENCE, Audience
from core.models import TimeStampedModel
from core.scope import ScopePaths
from core.timeline import TimelineEvent

VIA_COVENANT = ScopePaths(
    district="covenant__community__street__district",
    street="covenant__community__street",
    community="covenant__community",
)

AUDIENCES = [c for c in Audience.choices if c[0] != Audience.STREET]


class Origin(models.TextChoices):
    PROJECT = "project", _("微项目留下的规约")
    TOPIC = "topic", _("议题协商形成的规约")
    WORKER = "worker", _("社区工作者起草")


class VersionState(models.TextChoices):
    DRAFT = "draft", _("草稿")  # text editable; only its workers see it
    DISCUSSION = "discussion", _("公开讨论中")  # the window is open; residents comment
    SIGNING = "signing", _("签署表决中")  # households sign on or vote until signing_closes_at
    IN_FORCE = "in_force", _("已生效")  # the threshold was met; effective_on recorded
    NOT_ADOPTED = "not_adopted", _("未通过")  # the threshold was missed; counts stored
    SUPERSEDED = "superseded", _("已被修订")  # a later version came into force; still readable
    REPEALED = "repealed", _("已废止")  # repealed with a public reason
    CANCELLED = "cancelled", _("已撤销")  # called off before signing, with a public reason


class CovenantStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    DISCUSSION = "discussion", _("公开讨论中")
    SIGNING = "signing", _("签署表决中")
    IN_FORCE = "in_force", _("已生效")
    NOT_ADOPTED = "not_adopted", _("未通过")
    REPEALED = "repealed", _("已废止")
    CANCELLED = "cancelled", _("已撤销")


class SigningMethod(models.TextChoices):
    SIGN_ON = "sign_on", _("按户签署")  # 签署: a household signs on (yes only)
    VOTE = "vote", _("按户表决")  # 表决: a household votes yes or no


class ThresholdBasis(models.TextChoices):
    ELIGIBLE = "eligible", _("占应参与户数")  # share of every eligible household
    VOTING = "voting", _("占参与表决户数")  # share of the households that voted (votes only)


class CovenantQuerySet(models.QuerySet):
    def public(self):
        """What residents of the community may read: everything past the draft."""
        return self.exclude(status=CovenantStatus.DRAFT)


class Covenant(TimeStampedModel):
    Status = CovenantStatus
    Origin = Origin

    community = models.ForeignKey(
        "grids.Community", models.PROTECT, related_name="covenants", verbose_name=_("居民区")
    )
    audience = models.CharField(
        _("适用范围"), max_length=16, choices=AUDIENCES, default=Audience.COMMUNITY
    )
    compound = models.ForeignKey(
        "grids.Compound",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="covenants",
        verbose_name=_("小区"),
    )
    building = models.ForeignKey(
        "grids.Building",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="covenants",
        verbose_name=_("楼组"),
    )
    title = models.CharField(_("标题"), max_length=100)
    origin = models.CharField(_("来源"), max_length=16, choices=Origin.choices)
    project = models.ForeignKey(
        "projects.Project",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="governance_covenants",
        verbose_name=_("来源微项目"),
    )
    topic = models.ForeignKey(
        "proposals.Topic",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="covenants",
        verbose_name=_("来源议题"),
    )
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=CovenantStatus.choices,
        default=CovenantStatus.DRAFT,
        db_index=True,
        help_text=_("有版本生效时为“已生效”；否则随最新版本"),
    )
    current_version = models.ForeignKey(
        "CovenantVersion",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("最新版本"),
    )
    in_force_version = models.ForeignKey(
        "CovenantVersion",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("生效版本"),
    )
    collects_funds = models.BooleanField(
        _("预收资金"), default=False, help_text=_("规约约定按户预收资金（如维修、保洁费用）")
    )
    fund_purpose = models.CharField(_("资金用途"), max_length=200, blank=True)
    repealed_at = models.DateTimeField(_("废止时间"), null=True, blank=True)
    repeal_reason = models.CharField(_("废止原因"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("起草人"),
    )

    objects = CovenantQuerySet.as_manager()
    scope_paths = COMMUNITY_PATHS

    class Meta:
        verbose_name = _("规约")
        verbose_name_plural = _("规约与公约")
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=TARGET_MATCHES_AUDIENCE & ~Q(audience=Audience.STREET),
                name="covenant_target_matches_audience",
            ),
            models.CheckConstraint(
                condition=Q(origin=Origin.PROJECT, project__isnull=False, topic__isnull=True)
                | Q(origin=Origin.TOPIC, topic__isnull=False, project__isnull=True)
                | Q(origin=Origin.WORKER, project__isnull=True, topic__isnull=True),
                name="covenant_origin_matches_source",
            ),
        ]
        indexes = [models.Index(fields=["community", "status"])]

    def __str__(self):
        return self.title


class CovenantVersion(TimeStampedModel):
    """One text of a covenant (1, 2, …) and its own path to adoption."""

    State = VersionState
    Method = SigningMethod
    Basis = ThresholdBasis

    covenant = models.ForeignKey(
        Covenant, models.CASCADE, related_name="versions", verbose_name=_("规约")
    )
    number = models.PositiveSmallIntegerField(_("版本号"))
    text = models.TextField(_("规约正文"), help_text=_("可用简单格式；脚本等会被清除"))
    change_summary = models.CharField(
        _("修订说明"), max_length=300, blank=True, help_text=_("修订版本须说明改了什么")
    )
    state = models.CharField(
        _("状态"),
        max_length=16,
        choices=VersionState.choices,
        default=VersionState.DRAFT,
        db_index=True,
    )
    discussion_opens_at = models.DateTimeField(_("讨论开始"), null=True, blank=True)
    discussion_closes_at = models.DateTimeField(_("讨论截止"), null=True, blank=True)
    signing_method = models.CharField(
        _("通过方式"), max_length=16, choices=SigningMethod.choices, blank=True
    )
    threshold_basis = models.CharField(
        _("通过门槛基数"), max_length=16, choices=ThresholdBasis.choices, blank=True
    )
    threshold_numerator = models.PositiveSmallIntegerField(_("门槛分子"), null=True, blank=True)
    threshold_denominator = models.PositiveSmallIntegerField(_("门槛分母"), null=True, blank=True)
    signing_opens_at = models.DateTimeField(_("签署开始"), null=True, blank=True)
    signing_closes_at = models.DateTimeField(_("签署截止"), null=True, blank=True)
    # Stored when decided, so the outcome can be read as it was, whoever moves house later.
    eligible_households = models.PositiveIntegerField(_("应参与户数"), null=True, blank=True)
    yes_count = models.PositiveIntegerField(_("签署/赞成户数"), null=True, blank=True)
    no_count = models.PositiveIntegerField(_("反对户数"), null=True, blank=True)
    decided_at = models.DateTimeField(_("结果时间"), null=True, blank=True)
    in_force_at = models.DateTimeField(_("生效登记时间"), null=True, blank=True)
    effective_on = models.DateField(_("生效日期"), null=True, blank=True)
    ended_at = models.DateTimeField(
        _("失效时间"), null=True, blank=True, help_text=_("被修订版本取代或被废止的时间")
    )
    cancelled_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    cancel_reason = models.CharField(_("撤销原因"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("起草人"),
    )

    scope_paths = VIA_COVENANT

    class Meta:
        verbose_name = _("规约版本")
        verbose_name_plural = _("规约版本")
        ordering = ["covenant", "number"]
        constraints = [
            models.UniqueConstraint(fields=["covenant", "number"], name="covenant_version_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="covenant_version_from_one"),
            models.CheckConstraint(
                condition=Q(threshold_numerator__isnull=True)
                | Q(
                    threshold_numerator__gte=1,
                    threshold_denominator__gte=models.F("threshold_numerator"),
                ),
                name="covenant_version_threshold_share",
            ),
            # Signing on has only yeses: its threshold can only be of the eligible households.
            models.CheckConstraint(
                condition=~Q(signing_method=SigningMethod.SIGN_ON)
                | Q(threshold_basis=ThresholdBasis.ELIGIBLE),
                name="covenant_version_sign_on_of_eligible",
            ),
            # One version on the path (draft, discussion or signing) per covenant at a time.
            models.UniqueConstraint(
                fields=["covenant"],
                condition=Q(state__in=["draft", "discussion", "signing"]),
                name="covenant_one_open_version",
            ),
            models.UniqueConstraint(
                fields=["covenant"],
                condition=Q(state="in_force"),
                name="covenant_one_version_in_force",
            ),
        ]

    def __str__(self):
        return f"{self.covenant} · v{self.number}"

    @property
    def threshold_label(self) -> str:
        if not self.threshold_numerator:
            return ""
        share = f"{self.threshold_numerator}/{self.threshold_denominator}"
        return f"{self.get_threshold_basis_display()} ≥ {share}"

    def threshold_met(self, *, yes, no, eligible) -> bool:
        """yes / base ≥ numerator / denominator, in integers (no rounding)."""
        base = yes + no if self.threshold_basis == ThresholdBasis.VOTING else eligible
        if base <= 0:
            return False
        return yes * self.threshold_denominator >= self.threshold_numerator * base


class CovenantEvent(TimelineEvent):
    """A covenant's public history: every move of every version, with its reason."""

    covenant = models.ForeignKey(
        Covenant, models.CASCADE, related_name="events", verbose_name=_("规约")
    )
    version_number = models.PositiveSmallIntegerField(_("版本号"), null=True, blank=True)

    class Meta(TimelineEvent.Meta):
        verbose_name = _("规约动态")
        verbose_name_plural = _("规约动态")
        indexes = [models.Index(fields=["covenant", "at"])]
