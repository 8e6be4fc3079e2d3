"""Meetings 会议 of a forum: scheduled → held (minutes, attendance, decisions) or cancelled."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from core.scope import ScopePaths
from core.timeline import TimelineEvent

from .forums import Forum, ForumMember, Represents

VIA_FORUM = ScopePaths(
    district="forum__street__district", street="forum__street", community="forum__community"
)
VIA_MEETING = ScopePaths(
    district="meeting__forum__street__district",
    street="meeting__forum__street",
    community="meeting__forum__community",
)


class MeetingQuerySet(models.QuerySet):
    def held(self):
        return self.filter(status=Meeting.Status.HELD)

    def held_between(self, start, end):
        return self.held().filter(held_at__gte=start, held_at__lt=end)


class Meeting(TimeStampedModel):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("待召开")  # announced to staff; time and place may change
        HELD = "held", _("已召开")  # minutes, attendance and decisions recorded; public
        CANCELLED = "cancelled", _("已取消")  # called off with a reason

    forum = models.ForeignKey(
        Forum, models.PROTECT, related_name="meetings", verbose_name=_("议事平台")
    )
    title = models.CharField(_("会议名称"), max_length=100)
    held_at = models.DateTimeField(
        _("召开时间"), help_text=_("计划时间；记录纪要时改为实际召开时间")
    )
    place = models.CharField(_("地点"), max_length=100)
    agenda = models.TextField(_("议程"), max_length=2000)
    minutes = models.TextField(
        _("会议纪要"), blank=True, help_text=_("简单格式的文本；脚本等内容会被清除")
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.SCHEDULED
    )
    minutes_recorded_at = models.DateTimeField(_("纪要记录时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登记人"),
    )

    objects = MeetingQuerySet.as_manager()
    scope_paths = VIA_FORUM

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["-held_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="scheduled", minutes_recorded_at__isnull=True)
                | Q(status="held", minutes_recorded_at__isnull=False)
                | Q(status="cancelled", cancelled_at__isnull=False),
                name="meeting_state_stamped",
            ),
        ]
        indexes = [models.Index(fields=["forum", "status", "held_at"])]

    def __str__(self):
        return self.title


class Attendance(models.Model):
    """Who sat at the table: members present or absent (one row each, named when recorded) and
    guests. Names are staff-only; residents see the counts."""

    meeting = models.ForeignKey(
        Meeting, models.CASCADE, related_name="attendance", verbose_name=_("会议")
    )
    member = models.ForeignKey(
        ForumMember,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("成员"),
        help_text=_("列席嘉宾为空"),
    )
    name = models.CharField(_("姓名"), max_length=60)
    represents = models.CharField(_("代表方"), max_length=32, choices=Represents.choices)
    present = models.BooleanField(_("出席"), default=True)
    is_guest = models.BooleanField(_("列席嘉宾"), default=False)

    scope_paths = VIA_MEETING

    class Meta:
        verbose_name = _("出席情况")
        verbose_name_plural = _("出席情况")
        ordering = ["meeting", "is_guest", "-present", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member"],
                condition=Q(member__isnull=False),
                name="attendance_once_per_member",
            ),
            models.CheckConstraint(
                condition=Q(is_guest=False) | Q(present=True, member__isnull=True),
                name="attendance_guest_present_not_member",
            ),
        ]

    def __str__(self):
        return self.name


class Decision(TimeStampedModel):
    class FollowUp(models.TextChoices):
        PENDING = "pending", _("待落实")
        IN_PROGRESS = "in_progress", _("落实中")
        DONE = "done", _("已落实")
        DROPPED = "dropped", _("不再落实")  # with a note saying why

    meeting = models.ForeignKey(
        Meeting, models.CASCADE, related_name="decisions", verbose_name=_("会议")
    )
    position = models.PositiveSmallIntegerField(_("序号"))
    text = models.CharField(_("决定事项"), max_length=500)
    topic = models.ForeignKey(
        "proposals.Topic",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="forum_decisions",
        verbose_name=_("关联议题"),
        help_text=_("同一居民区的议题；记录时在议题的公开进展中留痕"),
    )
    follow_up = models.CharField(
        _("落实情况"), max_length=16, choices=FollowUp.choices, default=FollowUp.PENDING
    )
    follow_up_note = models.CharField(_("落实说明"), max_length=200, blank=True)

    scope_paths = VIA_MEETING

    class Meta:
        verbose_name = _("会议决定")
        verbose_name_plural = _("会议决定")
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "position"], name="decision_position_unique"
            ),
        ]

    def __str__(self):
        return self.text[:40]


class MeetingEvent(TimelineEvent):
    meeting = models.ForeignKey(
        Meeting, models.CASCADE, related_name="events", verbose_name=_("会议")
    )

    scope_paths = VIA_MEETING

    class Meta(TimelineEvent.Meta):
        verbose_name = _("会议动态")
        verbose_name_plural = _("会议动态")
