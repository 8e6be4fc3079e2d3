"""Micro-projects 微项目: what an adopted topic becomes, with its money, people and review.

Everything here is public to the project's community (every yuan and every change of stage,
with who and when); only internal notes on the timeline are staff-only. Money is Decimal and
guarded twice: by the services under row locks and by database constraints.
"""

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from core.scope import ScopePaths
from core.timeline import TimelineEvent

COMMUNITY_PATHS = ScopePaths(
    district="community__street__district", street="community__street", community="community"
)
PROJECT_PATHS = ScopePaths(
    district="community__street__district",
    street="community__street",
    community="community",
    grid="grid",
)
# Rows hanging off a project sit where their project sits.
PROJECT_CHILD_PATHS = ScopePaths(
    district="project__community__street__district",
    street="project__community__street",
    community="project__community",
    grid="project__grid",
)

RECEIPT_EXTENSIONS = ("jpg", "jpeg", "png", "webp", "pdf")
MONEY = {"max_digits": 12, "decimal_places": 2}


class FundPool(TimeStampedModel):
    """A community's special-fund pool 专项资金 for one year. Projects draw on it through
    special-fund budget lines; the sum of those lines never exceeds `amount`."""

    community = models.ForeignKey(
        "grids.Community", models.PROTECT, related_name="fund_pools", verbose_name=_("居民区")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    amount = models.DecimalField(_("资金总额(元)"), **MONEY)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("最后设定人"),
    )

    scope_paths = COMMUNITY_PATHS

    class Meta:
        verbose_name = _("专项资金池")
        verbose_name_plural = _("专项资金池")
        ordering = ["-year", "community"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "year"],
                name="fund_pool_one_per_community_year",
                violation_error_message=_("该居民区本年度已有专项资金池。"),
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="fund_pool_amount_not_negative"
            ),
        ]

    def __str__(self):
        return str(
            _("%(community)s %(year)s 年专项资金")
            % {"community": self.community, "year": self.year}
        )


class ProjectQuerySet(models.QuerySet):
    def review_ended(self, *, now):
        """Published projects whose review window is over: they are due to close."""
        return self.filter(stage=Project.Stage.PUBLISHED, review_closes_at__lte=now)


class Project(TimeStampedModel):
    """A micro-project 微项目, born from an adopted topic."""

    class Stage(models.TextChoices):
        PLANNING = "planning", _("筹备中")  # adopted; plan, team and budget being put together
        IN_PROGRESS = "in_progress", _("实施中")  # work under way; money spent line by line
        PUBLISHED = "published", _("公示中")  # results and accounts public; residents evaluate
        CLOSED = "closed", _("已结项")  # review window over; satisfaction score stored
        CANCELLED = "cancelled", _("已取消")  # stopped before publication, with a public reason

    topic = models.OneToOneField(
        "proposals.Topic", models.PROTECT, related_name="project", verbose_name=_("来源议题")
    )
    community = models.ForeignKey(
        "grids.Community", models.PROTECT, related_name="projects", verbose_name=_("居民区")
    )
    grid = models.ForeignKey(
        "grids.MicroGrid",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("微网格"),
    )
    title = models.CharField(_("项目名称"), max_length=100)
    summary = models.CharField(_("简介"), max_length=300, blank=True)
    plan = models.TextField(_("实施方案"), blank=True)
    results = models.TextField(_("实施成果"), blank=True, help_text=_("公示时填写，向居民公开"))
    lead = models.ForeignKey(
        "residents.Resident",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_projects",
        verbose_name=_("主理人"),
        help_text=_("牵头的居民达人"),
    )
    stage = models.CharField(
        _("阶段"), max_length=16, choices=Stage.choices, default=Stage.PLANNING, db_index=True
    )
    planning_at = models.DateTimeField(_("立项时间"), null=True, blank=True)
    in_progress_at = models.DateTimeField(_("开始实施时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("公示时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结项时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    review_days = models.PositiveSmallIntegerField(
        _("公示天数"), null=True, blank=True, help_text=_("公示时设定的评价期天数")
    )
    review_opens_at = models.DateTimeField(_("评价开始"), null=True, blank=True)
    review_closes_at = models.DateTimeField(_("评价截止"), null=True, blank=True, db_index=True)
    satisfaction_score = models.DecimalField(
        _("满意度"),
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("结项时按居民评分的平均值计算并保存，此后不变"),
    )
    evaluations_count = models.PositiveIntegerField(_("评价人数"), default=0)
    cancelled_reason = models.TextField(_("取消原因"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("立项人"),
    )

    objects = ProjectQuerySet.as_manager()
    scope_paths = PROJECT_PATHS

    class Meta:
        verbose_name = _("微项目")
        verbose_name_plural = _("微项目")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction_score__isnull=True)
                | Q(satisfaction_score__gte=1, satisfaction_score__lte=5),
                name="project_score_in_range",
            ),
            models.CheckConstraint(
                condition=~Q(stage="cancelled") | ~Q(cancelled_reason=""),
                name="project_cancel_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["community", "stage"])]

    def __str__(self):
        return self.title


class ProjectMember(TimeStampedModel):
    """Someone taking part: the lead, the team, volunteers, participating residents. A member
    is a resident account, a resident record (a lead without an account), or both."""

    class Role(models.TextChoices):
        LEAD = "lead", _("主理人")  # the resident talent 达人 running the project
        TEAM = "team", _("团队成员")  # plans and carries out the work with the lead
        VOLUNTEER = "volunteer", _("志愿者")  # helps on the day
        PARTICIPANT = "participant", _("参与居民")  # takes part, follows, gives opinions

    project = models.ForeignKey(
        Project, models.CASCADE, related_name="members", verbose_name=_("微项目")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("居民账号"),
    )
    resident = models.ForeignKey(
        "residents.Resident",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("居民"),
    )
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices)
    joined_at = models.DateTimeField(_("加入时间"), auto_now_add=True)

    scope_paths = PROJECT_CHILD_PATHS

    class Meta:
        verbose_name = _("项目成员")
        verbose_name_plural = _("项目成员")
        ordering = ["project", "joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "user"],
                condition=Q(user__isnull=False),
                name="project_member_once_per_user",
            ),
            models.UniqueConstraint(
                fields=["project", "resident"],
                condition=Q(resident__isnull=False),
                name="project_member_once_per_resident",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(resident__isnull=False),
                name="project_member_is_someone",
            ),
        ]

    def __str__(self):
        who = self.resident or self.user
        return f"{who} · {self.get_role_display()}"

    @property
    def display_name(self):
        if self.resident_id:
            return self.resident.name
        return self.user.get_full_name() if self.user_id else ""


class Milestone(TimeStampedModel):
    project = models.ForeignKey(
        Project, models.CASCADE, related_name="milestones", verbose_name=_("微项目")
    )
    title = models.CharField(_("节点"), max_length=100)
    due_on = models.DateField(_("计划完成日期"), null=True, blank=True)
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("确认人"),
    )

    scope_paths = PROJECT_CHILD_PATHS

    class Meta:
        verbose_name = _("项目节点")
        verbose_name_plural = _("项目节点")
        ordering = ["project", "due_on", "pk"]

    def __str__(self):
        return self.title


class BudgetLine(TimeStampedModel):
    """One line of a project's budget, by source. Lines are not edited once made: a correction
    is a new line, so the public accounts keep their history."""

    class Source(models.TextChoices):
        SPECIAL_FUND = "special_fund", _("专项资金")  # drawn from the community's yearly pool
        CROWDFUNDING = "crowdfunding", _("众筹")  # pledges collected for this project
        RESIDENTS = "residents", _("居民自筹")  # residents' own contribution
        MAINTENANCE_FUND = "maintenance_fund", _("维修基金")  # the building's maintenance fund

    project = models.ForeignKey(
        Project, models.CASCADE, related_name="budget_lines", verbose_name=_("微项目")
    )
    source = models.CharField(_("资金来源"), max_length=20, choices=Source.choices)
    amount = models.DecimalField(_("金额(元)"), **MONEY)
    pool = models.ForeignKey(
        FundPool,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="allocations",
        verbose_name=_("专项资金池"),
        help_text=_("仅专项资金需要选择"),
    )
    description = models.CharField(_("用途说明"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登记人"),
    )

    scope_paths = PROJECT_CHILD_PATHS

    class Meta:
        verbose_name = _("预算明细")
        verbose_name_plural = _("预算明细")
        ordering = ["project", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="budget_line_amount_positive"),
            models.CheckConstraint(
                condition=Q(source="special_fund", pool__isnull=False)
                | (~Q(source="special_fund") & Q(pool__isnull=True)),
                name="budget_line_pool_iff_special_fund",
            ),
        ]
        indexes = [models.Index(fields=["pool", "source"])]

    def __str__(self):
        return f"{self.get_source_display()} ¥{self.amount} {self.description}"


def receipt_path(instance, filename):
    return f"projects/{instance.project_id}/receipts/{filename}"


def photo_path(instance, filename):
    return f"projects/{instance.update.project_id}/photos/{filename}"


class Expense(TimeStampedModel):
    """Money spent against one budget line, with its receipt. Never more than the line."""

    project = models.ForeignKey(
        Project, models.CASCADE, related_name="expenses", verbose_name=_("微项目")
    )
    budget_line = models.ForeignKey(
        BudgetLine, models.PROTECT, related_name="expenses", verbose_name=_("预算明细")
    )
    amount = models.DecimalField(_("金额(元)"), **MONEY)
    spent_on = models.DateField(_("支出日期"))
    payee = models.CharField(_("收款方"), max_length=100)
    description = models.CharField(_("支出说明"), max_length=200)
    receipt = models.FileField(
        _("票据"),
        upload_to=receipt_path,
        blank=True,
        validators=[FileExtensionValidator(RECEIPT_EXTENSIONS)],
        help_text=_("发票或收据的照片或 PDF"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登记人"),
    )

    scope_paths = PROJECT_CHILD_PATHS

    class Meta:
        verbose_name = _("支出")
        verbose_name_plural = _("支出")
        ordering = ["project", "spent_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="expense_amount_positive"),
        ]

    def __str__(self):
        return f"¥{self.amount} {self.payee}"


class ProgressUpdate(TimeStampedModel):
    project = models.ForeignKey(
        Project, models.CASCADE, related_name="updates", verbose_name=_("微项目")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("发布人"),
    )
    text = models.TextField(_("进展"))

    scope_paths = PROJECT_CHILD_PATHS

    class Meta:
        verbose_name = _("项目进展")
        verbose_name_plural = _("项目进展")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.text[:40]


class ProgressPhoto(models.Model):
    update = models.ForeignKey(
        ProgressUpdate, models.CASCADE, related_name="photos", verbose_name=_("项目进展")
    )
    image = models.ImageField(_("照片"), upload_to=photo_path)
    caption = models.CharField(_("说明"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("进展照片")
        verbose_name_plural = _("进展照片")
        ordering = ["update", "pk"]

    def __str__(self):
        return self.caption or self.image.name


class ProjectEvent(TimelineEvent):
    """One entry of a project's public timeline."""

    project = models.ForeignKey(
        Project, models.CASCADE, related_name="events", verbose_name=_("微项目")
    )

    scope_paths = PROJECT_CHILD_PATHS

    class Meta(TimelineEvent.Meta):
        verbose_name = _("项目动态")
        verbose_name_plural = _("项目动态")
        indexes = [models.Index(fields=["project", "at"])]


class Evaluation(TimeStampedModel):
    """A resident's evaluation of a published project: one per resident, during the window."""

    project = models.ForeignKey(
        Project, models.CASCADE, related_name="evaluations", verbose_name=_("微项目")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="+", verbose_name=_("评价人")
    )
    rating = models.PositiveSmallIntegerField(_("评分"), help_text=_("1–5 分"))
    comment = models.TextField(_("评价"), blank=True)

    scope_paths = PROJECT_CHILD_PATHS

    class Meta:
        verbose_name = _("居民评价")
        verbose_name_plural = _("居民评价")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "user"],
                name="evaluation_once_per_resident",
                violation_error_message=_("您已评价过该项目。"),
            ),
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="evaluation_rating_1_to_5"
            ),
        ]

    def __str__(self):
        return f"{self.project} · {self.rating}"


class ProjectCovenant(TimeStampedModel):
    """A resident covenant 规约 a project leaves behind (issue 7 builds full covenants)."""

    project = models.ForeignKey(
        Project, models.CASCADE, related_name="covenants", verbose_name=_("微项目")
    )
    title = models.CharField(_("规约名称"), max_length=100)
    text = models.TextField(_("规约内容"))
    published_at = models.DateTimeField(_("发布时间"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("发布人"),
    )

    scope_paths = PROJECT_CHILD_PATHS

    class Meta:
        verbose_name = _("项目规约")
        verbose_name_plural = _("项目规约")
        ordering = ["project", "-published_at"]

    def __str__(self):
        return self.title
