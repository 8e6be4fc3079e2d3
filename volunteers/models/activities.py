"""Activities and public-welfare posts, sign-ups with a waiting list, attendance and approval."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel

from .paths import ACTIVITY_CHILD_PATHS, COMMUNITY_PATHS


class Activity(TimeStampedModel):
    """A volunteer activity or a public-welfare post 公益岗位 of a community or its team."""

    class Kind(models.TextChoices):
        ACTIVITY = "activity", _("志愿活动")  # one occasion: a clean-up, a haircut day
        POST = "post", _("公益岗位")  # a standing post filled in shifts: a guard at a gate

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")  # not yet visible to residents
        PUBLISHED = "published", _("报名中")  # residents see it and sign up
        CANCELLED = "cancelled", _("已取消")  # called off; sign-ups released
        FINISHED = "finished", _("已结束")  # attendance is being approved / done

    community = models.ForeignKey(
        "grids.Community",
        models.PROTECT,
        related_name="volunteer_activities",
        verbose_name=_("居民区"),
    )
    team = models.ForeignKey(
        "volunteers.ServiceTeam",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("服务队"),
    )
    project = models.ForeignKey(
        "projects.Project",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="volunteer_activities",
        verbose_name=_("关联微项目"),
    )
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, default=Kind.ACTIVITY)
    category = models.CharField(
        _("服务类别"),
        max_length=32,
        blank=True,
        help_text=_("如：环境整治、为老服务、文明劝导；积分规则可按类别设定"),
    )
    title = models.CharField(_("名称"), max_length=100)
    description = models.TextField(_("内容"), blank=True)
    place = models.CharField(_("地点"), max_length=200)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    signup_deadline = models.DateTimeField(
        _("报名/取消截止"), help_text=_("此后不能报名或取消报名")
    )
    capacity = models.PositiveIntegerField(
        _("名额"), help_text=_("满员后的报名进入候补，有人取消时自动递补")
    )
    points_rule = models.ForeignKey(
        "volunteers.PointsRule",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("积分规则"),
        help_text=_("留空则按街道的通用规则"),
    )
    checkin_code = models.CharField(
        _("签到码"), max_length=12, blank=True, help_text=_("志愿者在现场输入或扫码签到用")
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    cancelled_reason = models.CharField(_("取消原因"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("发布人"),
    )

    scope_paths = COMMUNITY_PATHS

    class Meta:
        verbose_name = _("志愿活动")
        verbose_name_plural = _("志愿活动")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="activity_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="activity_capacity_positive"),
        ]
        indexes = [models.Index(fields=["community", "status", "starts_at"])]

    def __str__(self):
        return self.title


class SignUp(TimeStampedModel):
    """One person's place (or waiting-list place) in an activity."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("已报名")  # holds one of the places
        WAITLISTED = "waitlisted", _("候补")  # moves up when a place frees, in order of sign-up
        CANCELLED = "cancelled", _("已取消")  # by the volunteer before the cut-off, or the activity

    activity = models.ForeignKey(
        Activity, models.CASCADE, related_name="signups", verbose_name=_("活动")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="volunteer_signups",
        verbose_name=_("志愿者"),
    )
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices)
    waitlisted_at = models.DateTimeField(_("候补时间"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)

    scope_paths = ACTIVITY_CHILD_PATHS

    class Meta:
        verbose_name = _("报名")
        verbose_name_plural = _("报名")
        ordering = ["activity", "created_at"]
        constraints = [
            # One live sign-up per person and activity; a cancelled one may be followed by another.
            models.UniqueConstraint(
                fields=["activity", "user"],
                condition=~Q(status="cancelled"),
                name="signup_one_live",
            )
        ]

    def __str__(self):
        return f"{self.activity} · {self.user}"


class Attendance(TimeStampedModel):
    """Check-in and check-out of one sign-up; hours count only once a worker approves them."""

    class Method(models.TextChoices):
        WORKER = "worker", _("工作人员登记")
        CODE = "code", _("现场签到码")

    class Status(models.TextChoices):
        CHECKED_IN = "checked_in", _("已签到")
        CHECKED_OUT = "checked_out", _("已签退")  # hours computed, awaiting approval
        APPROVED = "approved", _("已审核")  # points earned (once)
        REJECTED = "rejected", _("未通过")  # with a reason

    signup = models.OneToOneField(
        SignUp, models.CASCADE, related_name="attendance", verbose_name=_("报名")
    )
    activity = models.ForeignKey(
        Activity, models.CASCADE, related_name="attendances", verbose_name=_("活动")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="volunteer_attendances",
        verbose_name=_("志愿者"),
    )
    method = models.CharField(_("签到方式"), max_length=16, choices=Method.choices)
    checked_in_at = models.DateTimeField(_("签到时间"))
    checked_out_at = models.DateTimeField(_("签退时间"), null=True, blank=True)
    hours = models.DecimalField(
        _("服务时长(小时)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.CHECKED_IN
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审核人"),
    )
    review_note = models.CharField(_("审核说明"), max_length=200, blank=True)

    scope_paths = ACTIVITY_CHILD_PATHS

    class Meta:
        verbose_name = _("签到与时长")
        verbose_name_plural = _("签到与时长")
        ordering = ["-checked_in_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__isnull=True) | Q(hours__gte=0),
                name="attendance_hours_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(checked_out_at__isnull=True)
                | Q(checked_out_at__gte=models.F("checked_in_at")),
                name="attendance_out_after_in",
            ),
        ]
        indexes = [models.Index(fields=["user", "status"])]

    def __str__(self):
        return f"{self.activity} · {self.user}"
