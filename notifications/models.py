from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One message in one person's inbox. Other channels (email, later SMS/WeChat) deliver a
    copy of the same row; the inbox row is the record that it was sent."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="notifications",
        verbose_name=_("接收人"),
    )
    kind = models.CharField(_("类型"), max_length=48, db_index=True)
    title = models.CharField(_("标题"), max_length=120)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    subject_type = models.CharField(_("对象类型"), max_length=48, blank=True)
    subject_id = models.BigIntegerField(_("对象编号"), null=True, blank=True)
    reminder = models.ForeignKey(
        "Reminder",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("提醒"),
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("消息")
        verbose_name_plural = _("我的消息")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"]),
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_read(self):
        return self.read_at is not None


class Reminder(models.Model):
    """The ledger of reminders: one row per (clock, subject, level), ever.

    The unique constraint is what makes each level go out exactly once, whatever the scheduler
    does: a second sweep, a second worker or a retried task inserts nothing new, and delivery
    claims unsent rows with SELECT … FOR UPDATE SKIP LOCKED and stamps `sent_at` in the same
    transaction as the inbox rows it writes.
    """

    clock = models.CharField(
        _("计时器"), max_length=64, help_text=_("如 proposals.topic.first_response")
    )
    subject_id = models.BigIntegerField(_("对象编号"))
    level = models.CharField(_("级别"), max_length=32)
    due_at = models.DateTimeField(_("应提醒时间"))
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True, db_index=True)
    recipients_count = models.PositiveIntegerField(_("接收人数"), default=0)

    class Meta:
        verbose_name = _("到期提醒")
        verbose_name_plural = _("到期提醒")
        ordering = ["-due_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["clock", "subject_id", "level"], name="reminder_once_per_level"
            )
        ]
        indexes = [
            models.Index(fields=["clock", "level", "subject_id"]),
            models.Index(
                fields=["due_at"], condition=Q(sent_at__isnull=True), name="reminder_unsent_idx"
            ),
        ]

    def __str__(self):
        return f"{self.clock}#{self.subject_id} {self.level}"
