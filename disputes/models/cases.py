"""A dispute case 矛盾纠纷案件: its parties, case owner 包案 and mediators, mediation sessions,
outcome, follow-up visit 回访, internal history and the access log of every read.

Case files are personal data: never public, never on a dashboard (counts only)."""

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from core.scope import ScopePaths
from core.timeline import TimelineEvent

from .intake import COMMUNITY_PATHS, DisputeSweep, ReceptionDay


class PrivateStorage(FileSystemStorage):
    """Signed agreements live outside MEDIA_ROOT (nginx never serves them by URL): beside it,
    in "<media>-private" (followed when MEDIA_ROOT changes). They have no URL at all: only the
    permission-checked download view reads them (disputes.apis.cases.agreement_response)."""

    @cached_property
    def base_location(self):
        media = Path(settings.MEDIA_ROOT)
        return str(media.with_name(media.name + "-private"))

    @cached_property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("private file: no URL; use the agreement download endpoint")


_private_storage = PrivateStorage()


def private_storage():
    return _private_storage


def agreement_path(instance, filename):
    suffix = Path(filename).suffix.lower()[:8]
    return f"disputes/{instance.pk}/agreement-{timezone.now():%Y%m%d%H%M%S}{suffix}"


class DisputeCaseQuerySet(models.QuerySet):
    """Follow-up deadlines are derived from the stored due time, never a flag a job flips."""

    def followup_pending(self):
        return self.filter(status=DisputeCase.Status.RESOLVED)

    def followup_due_soon(self, *, now=None):
        now = now or timezone.now()
        return self.followup_pending().filter(
            followup_due_at__gt=now, followup_due_at__lte=now + FOLLOWUP_WARNING
        )

    def followup_overdue(self, *, now=None):
        return self.followup_pending().filter(followup_due_at__lte=now or timezone.now())


FOLLOWUP_WARNING = timezone.timedelta(days=3)


class DisputeCase(TimeStampedModel):
    class Status(models.TextChoices):
        INTAKE = "intake", _("待受理")  # recorded; no case owner yet
        MEDIATING = "mediating", _("调解中")  # a case owner 包案 is assigned
        RESOLVED = "resolved", _("待回访")  # outcome recorded; follow-up visit due
        FOLLOWED_UP = "followed_up", _("已回访")  # follow-up visit done
        CLOSED = "closed", _("已结案")
        CANCELLED = "cancelled", _("已撤销")  # from intake only, with a reason

    class Category(models.TextChoices):
        NEIGHBOUR = "neighbour", _("邻里纠纷")
        FAMILY = "family", _("婚姻家庭")
        PROPERTY = "property", _("物业纠纷")
        CONSTRUCTION = "construction", _("装修施工")
        LABOUR = "labour", _("劳资纠纷")
        LAND = "land", _("土地纠纷")
        OTHER = "other", _("其他")

    class Risk(models.TextChoices):
        LOW = "low", _("低")
        MEDIUM = "medium", _("中")
        HIGH = "high", _("高")

    class Source(models.TextChoices):
        SWEEP = "sweep", _("排查发现")
        RECEPTION = "reception", _("接访")
        VISIT = "visit", _("走访")
        TOPIC = "topic", _("议题")
        REFERRAL = "referral", _("转来")

    class Outcome(models.TextChoices):
        AGREEMENT = "agreement", _("达成调解协议")
        REFERRED = "referred", _("转交处理")
        WITHDRAWN = "withdrawn", _("当事人撤回")

    class ReferredTo(models.TextChoices):
        COURT = "court", _("法院")
        DEPARTMENT = "department", _("职能部门")
        ARBITRATION = "arbitration", _("仲裁机构")

    community = models.ForeignKey(
        "grids.Community", models.PROTECT, related_name="dispute_cases", verbose_name=_("居民区")
    )
    grid = models.ForeignKey(
        "grids.MicroGrid",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="dispute_cases",
        verbose_name=_("微网格"),
    )
    category = models.CharField(_("纠纷类别"), max_length=16, choices=Category.choices)
    summary = models.TextField(_("纠纷概要"))
    risk_level = models.CharField(
        _("风险等级"), max_length=8, choices=Risk.choices, default=Risk.LOW
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.INTAKE, db_index=True
    )
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices)
    sweep = models.ForeignKey(
        DisputeSweep,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("排查记录"),
    )
    reception = models.ForeignKey(
        ReceptionDay,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("接访"),
    )
    visit = models.ForeignKey(
        "grids.VisitRecord",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="dispute_cases",
        verbose_name=_("走访记录"),
    )
    topic = models.ForeignKey(
        "proposals.Topic",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="dispute_cases",
        verbose_name=_("议题"),
    )
    referral_from = models.CharField(
        _("转来单位"), max_length=100, blank=True, help_text=_("如派出所、信访办转来")
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("登记人"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="dispute_cases_owned",
        verbose_name=_("包案人"),
    )
    assigned_at = models.DateTimeField(_("包案时间"), null=True, blank=True)
    outcome = models.CharField(_("调解结果"), max_length=16, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("结果说明"), blank=True)
    referred_to_kind = models.CharField(
        _("转交去向"), max_length=16, choices=ReferredTo.choices, blank=True
    )
    referred_to = models.CharField(_("转交单位"), max_length=100, blank=True)
    agreement_file = models.FileField(
        _("调解协议书（签字版）"),
        upload_to=agreement_path,
        storage=private_storage,
        max_length=200,
        blank=True,
    )
    outcome_at = models.DateTimeField(_("结果登记时间"), null=True, blank=True)
    followup_due_at = models.DateTimeField(_("回访期限"), null=True, blank=True, db_index=True)
    followup_at = models.DateTimeField(_("回访时间"), null=True, blank=True)
    followup_note = models.TextField(_("回访情况"), blank=True)
    followup_on_time = models.BooleanField(_("按期回访"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    cancel_reason = models.CharField(_("撤销原因"), max_length=200, blank=True)

    objects = DisputeCaseQuerySet.as_manager()
    scope_paths = ScopePaths(
        district="community__street__district",
        street="community__street",
        community="community",
        grid="grid",
    )

    class Meta:
        verbose_name = _("矛盾纠纷案件")
        verbose_name_plural = _("矛盾纠纷案件")
        ordering = ["-created_at", "-pk"]
        permissions = [("view_case_file", _("查阅案件卷宗"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["intake", "cancelled"]) | Q(owner__isnull=False),
                name="dispute_case_owner_after_intake",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["intake", "mediating", "cancelled"])
                | (~Q(outcome="") & Q(outcome_at__isnull=False, followup_due_at__isnull=False)),
                name="dispute_case_outcome_recorded",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="referred") | ~Q(referred_to_kind=""),
                name="dispute_case_referral_has_target",
            ),
        ]
        indexes = [models.Index(fields=["community", "status", "-created_at"])]

    def __str__(self):
        return _("纠纷 #%(pk)s") % {"pk": self.pk}

    @property
    def days_to_resolve(self):
        if self.outcome_at is None:
            return None
        return (self.outcome_at - self.created_at).days


VIA_CASE = ScopePaths(
    district="case__community__street__district",
    street="case__community__street",
    community="case__community",
    grid="case__grid",
)


class DisputeParty(models.Model):
    """A party 当事人: a resident by their record, or an organisation by name and kind."""

    class OrgKind(models.TextChoices):
        PROPERTY_COMPANY = "property_company", _("物业公司")
        OWNERS_COMMITTEE = "owners_committee", _("业委会")
        ENTERPRISE = "enterprise", _("企业")
        OTHER = "other", _("其他组织")

    case = models.ForeignKey(
        DisputeCase, models.CASCADE, related_name="parties", verbose_name=_("案件")
    )
    resident = models.ForeignKey(
        "residents.Resident",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="dispute_parties",
        verbose_name=_("居民"),
    )
    org_name = models.CharField(_("组织名称"), max_length=100, blank=True)
    org_kind = models.CharField(_("组织类型"), max_length=20, choices=OrgKind.choices, blank=True)
    note = models.CharField(_("诉求"), max_length=200, blank=True)

    scope_paths = VIA_CASE

    class Meta:
        verbose_name = _("当事人")
        verbose_name_plural = _("当事人")
        ordering = ["case", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resident__isnull=False, org_name="", org_kind="")
                | (Q(resident__isnull=True) & ~Q(org_name="") & ~Q(org_kind="")),
                name="dispute_party_resident_xor_org",
            ),
            models.UniqueConstraint(
                fields=["case", "resident"],
                condition=Q(resident__isnull=False),
                name="dispute_party_resident_once",
            ),
        ]

    def __str__(self):
        return self.org_name or str(self.resident)

    @property
    def name(self):
        return self.org_name or (self.resident.name if self.resident_id else "")


class DisputeMediator(models.Model):
    """A mediator: a user with an account (who then may read the case) or a free-text name."""

    class Role(models.TextChoices):
        MEDIATOR = "mediator", _("人民调解员")
        LEGAL_OFFICER = "legal_officer", _("法治专员")
        HELPER = "helper", _("协助人员")

    case = models.ForeignKey(
        DisputeCase, models.CASCADE, related_name="mediators", verbose_name=_("案件")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="dispute_mediations",
        verbose_name=_("账号"),
    )
    name = models.CharField(_("姓名"), max_length=32)
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices)

    scope_paths = VIA_CASE

    class Meta:
        verbose_name = _("调解人员")
        verbose_name_plural = _("调解人员")
        ordering = ["case", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "user"],
                condition=Q(user__isnull=False),
                name="dispute_mediator_user_once",
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.get_role_display()}）"


class DisputeSession(models.Model):
    """One mediation session 调解: when, where, who attended, what was said."""

    case = models.ForeignKey(
        DisputeCase, models.CASCADE, related_name="sessions", verbose_name=_("案件")
    )
    held_on = models.DateField(_("调解日期"))
    place = models.CharField(_("地点"), max_length=100)
    attendance = models.CharField(_("参加人员"), max_length=300)
    notes = models.TextField(_("调解记录"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("记录人"),
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    scope_paths = VIA_CASE

    class Meta:
        verbose_name = _("调解记录")
        verbose_name_plural = _("调解记录")
        ordering = ["case", "held_on", "pk"]

    def __str__(self):
        return f"{self.held_on} · {self.place}"


class DisputeCaseEvent(TimelineEvent):
    """A case's history: every row internal (is_public=False); case files are not public."""

    case = models.ForeignKey(
        DisputeCase, models.CASCADE, related_name="events", verbose_name=_("案件")
    )

    scope_paths = VIA_CASE

    class Meta(TimelineEvent.Meta):
        verbose_name = _("案件动态")
        verbose_name_plural = _("案件动态")
        indexes = [models.Index(fields=["case", "at"])]


class DisputeAccessLog(models.Model):
    """Every read of a case file (detail, admin page, agreement download, export). Append-only;
    street admins read it."""

    class Action(models.TextChoices):
        VIEW = "view", _("查看案件")
        DOWNLOAD = "download", _("下载协议书")
        EXPORT = "export", _("导出")

    class Channel(models.TextChoices):
        ADMIN = "admin", _("管理后台")
        API = "api", _("接口")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("查阅人")
    )
    # SET_NULL: deleting a case must not erase who had read it.
    case = models.ForeignKey(
        DisputeCase,
        models.SET_NULL,
        null=True,
        related_name="access_logs",
        verbose_name=_("案件"),
    )
    case_number = models.PositiveIntegerField(_("案件编号"))
    community = models.ForeignKey(
        "grids.Community", models.PROTECT, related_name="+", verbose_name=_("居民区")
    )
    action = models.CharField(_("操作"), max_length=16, choices=Action.choices)
    channel = models.CharField(_("途径"), max_length=8, choices=Channel.choices)
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    scope_paths = COMMUNITY_PATHS

    class Meta:
        verbose_name = _("案件查阅记录")
        verbose_name_plural = _("案件查阅记录")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.user} {self.get_action_display()} #{self.case_number}"
