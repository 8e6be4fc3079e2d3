"""The topic 议题 itself, its photos and its public timeline."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from core.scope import ScopePaths
from core.timeline import TimelineEvent

from ..validators import validate_photo

TOPIC_PATHS = ScopePaths(
    district="community__street__district",
    street="community__street",
    community="community",
    grid="grid",
)


class TopicQuerySet(models.QuerySet):
    """Deadlines derived from stored timestamps, never from a flag a job flips."""

    def awaiting_response(self):
        return self.filter(state=Topic.State.RAISED, first_responded_at__isnull=True)

    def overdue(self, *, now=None):
        now = now or timezone.now()
        return self.awaiting_response().filter(first_response_due_at__lte=now)

    def due_soon(self, *, now=None):
        """Unanswered, past the reminder time, not yet overdue."""
        now = now or timezone.now()
        return self.awaiting_response().filter(
            first_response_remind_at__lte=now, first_response_due_at__gt=now
        )

    def hands_expired(self, *, now=None):
        now = now or timezone.now()
        return self.filter(state=Topic.State.OPEN_FOR_HANDS, hands_deadline__lte=now)


class Topic(TimeStampedModel):
    """议题: a problem or proposal from a resident, owed a public first response in time."""

    class State(models.TextChoices):
        RAISED = "raised", _("待回应")  # new; the first-response clock runs
        ANSWERED = "answered", _("已回应")  # a worker gave the first public response
        SOLVED = "solved", _("已解决")  # solved directly; the raiser is asked to confirm
        DECLINED = "declined", _("不予采纳")  # closed with a public reason
        MERGED = "merged", _("已合并")  # a duplicate, folded into another topic
        OPEN_FOR_HANDS = "open_for_hands", _("举手中")  # residents raise hands until a deadline
        ADOPTED = "adopted", _("已立项")  # threshold reached or party branch took it on
        LAPSED = "lapsed", _("未达举手数")  # the deadline passed short of the threshold

    class Source(models.TextChoices):
        APP = "app", _("居民手机 app")  # raised by the resident themself
        MESSAGE_BOARD = "message_board", _("留言板")
        SUGGESTION_BOX = "suggestion_box", _("人民意见箱")
        HOME_VISIT = "home_visit", _("上门走访")
        PATROL = "patrol", _("巡查")
        HOTLINE = "hotline", _("热线")

    title = models.CharField(_("标题"), max_length=80)
    body = models.TextField(_("内容"), max_length=4000)
    category = models.ForeignKey(
        "proposals.Category", models.PROTECT, related_name="topics", verbose_name=_("类别")
    )
    community = models.ForeignKey(
        "grids.Community", models.PROTECT, related_name="topics", verbose_name=_("居民区")
    )
    grid = models.ForeignKey(
        "grids.MicroGrid",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="topics",
        verbose_name=_("微网格"),
    )
    building = models.ForeignKey(
        "grids.Building",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="topics",
        verbose_name=_("楼组"),
    )
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices, default=Source.APP)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="topics_raised",
        verbose_name=_("提出人"),
        help_text=_("居民本人在手机上提出时为其账号"),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="topics_entered",
        verbose_name=_("录入人"),
        help_text=_("工作人员代居民录入时为工作人员账号"),
    )
    on_behalf_of = models.ForeignKey(
        "residents.Resident",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="topics",
        verbose_name=_("代为提出的居民"),
    )
    state = models.CharField(
        _("状态"), max_length=16, choices=State.choices, default=State.RAISED, db_index=True
    )

    raised_at = models.DateTimeField(_("提出时间"), default=timezone.now, db_index=True)
    # Stored at raise from the street's policy, so a later policy change never moves a
    # deadline that residents were already promised.
    first_response_due_at = models.DateTimeField(_("首次回应期限"), db_index=True)
    first_response_remind_at = models.DateTimeField(_("到期提醒时间"))
    first_responded_at = models.DateTimeField(_("首次回应时间"), null=True, blank=True)
    # Stored once, when the first response happens: the dashboards' "answered within 4 h".
    responded_on_time = models.BooleanField(_("按时回应"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("超时上报时间"), null=True, blank=True)
    answered_at = models.DateTimeField(_("回应时间"), null=True, blank=True)
    solved_at = models.DateTimeField(_("解决时间"), null=True, blank=True)
    solution_confirmed = models.BooleanField(
        _("提出人确认解决"),
        null=True,
        blank=True,
        help_text=_("空：待确认；是：确认已解决；否：提出人认为未解决"),
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    declined_at = models.DateTimeField(_("不予采纳时间"), null=True, blank=True)
    decline_reason = models.TextField(_("不予采纳理由"), blank=True)
    merged_into = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_topics",
        verbose_name=_("合并到"),
    )
    merged_at = models.DateTimeField(_("合并时间"), null=True, blank=True)
    opened_for_hands_at = models.DateTimeField(_("开放举手时间"), null=True, blank=True)
    hands_deadline = models.DateTimeField(_("举手截止时间"), null=True, blank=True, db_index=True)
    # Copied from the community's (or street's) setting when opened: the bar does not move
    # under residents' feet.
    hands_threshold = models.PositiveIntegerField(_("立项举手数"), null=True, blank=True)
    # Kept by hand_raise / hand_withdraw under this row's lock (see services): the list
    # shows it without a COUNT per row, and adoption checks it inside the same lock.
    hand_count = models.PositiveIntegerField(_("举手数"), default=0)
    party_branch_hand_at = models.DateTimeField(_("党组织举手时间"), null=True, blank=True)
    party_branch_hand_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("党组织举手登记人"),
    )
    adopted_at = models.DateTimeField(_("立项时间"), null=True, blank=True)
    lapsed_at = models.DateTimeField(_("未达举手数时间"), null=True, blank=True)

    objects = TopicQuerySet.as_manager()
    scope_paths = TOPIC_PATHS

    class Meta:
        verbose_name = _("议题")
        verbose_name_plural = _("议题")
        ordering = ["-raised_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hands_threshold__isnull=True) | Q(hands_threshold__gte=1),
                name="topic_hands_threshold_positive",
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("pk")), name="topic_not_merged_into_itself"
            ),
            models.CheckConstraint(
                condition=Q(first_response_due_at__gte=models.F("raised_at")),
                name="topic_due_after_raise",
            ),
        ]
        indexes = [
            models.Index(fields=["community", "state", "-raised_at"]),
            # The clock's scan: unanswered topics by due time.
            models.Index(
                fields=["first_response_due_at"],
                condition=Q(state="raised"),
                name="topic_awaiting_due_idx",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_overdue(self):
        return (
            self.state == self.State.RAISED
            and self.first_responded_at is None
            and self.first_response_due_at <= timezone.now()
        )


def topic_photo_path(instance, filename):
    return f"topics/{instance.topic_id}/{filename}"


class TopicPhoto(models.Model):
    topic = models.ForeignKey(Topic, models.CASCADE, related_name="photos", verbose_name=_("议题"))
    image = models.ImageField(_("图片"), upload_to=topic_photo_path, validators=[validate_photo])
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("上传人"),
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("议题图片")
        verbose_name_plural = _("议题图片")
        ordering = ["pk"]

    def __str__(self):
        return self.image.name


class TopicEvent(TimelineEvent):
    """One line of a topic's public timeline (is_public=False: a worker's internal note)."""

    topic = models.ForeignKey(Topic, models.CASCADE, related_name="events", verbose_name=_("议题"))

    class Meta(TimelineEvent.Meta):
        verbose_name = _("议题动态")
        verbose_name_plural = _("议题动态")
        indexes = [models.Index(fields=["topic", "at"])]
