"""Grid work: the "four ones" 四个一 (visits, the diary, paired households, practical deeds) and
the weekly patrol 周周巡 with its problems, cleared in the week 周周清 or routed onwards."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from core.validators import validate_phone
from grids.validators import validate_photo

from .org import MicroGrid
from .people import GRID_WORK_PATHS


class VisitRecord(TimeStampedModel):
    """走访记录: one home (or shop) visit. The weekly visit round is done for a grid when the
    grid has at least one visit in that ISO week."""

    grid = models.ForeignKey(
        MicroGrid, models.PROTECT, related_name="visits", verbose_name=_("微网格")
    )
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="grid_visits",
        verbose_name=_("走访人"),
    )
    visited_on = models.DateField(_("走访日期"), db_index=True)
    household = models.ForeignKey(
        "residents.Household",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("走访户"),
        help_text=_("走访居民户时选择；走访商铺、单位等可不填"),
    )
    visitee = models.CharField(
        _("走访对象"), max_length=100, blank=True, help_text=_("如“王阿姨”“××便利店”")
    )
    summary = models.TextField(_("走访情况"))
    needs_found = models.TextField(
        _("发现的需求或问题"), blank=True, help_text=_("需要跟进的事项，如“独居老人需助餐服务”")
    )

    scope_paths = GRID_WORK_PATHS

    class Meta:
        verbose_name = _("走访记录")
        verbose_name_plural = _("走访记录")
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["grid", "visited_on"])]

    def __str__(self):
        return f"{self.visited_on} {self.grid} {self.visitee or self.household or ''}".strip()


class DiaryEntry(TimeStampedModel):
    """民情日记: what a grid leader heard and saw in their grid that day."""

    grid = models.ForeignKey(
        MicroGrid, models.PROTECT, related_name="diary_entries", verbose_name=_("微网格")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="grid_diary_entries",
        verbose_name=_("记录人"),
    )
    written_on = models.DateField(_("日期"), db_index=True)
    content = models.TextField(_("民情内容"))

    scope_paths = GRID_WORK_PATHS

    class Meta:
        verbose_name = _("民情日记")
        verbose_name_plural = _("民情日记")
        ordering = ["-written_on", "-id"]

    def __str__(self):
        return f"{self.written_on} {self.author}"


class Pairing(TimeStampedModel):
    """结对: a helper (a grid leader, party member or volunteer) paired with one household."""

    grid = models.ForeignKey(
        MicroGrid, models.PROTECT, related_name="pairings", verbose_name=_("微网格")
    )
    helper_name = models.CharField(_("结对人"), max_length=32)
    helper_phone = models.CharField(
        _("结对人电话"), max_length=20, blank=True, validators=[validate_phone]
    )
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("结对人账号"),
        help_text=_("结对人有门户账号时可关联"),
    )
    household = models.ForeignKey(
        "residents.Household", models.PROTECT, related_name="pairings", verbose_name=_("结对户")
    )
    since = models.DateField(_("结对开始"))
    until = models.DateField(_("结对结束"), null=True, blank=True, help_text=_("留空表示仍在结对"))
    notes = models.TextField(_("结对说明"), blank=True, help_text=_("结对原因、帮扶内容等"))

    scope_paths = GRID_WORK_PATHS

    class Meta:
        verbose_name = _("结对帮扶")
        verbose_name_plural = _("结对帮扶")
        ordering = ["-since", "-id"]
        constraints = [
            models.CheckConstraint(
                name="pairing_ends_after_start",
                condition=Q(until__isnull=True) | Q(until__gte=models.F("since")),
            )
        ]

    def __str__(self):
        return f"{self.helper_name} ↔ {self.household}"


class PracticalDeed(TimeStampedModel):
    """为民实事: a practical thing done for residents of the grid."""

    grid = models.ForeignKey(
        MicroGrid, models.PROTECT, related_name="deeds", verbose_name=_("微网格")
    )
    title = models.CharField(_("实事名称"), max_length=100)
    description = models.TextField(_("具体内容"))
    done_on = models.DateField(_("完成日期"), db_index=True)
    beneficiaries = models.CharField(
        _("受益对象"), max_length=200, blank=True, help_text=_("如“3号楼全体居民”“独居老人10人”")
    )
    beneficiary_count = models.PositiveIntegerField(_("受益人数"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("记录人")
    )

    scope_paths = GRID_WORK_PATHS

    class Meta:
        verbose_name = _("为民实事")
        verbose_name_plural = _("为民实事")
        ordering = ["-done_on", "-id"]

    def __str__(self):
        return self.title


class PatrolRecord(TimeStampedModel):
    """周周巡: one patrol of the grid, with the problems found on it."""

    grid = models.ForeignKey(
        MicroGrid, models.PROTECT, related_name="patrols", verbose_name=_("微网格")
    )
    patroller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="grid_patrols",
        verbose_name=_("巡查人"),
    )
    patrolled_on = models.DateField(_("巡查日期"), db_index=True)
    route = models.CharField(
        _("巡查路线"), max_length=200, blank=True, help_text=_("如“1号楼—小区北门—菜场”")
    )
    notes = models.TextField(_("巡查情况"), blank=True)

    scope_paths = GRID_WORK_PATHS

    class Meta:
        verbose_name = _("巡查记录(周周巡)")
        verbose_name_plural = _("巡查记录(周周巡)")
        ordering = ["-patrolled_on", "-id"]

    def __str__(self):
        return f"{self.patrolled_on} {self.grid}"


class PatrolProblemQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=PatrolProblem.Status.OPEN)


class PatrolProblem(TimeStampedModel):
    """A problem found on a patrol, with a photo as evidence. It is cleared by the grid (周周清:
    in the week it was found) or routed to the department responsible."""

    class Status(models.TextChoices):
        OPEN = "open", _("待处理")  # found, nobody has acted yet
        CLEARED = "cleared", _("已清除")  # solved by the grid itself
        ROUTED = "routed", _("已转派")  # beyond the grid: sent to a department

    patrol = models.ForeignKey(
        PatrolRecord, models.CASCADE, related_name="problems", verbose_name=_("巡查记录")
    )
    # Always the patrol's grid; copied by the service so scope filters need no extra join.
    grid = models.ForeignKey(
        MicroGrid,
        models.PROTECT,
        related_name="patrol_problems",
        verbose_name=_("微网格"),
        editable=False,
    )
    description = models.TextField(_("问题描述"))
    location = models.CharField(_("位置"), max_length=100, blank=True)
    photo = models.FileField(
        _("现场照片"),
        upload_to="patrol-problems/%Y/%m/",
        blank=True,
        validators=[validate_photo],
        help_text=_("JPG、PNG、GIF 或 WEBP，不超过 8 MB"),
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    cleared_at = models.DateTimeField(_("清除时间"), null=True, blank=True)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("清除人"),
    )
    clearance_note = models.CharField(_("处理情况"), max_length=200, blank=True)
    # Stored once when cleared: whether it met 周周清 (same ISO week as the patrol).
    cleared_within_week = models.BooleanField(_("周内清除"), null=True, editable=False)
    department = models.CharField(
        _("转派部门"), max_length=100, blank=True, help_text=_("如“城管中队”“物业公司”“供水公司”")
    )
    routed_at = models.DateTimeField(_("转派时间"), null=True, blank=True)
    routed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("转派人"),
    )
    route_note = models.CharField(_("转派说明"), max_length=200, blank=True)

    scope_paths = GRID_WORK_PATHS
    objects = PatrolProblemQuerySet.as_manager()

    class Meta:
        verbose_name = _("巡查发现问题")
        verbose_name_plural = _("巡查发现问题")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                name="patrol_problem_status_stamps",
                condition=(
                    Q(status="open", cleared_at__isnull=True, routed_at__isnull=True)
                    | Q(status="cleared", cleared_at__isnull=False, routed_at__isnull=True)
                    | (
                        Q(status="routed", routed_at__isnull=False, cleared_at__isnull=True)
                        & ~Q(department="")
                    )
                ),
            )
        ]

    def __str__(self):
        return self.description[:30]


def iso_week_monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


class WeeklyVisitRound(MicroGrid):
    """A view of the micro-grids for the admin page 每周走访完成情况 (no table of its own)."""

    class Meta:
        proxy = True
        verbose_name = _("每周走访完成情况")
        verbose_name_plural = _("每周走访完成情况")
