"""Notices 公告 of a street or a community, addressed to one unit, with their photos and
attachments, who read them and who acknowledged them (已知晓)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.scope import ScopePaths
from core.timeline import TimelineEvent

from .common import TARGET_MATCHES_AUDIENCE, Audience, BoardItem, user_field


class NoticeQuerySet(models.QuerySet):
    """Expiry and scheduling are derived from the stored times, never from a flag a job flips."""

    def published(self):
        return self.filter(status=Notice.Status.PUBLISHED)

    def live(self, *, now=None):
        """Published, its publish time reached, not expired: what residents see."""
        now = now or timezone.now()
        return self.published().filter(
            Q(publish_at__lte=now), Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )

    def scheduled(self, *, now=None):
        return self.published().filter(publish_at__gt=now or timezone.now())

    def expired(self, *, now=None):
        return self.published().filter(expires_at__lte=now or timezone.now())


class Notice(BoardItem):
    """公告: from the street (street admins) or a community (its workers), to one unit."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")  # being written; only its authors see it
        PUBLISHED = "published", _("已发布")  # visible from publish_at until expires_at
        WITHDRAWN = "withdrawn", _("已撤回")  # taken down, with a public reason

    class Phase(models.TextChoices):
        """What a reader sees now: the status with the times applied (never stored)."""

        DRAFT = "draft", _("草稿")
        SCHEDULED = "scheduled", _("待发布")
        LIVE = "live", _("公告中")
        EXPIRED = "expired", _("已过期")
        WITHDRAWN = "withdrawn", _("已撤回")

    audience = models.CharField(_("发布范围"), max_length=16, choices=Audience.choices)
    # The street is always set (who may see and manage a street-wide notice follows it);
    # the community for every narrower audience.
    street = models.ForeignKey(
        "grids.Street", models.PROTECT, related_name="notices", verbose_name=_("街道")
    )
    community = models.ForeignKey(
        "grids.Community",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="notices",
        verbose_name=_("居民区"),
    )
    compound = models.ForeignKey(
        "grids.Compound",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="notices",
        verbose_name=_("小区"),
    )
    building = models.ForeignKey(
        "grids.Building",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="notices",
        verbose_name=_("楼组"),
    )
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(
        _("正文"), help_text=_("可用简单排版（段落、加粗、列表、链接）；脚本和样式会被清除")
    )
    pinned = models.BooleanField(_("置顶"), default=False)
    requires_ack = models.BooleanField(
        _("需居民确认“已知晓”"),
        default=False,
        help_text=_("如停水停电、消防检查通知；工作人员可查看尚未确认的居民"),
    )
    publish_at = models.DateTimeField(
        _("发布时间"), null=True, blank=True, help_text=_("留空则在点击发布时立即发布")
    )
    expires_at = models.DateTimeField(
        _("过期时间"), null=True, blank=True, help_text=_("留空则长期有效")
    )
    # Its audit words: "操作发布时间" is when the button was pressed (publish_at may be later).
    published_at = models.DateTimeField(_("操作发布时间"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawn_by = user_field(_("撤回人"))
    withdraw_reason = models.CharField(_("撤回原因"), max_length=200, blank=True)
    # Inbox delivery to the residents addressed, in batches (board.tasks): the last account
    # id notified so far, and when the last batch went out. Advanced in the same transaction
    # as each batch's inbox rows, so a retried or doubled task never notifies anyone twice.
    notify_cursor = models.BigIntegerField(_("通知进度"), default=0, editable=False)
    notified_at = models.DateTimeField(_("通知完成时间"), null=True, blank=True, editable=False)

    objects = NoticeQuerySet.as_manager()
    # District path for the demo reset; reads go through board.scope (a street-wide notice
    # has no community, which the community path alone would hide).
    scope_paths = ScopePaths(district="street__district", street="street", community="community")

    class Meta:
        verbose_name = _("公告")
        verbose_name_plural = _("公告")
        ordering = ["-pinned", "-publish_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=TARGET_MATCHES_AUDIENCE, name="notice_target_matches_audience"
            ),
            models.CheckConstraint(
                condition=Q(expires_at__isnull=True)
                | Q(publish_at__isnull=True)
                | Q(expires_at__gt=models.F("publish_at")),
                name="notice_expires_after_publish",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(publish_at__isnull=False),
                name="notice_published_has_publish_at",
            ),
        ]
        indexes = [
            models.Index(fields=["street", "status", "-publish_at"]),
            models.Index(fields=["community", "status", "-publish_at"]),
            # The sweep of scheduled notices whose residents are not yet notified.
            models.Index(
                fields=["publish_at"],
                condition=Q(status="published", notified_at__isnull=True),
                name="notice_to_notify_idx",
            ),
        ]

    def __str__(self):
        return self.title

    def phase(self, now=None):
        now = now or timezone.now()
        if self.status == self.Status.DRAFT:
            return self.Phase.DRAFT
        if self.status == self.Status.WITHDRAWN:
            return self.Phase.WITHDRAWN
        if self.publish_at > now:
            return self.Phase.SCHEDULED
        if self.expires_at is not None and self.expires_at <= now:
            return self.Phase.EXPIRED
        return self.Phase.LIVE


def notice_file_path(instance, filename):
    return f"board/notices/{instance.notice_id}/{filename}"


class NoticeAttachment(models.Model):
    """A photo shown with the notice, or a document to download (a PDF of the full notice)."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("图片")
        FILE = "file", _("附件")

    notice = models.ForeignKey(
        Notice, models.CASCADE, related_name="attachments", verbose_name=_("公告")
    )
    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices)
    file = models.FileField(_("文件"), upload_to=notice_file_path, max_length=200)
    name = models.CharField(_("文件名"), max_length=100)
    size = models.PositiveIntegerField(_("大小(字节)"))
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
        verbose_name = _("公告附件")
        verbose_name_plural = _("公告图片与附件")
        ordering = ["kind", "pk"]

    def __str__(self):
        return self.name


class NoticeRead(models.Model):
    """One row the first time a person opens a notice addressed to them: the read count."""

    notice = models.ForeignKey(Notice, models.CASCADE, related_name="reads", verbose_name=_("公告"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="+", verbose_name=_("阅读人")
    )
    read_at = models.DateTimeField(_("首次阅读时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("公告阅读")
        verbose_name_plural = _("公告阅读")
        constraints = [
            models.UniqueConstraint(fields=["notice", "user"], name="notice_read_once_per_user")
        ]

    def __str__(self):
        return f"{self.user} · {self.notice}"


class NoticeAck(models.Model):
    """已知晓: a resident confirms having taken note of a notice that asks for it. Once."""

    notice = models.ForeignKey(Notice, models.CASCADE, related_name="acks", verbose_name=_("公告"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="+", verbose_name=_("确认人")
    )
    # The resident record at the time (the "not yet acknowledged" list is of residents).
    resident = models.ForeignKey(
        "residents.Resident",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("居民"),
    )
    acked_at = models.DateTimeField(_("确认时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("公告确认")
        verbose_name_plural = _("公告确认")
        constraints = [
            models.UniqueConstraint(fields=["notice", "user"], name="notice_ack_once_per_user")
        ]

    def __str__(self):
        return f"{self.user} · {self.notice}"


class NoticeEvent(TimelineEvent):
    """A notice's public history: published, withdrawn (with the reason)."""

    notice = models.ForeignKey(
        Notice, models.CASCADE, related_name="events", verbose_name=_("公告")
    )

    class Meta(TimelineEvent.Meta):
        verbose_name = _("公告动态")
        verbose_name_plural = _("公告动态")
        indexes = [models.Index(fields=["notice", "at"])]
