"""Where disputes are found: sweeps 排查 per micro-grid (recorded even when nothing is found),
the reception roster 接访 of a community, and the street's follow-up setting."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from core.scope import ScopePaths

COMMUNITY_PATHS = ScopePaths(
    district="community__street__district", street="community__street", community="community"
)
DEFAULT_FOLLOWUP_DAYS = 15


class DisputeSetting(models.Model):
    """A street's own numbers for dispute work (one row per street; none means the defaults)."""

    street = models.OneToOneField(
        "grids.Street", models.CASCADE, related_name="dispute_setting", verbose_name=_("街道")
    )
    followup_days = models.PositiveSmallIntegerField(
        _("回访期限（天）"),
        default=DEFAULT_FOLLOWUP_DAYS,
        help_text=_("调解结果登记后多少天内须回访当事人；默认 15 天"),
    )

    scope_paths = ScopePaths(district="street__district", street="street")

    class Meta:
        verbose_name = _("矛盾纠纷设置")
        verbose_name_plural = _("矛盾纠纷设置")
        constraints = [
            models.CheckConstraint(
                condition=Q(followup_days__gte=1, followup_days__lte=180),
                name="dispute_setting_followup_days_range",
            )
        ]

    def __str__(self):
        return str(self.street)


class DisputeSweep(TimeStampedModel):
    """One scheduled sweep 矛盾纠纷排查 of a micro-grid on a day: how many disputes were found
    (0: nothing found, still recorded: the sweep itself is the work being counted)."""

    community = models.ForeignKey(
        "grids.Community", models.PROTECT, related_name="dispute_sweeps", verbose_name=_("居民区")
    )
    grid = models.ForeignKey(
        "grids.MicroGrid", models.PROTECT, related_name="dispute_sweeps", verbose_name=_("微网格")
    )
    swept_on = models.DateField(_("排查日期"), db_index=True)
    swept_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("排查人"),
    )
    found_count = models.PositiveSmallIntegerField(
        _("发现矛盾数"), default=0, help_text=_("0 表示本次排查未发现矛盾纠纷")
    )
    note = models.CharField(_("排查情况"), max_length=300, blank=True)

    scope_paths = ScopePaths(
        district="community__street__district",
        street="community__street",
        community="community",
        grid="grid",
    )

    class Meta:
        verbose_name = _("矛盾纠纷排查")
        verbose_name_plural = _("矛盾纠纷排查")
        ordering = ["-swept_on", "-pk"]
        indexes = [models.Index(fields=["community", "-swept_on"])]

    def __str__(self):
        return f"{self.grid} · {self.swept_on}"


class ReceptionDay(TimeStampedModel):
    """The reception roster 接访排班: who receives residents in a community, on which day and
    time slot."""

    community = models.ForeignKey(
        "grids.Community",
        models.PROTECT,
        related_name="dispute_reception_days",
        verbose_name=_("居民区"),
    )
    day = models.DateField(_("接访日期"), db_index=True)
    time_slot = models.CharField(_("时段"), max_length=32, help_text=_("如 9:00-11:30"))
    place = models.CharField(_("接访地点"), max_length=100, blank=True)
    receivers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("接访人员")
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)

    scope_paths = COMMUNITY_PATHS

    class Meta:
        verbose_name = _("接访排班")
        verbose_name_plural = _("接访排班")
        ordering = ["-day", "time_slot", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "day", "time_slot"], name="reception_day_unique_slot"
            )
        ]

    def __str__(self):
        return f"{self.community} · {self.day} {self.time_slot}"


class ReceptionRecord(TimeStampedModel):
    """One resident received at a reception slot: who came and about what (personal data, like
    a case file). A dispute opened from it names the slot as its source."""

    reception = models.ForeignKey(
        ReceptionDay, models.PROTECT, related_name="records", verbose_name=_("接访")
    )
    resident = models.ForeignKey(
        "residents.Resident",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="dispute_receptions",
        verbose_name=_("居民"),
        help_text=_("本居民区居民可选择其档案；否则填写来访人"),
    )
    visitor = models.CharField(_("来访人"), max_length=32, blank=True)
    matter = models.TextField(_("反映事项"))
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("接待人"),
    )

    scope_paths = ScopePaths(
        district="reception__community__street__district",
        street="reception__community__street",
        community="reception__community",
    )

    class Meta:
        verbose_name = _("接访记录")
        verbose_name_plural = _("接访记录")
        ordering = ["reception", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resident__isnull=False) | ~Q(visitor=""),
                name="reception_record_names_the_visitor",
            )
        ]

    def __str__(self):
        return f"{self.reception} · {self.visitor or self.resident}"
