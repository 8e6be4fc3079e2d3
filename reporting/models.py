"""Reporting upward 上报事项: a street's yearly lists for the level above.

Two kinds of list per street and year: the party committee's 民主生活会前期意见征集报告 and the
government's 年度政府实事项目. Street staff mark topics and grid events that exceed what a
community can do; each item's status on the list is tracked (a stamped event row per move).

    UpwardReport:  draft ──submit──▶ submitted ──close──▶ closed
    ReportItem:    proposed ─▶ accepted ─▶ in_progress ─▶ done
                        └────▶ not_accepted (reason)
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from core.scope import ScopePaths
from core.timeline import TimelineEvent


class UpwardReport(TimeStampedModel):
    class Kind(models.TextChoices):
        OPINION_REPORT = "opinion_report", _("民主生活会前期意见征集报告")  # to the party committee
        PRACTICAL_PROJECTS = "practical_projects", _("年度政府实事项目")  # to the district

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")  # items are being marked and unmarked
        SUBMITTED = "submitted", _("已报送")  # sent up; items' status is tracked from here
        CLOSED = "closed", _("已结束")  # the year's list is finished; nothing changes

    street = models.ForeignKey(
        "grids.Street", models.PROTECT, related_name="upward_reports", verbose_name=_("街道")
    )
    kind = models.CharField(_("类型"), max_length=24, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("标题"), max_length=100)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("创建人"),
    )
    submitted_at = models.DateTimeField(
        _("报送时间"), null=True, blank=True, help_text=_("报送区委/区政府的时间")
    )
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    scope_paths = ScopePaths(district="street__district", street="street")

    class Meta:
        verbose_name = _("上报清单")
        verbose_name_plural = _("上报清单")
        ordering = ["-year", "kind", "street"]
        constraints = [
            models.UniqueConstraint(
                fields=["street", "kind", "year"], name="upward_report_one_per_street_kind_year"
            )
        ]

    def __str__(self):
        return self.title


class ReportItem(TimeStampedModel):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("已列入")  # on the list as sent up
        ACCEPTED = "accepted", _("已采纳")  # the district / committee took it on
        NOT_ACCEPTED = "not_accepted", _("未采纳")  # refused, with the reason given
        IN_PROGRESS = "in_progress", _("实施中")  # work has started
        DONE = "done", _("已完成")  # finished, with a result note

    report = models.ForeignKey(
        UpwardReport, models.CASCADE, related_name="items", verbose_name=_("上报清单")
    )
    topic = models.ForeignKey(
        "proposals.Topic",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="report_items",
        verbose_name=_("议题"),
    )
    grid_event = models.ForeignKey(
        "cases.GridEvent",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="report_items",
        verbose_name=_("网格事件"),
    )
    # Copied from the subject when marked, so scope and grouping need no join through it.
    community = models.ForeignKey(
        "grids.Community", models.PROTECT, related_name="report_items", verbose_name=_("居民区")
    )
    summary = models.TextField(
        _("摘要"), max_length=1000, help_text=_("写入报告的事项摘要（不含居民姓名、电话）")
    )
    beyond_reason = models.TextField(
        _("超出社区能力的原因"),
        max_length=1000,
        help_text=_("为什么居民区自身无法解决，需要区里或区委推动"),
    )
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=Status.choices,
        default=Status.PROPOSED,
        db_index=True,
    )
    status_reason = models.CharField(
        _("未采纳原因"), max_length=200, blank=True, help_text=_("未采纳时必填")
    )
    result_note = models.CharField(
        _("进展/结果"), max_length=500, blank=True, help_text=_("实施进展或完成结果说明")
    )
    position = models.PositiveIntegerField(_("序号"), default=0)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("列入人"),
    )
    marked_at = models.DateTimeField(_("列入时间"))
    status_changed_at = models.DateTimeField(_("状态变更时间"))

    scope_paths = ScopePaths(
        district="community__street__district", street="community__street", community="community"
    )

    class Meta:
        verbose_name = _("上报事项")
        verbose_name_plural = _("上报事项")
        ordering = ["report", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(topic__isnull=False, grid_event__isnull=True)
                    | Q(topic__isnull=True, grid_event__isnull=False)
                ),
                name="report_item_exactly_one_subject",
            ),
            models.UniqueConstraint(
                fields=["report", "topic"],
                condition=Q(topic__isnull=False),
                name="report_item_topic_once",
            ),
            models.UniqueConstraint(
                fields=["report", "grid_event"],
                condition=Q(grid_event__isnull=False),
                name="report_item_event_once",
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.summary[:30]}"

    @property
    def source(self):
        return "topic" if self.topic_id else "grid_event"

    @property
    def source_display(self):
        return _("议题") if self.topic_id else _("网格事件")

    @property
    def number(self):
        return f"T{self.topic_id}" if self.topic_id else f"E{self.grid_event_id}"


class ReportItemEvent(TimelineEvent):
    """Each status move of an item, stamped (internal: never shown to residents)."""

    item = models.ForeignKey(
        ReportItem, models.CASCADE, related_name="events", verbose_name=_("上报事项")
    )

    class Meta(TimelineEvent.Meta):
        verbose_name = _("上报事项记录")
        verbose_name_plural = _("上报事项记录")
