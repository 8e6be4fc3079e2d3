"""Grid events 网格事件: a problem found in a grid (on patrol, on a visit, from a topic, or
directly) sent to a department with a deadline, handled, checked on the spot and closed.

States and the legal moves (cases.services.events.TRANSITIONS is the one table):

    filed ──dispatch──▶ dispatched ──accept──▶ accepted ──handle──▶ handled ──check-pass──▶ closed
      │                     │                     ▲                    │
      │                     └──return(reason)──▶ returned              └──check-fail──┘ (reopened)
      │                                           │  └──dispatch (again)──▶ dispatched
      └──cancel(reason)──▶ cancelled ◀──cancel────┘
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from core.scope import ScopePaths
from core.timeline import TimelineEvent
from grids.validators import validate_photo

from .departments import Department, EventCategory


class GridEventQuerySet(models.QuerySet):
    def with_department_open(self):
        """Waiting on a department: dispatched but not accepted, or accepted and not handled."""
        return self.filter(state__in=GridEvent.DEPARTMENT_STATES)

    def overdue(self, *, now):
        """Past the handling deadline and still with the department (derived from the stored
        deadline, never a flag)."""
        return self.with_department_open().filter(due_at__lte=now)

    def due_first(self):
        """The inbox order: the soonest deadline first, events without one after."""
        return self.order_by(models.F("due_at").asc(nulls_last=True), "-filed_at", "-pk")


class GridEvent(TimeStampedModel):
    class State(models.TextChoices):
        FILED = "filed", _("已上报")  # found and recorded by the grid side, not yet sent out
        DISPATCHED = "dispatched", _("已派单")  # sent to a department; its deadline runs
        ACCEPTED = "accepted", _("处置中")  # the department took it on (or it was sent back)
        RETURNED = "returned", _("已退回")  # the department refused it, with a reason
        HANDLED = "handled", _("待核查")  # the department says done, with evidence photos
        CLOSED = "closed", _("已办结")  # the grid worker checked it on the spot 核查
        CANCELLED = "cancelled", _("已撤销")  # withdrawn by the grid side, with a reason

    class Source(models.TextChoices):
        PATROL = "patrol", _("巡查发现")  # a grids PatrolProblem (周周巡)
        VISIT = "visit", _("走访发现")  # a grids VisitRecord
        TOPIC = "topic", _("居民议题")  # a proposals Topic that needs a department
        DIRECT = "direct", _("直接上报")

    DEPARTMENT_STATES = ("dispatched", "accepted")

    community = models.ForeignKey(
        "grids.Community", models.PROTECT, related_name="grid_events", verbose_name=_("居民区")
    )
    grid = models.ForeignKey(
        "grids.MicroGrid", models.PROTECT, related_name="grid_events", verbose_name=_("微网格")
    )
    building = models.ForeignKey(
        "grids.Building",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="grid_events",
        verbose_name=_("楼组"),
    )
    category = models.ForeignKey(
        EventCategory, models.PROTECT, related_name="events", verbose_name=_("类别")
    )
    description = models.TextField(_("事件描述"), max_length=2000)
    location = models.CharField(_("位置"), max_length=100, blank=True)
    source = models.CharField(
        _("来源"), max_length=16, choices=Source.choices, default=Source.DIRECT
    )
    patrol_problem = models.ForeignKey(
        "grids.PatrolProblem",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="grid_events",
        verbose_name=_("巡查发现问题"),
    )
    visit = models.ForeignKey(
        "grids.VisitRecord",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="grid_events",
        verbose_name=_("走访记录"),
    )
    topic = models.ForeignKey(
        "proposals.Topic",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="grid_events",
        verbose_name=_("议题"),
        help_text=_("议题的公开动态会显示本事件的公开进展"),
    )
    state = models.CharField(
        _("状态"), max_length=16, choices=State.choices, default=State.FILED, db_index=True
    )
    filed_at = models.DateTimeField(_("上报时间"), db_index=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("上报人")
    )
    department = models.ForeignKey(
        Department,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("处置部门"),
    )
    dispatched_at = models.DateTimeField(_("派单时间"), null=True, blank=True)
    # Stored once at dispatch (dispatched_at + the category's hours), so a later change of the
    # category's deadline does not move the promise already made.
    due_at = models.DateTimeField(_("处置时限"), null=True, blank=True, db_index=True)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    returned_at = models.DateTimeField(_("退回时间"), null=True, blank=True)
    return_reason = models.CharField(_("退回原因"), max_length=200, blank=True)
    returned_count = models.PositiveSmallIntegerField(_("退回次数"), default=0)
    handled_at = models.DateTimeField(_("处置完成时间"), null=True, blank=True)
    handled_note = models.TextField(_("处置情况"), max_length=2000, blank=True)
    # Stored once at the (last) handling: whether it came before the deadline.
    handled_on_time = models.BooleanField(_("按时处置"), null=True, editable=False)
    checked_at = models.DateTimeField(_("核查时间"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("核查人"),
    )
    reopened_count = models.PositiveSmallIntegerField(
        _("核查不通过次数"), default=0, help_text=_("核查不通过、发回重新处置的次数")
    )
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    # Stored once at closing: closed in the same Asia/Shanghai ISO week as filed (周周清).
    cleared_within_week = models.BooleanField(_("周内办结"), null=True, editable=False)
    cancelled_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    cancel_reason = models.CharField(_("撤销原因"), max_length=200, blank=True)

    scope_paths = ScopePaths(
        district="community__street__district",
        street="community__street",
        community="community",
        grid="grid",
    )
    objects = GridEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("网格事件")
        verbose_name_plural = _("网格事件")
        ordering = ["-filed_at", "-pk"]
        indexes = [
            models.Index(fields=["department", "state", "due_at"]),
            models.Index(fields=["community", "filed_at"]),
            models.Index(fields=["grid", "filed_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="grid_event_dispatched_has_department",
                condition=~Q(state__in=["dispatched", "accepted", "handled", "returned"])
                | Q(department__isnull=False, due_at__isnull=False),
            ),
        ]

    def __str__(self):
        return _("事件 #%(id)s %(category)s") % {"id": self.pk, "category": self.category}

    def is_overdue(self, now: datetime.datetime) -> bool:
        return (
            self.state in self.DEPARTMENT_STATES and self.due_at is not None and self.due_at <= now
        )


class EventPhoto(models.Model):
    """Evidence: the photos taken when the event was filed and when it was handled."""

    class Stage(models.TextChoices):
        FILED = "filed", _("上报时")
        HANDLED = "handled", _("处置后")

    event = models.ForeignKey(
        GridEvent, models.CASCADE, related_name="photos", verbose_name=_("网格事件")
    )
    stage = models.CharField(_("阶段"), max_length=16, choices=Stage.choices)
    file = models.FileField(
        _("照片"),
        upload_to="grid-events/%Y/%m/",
        validators=[validate_photo],
        help_text=_("JPG、PNG、GIF 或 WEBP，不超过 8 MB"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("事件照片")
        verbose_name_plural = _("事件照片")
        ordering = ["pk"]

    def __str__(self):
        return self.file.name


class GridEventStep(TimelineEvent):
    """One line of an event's timeline (is_public=False: between the grid and the department)."""

    event = models.ForeignKey(
        GridEvent, models.CASCADE, related_name="steps", verbose_name=_("网格事件")
    )

    class Meta(TimelineEvent.Meta):
        verbose_name = _("事件进展")
        verbose_name_plural = _("事件进展")
        indexes = [models.Index(fields=["event", "at"])]
