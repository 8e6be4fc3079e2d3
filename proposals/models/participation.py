"""What residents and workers do around a topic: hands, deliberation, comments, follows."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.scope import ScopePaths

from .topics import Topic

VIA_TOPIC = ScopePaths(
    district="topic__community__street__district",
    street="topic__community__street",
    community="topic__community",
    grid="topic__grid",
)


class Hand(models.Model):
    """One resident's raised hand. A withdrawn hand stays on record (withdrawn_at set); the
    conditional unique constraint allows at most one *active* hand per resident and topic."""

    topic = models.ForeignKey(Topic, models.CASCADE, related_name="hands", verbose_name=_("议题"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="topic_hands",
        verbose_name=_("居民"),
    )
    raised_at = models.DateTimeField(_("举手时间"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)

    scope_paths = VIA_TOPIC

    class Meta:
        verbose_name = _("举手")
        verbose_name_plural = _("举手")
        ordering = ["raised_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "user"],
                condition=Q(withdrawn_at__isnull=True),
                name="hand_one_active_per_resident",
                violation_error_message=_("您已为该议题举过手。"),
            )
        ]

    def __str__(self):
        return f"{self.user} → {self.topic}"


class Deliberation(models.Model):
    """A meeting of one of the three rounds 三轮议事, on the topic's timeline."""

    class Round(models.TextChoices):
        BUILDING = "building", _("楼组先议")  # the building group first
        COMPOUND = "compound", _("小区续议")  # the compound next
        COMMITTEES = (
            "committees",
            _("三委再议"),
        )  # party branch, 居委会, 业委会

    topic = models.ForeignKey(
        Topic, models.CASCADE, related_name="deliberations", verbose_name=_("议题")
    )
    round = models.CharField(_("议事轮次"), max_length=16, choices=Round.choices)
    held_on = models.DateField(_("会议日期"))
    place = models.CharField(_("地点"), max_length=100)
    attendance = models.PositiveIntegerField(_("参会人数"))
    attendees = models.TextField(_("参会人员"), blank=True)
    minutes = models.TextField(_("会议纪要"))
    outcome = models.TextField(_("议事结果"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("记录人"),
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    scope_paths = VIA_TOPIC

    class Meta:
        verbose_name = _("议事记录")
        verbose_name_plural = _("议事记录")
        ordering = ["held_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(attendance__gte=1), name="deliberation_attendance_positive"
            )
        ]

    def __str__(self):
        return f"{self.topic} · {self.get_round_display()}"


class Comment(models.Model):
    """A public comment on a topic (or on the project adopted from it: then `project` is set
    too). Hidden comments stay in place, shown as hidden with the reason."""

    topic = models.ForeignKey(
        Topic, models.CASCADE, related_name="comments", verbose_name=_("议题")
    )
    # Set for comments on the project adopted from the topic: one thread of talk per topic,
    # filterable by project.
    project = models.ForeignKey(
        "projects.Project",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("项目"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="topic_comments",
        verbose_name=_("作者"),
    )
    author_label = models.CharField(_("作者身份"), max_length=64, blank=True)
    body = models.TextField(_("内容"), max_length=2000)
    created_at = models.DateTimeField(_("发表时间"), auto_now_add=True, db_index=True)
    hidden = models.BooleanField(_("已隐藏"), default=False)
    auto_hidden = models.BooleanField(
        _("因举报自动隐藏"), default=False, help_text=_("被多位居民举报后自动隐藏，待工作人员审核")
    )
    hidden_reason = models.CharField(_("隐藏理由"), max_length=200, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("隐藏人"),
    )
    hidden_at = models.DateTimeField(_("隐藏时间"), null=True, blank=True)
    # A worker's review (restore) closes the reports made so far: only later reports count
    # towards hiding it again.
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审核人"),
    )

    scope_paths = VIA_TOPIC

    class Meta:
        verbose_name = _("评论")
        verbose_name_plural = _("评论")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["topic", "created_at"])]

    def __str__(self):
        return self.body[:30]


class CommentReport(models.Model):
    comment = models.ForeignKey(
        Comment, models.CASCADE, related_name="reports", verbose_name=_("评论")
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="+", verbose_name=_("举报人")
    )
    reason = models.CharField(_("举报理由"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("举报时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("评论举报")
        verbose_name_plural = _("评论举报")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter"],
                name="comment_report_once",
                violation_error_message=_("您已举报过这条评论。"),
            )
        ]

    def __str__(self):
        return f"{self.reporter} → {self.comment}"


class TopicFollow(models.Model):
    topic = models.ForeignKey(Topic, models.CASCADE, related_name="follows", verbose_name=_("议题"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="topic_follows",
        verbose_name=_("关注人"),
    )
    created_at = models.DateTimeField(_("关注时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("关注")
        verbose_name_plural = _("关注")
        constraints = [models.UniqueConstraint(fields=["topic", "user"], name="topic_follow_once")]

    def __str__(self):
        return f"{self.user} → {self.topic}"
