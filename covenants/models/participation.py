"""Residents' part in a covenant: comments in the discussion window (with moderation, shaped
like proposals' comments) and household signatures or votes (one per household per version)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.scope import ScopePaths

from .covenants import VIA_COVENANT, CovenantVersion

VIA_VERSION = ScopePaths(
    district="version__covenant__community__street__district",
    street="version__covenant__community__street",
    community="version__covenant__community",
)


class CovenantComment(models.Model):
    """A public comment on a version in discussion. Hidden comments stay in place, shown as
    hidden with the reason."""

    covenant = models.ForeignKey(
        "Covenant", models.CASCADE, related_name="comments", verbose_name=_("规约")
    )
    version = models.ForeignKey(
        CovenantVersion, models.CASCADE, related_name="comments", verbose_name=_("版本")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="covenant_comments",
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
    # A worker's review (restore) closes the reports made so far.
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    scope_paths = VIA_COVENANT

    class Meta:
        verbose_name = _("规约评论")
        verbose_name_plural = _("规约评论")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["covenant", "created_at"])]

    def __str__(self):
        return self.body[:30]


class CovenantCommentReport(models.Model):
    comment = models.ForeignKey(
        CovenantComment, models.CASCADE, related_name="reports", verbose_name=_("评论")
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="+", verbose_name=_("举报人")
    )
    reason = models.CharField(_("举报理由"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("举报时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("规约评论举报")
        verbose_name_plural = _("规约评论举报")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter"],
                name="covenant_comment_report_once",
                violation_error_message=_("您已举报过这条评论。"),
            )
        ]

    def __str__(self):
        return f"{self.reporter} → {self.comment}"


class Signature(models.Model):
    """One household's signature (签署) or vote (表决) on one version, online by a member or
    entered from paper by a worker. The unique (version, household) is what makes it one per
    household, whatever two phones or a phone and a worker do at the same moment."""

    class Choice(models.TextChoices):
        YES = "yes", _("同意")
        NO = "no", _("反对")  # votes only

    class Channel(models.TextChoices):
        ONLINE = "online", _("线上")
        PAPER = "paper", _("纸质")

    version = models.ForeignKey(
        CovenantVersion, models.CASCADE, related_name="signatures", verbose_name=_("版本")
    )
    household = models.ForeignKey(
        "residents.Household",
        models.PROTECT,
        related_name="covenant_signatures",
        verbose_name=_("户"),
    )
    resident = models.ForeignKey(
        "residents.Resident",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="covenant_signatures",
        verbose_name=_("签署居民"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="covenant_signatures",
        verbose_name=_("账号"),
    )
    choice = models.CharField(_("意见"), max_length=8, choices=Choice.choices, default=Choice.YES)
    channel = models.CharField(_("方式"), max_length=8, choices=Channel.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("录入人"),
        help_text=_("纸质签署由工作人员录入"),
    )
    paper_note = models.CharField(
        _("纸质签署说明"), max_length=100, blank=True, help_text=_("如签署表编号、上门走访")
    )
    signed_at = models.DateTimeField(_("签署时间"), default=timezone.now, db_index=True)

    scope_paths = VIA_VERSION

    class Meta:
        verbose_name = _("签署/表决")
        verbose_name_plural = _("签署/表决")
        ordering = ["version", "signed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "household"],
                name="covenant_signature_one_per_household",
                violation_error_message=_("该户已经签署或表决过。"),
            ),
            models.CheckConstraint(
                condition=Q(channel="online", entered_by__isnull=True)
                | Q(channel="paper", entered_by__isnull=False),
                name="covenant_signature_paper_has_entered_by",
            ),
        ]

    def __str__(self):
        return f"{self.version} · {self.household_id}"
