"""选聘: an area's households choose a property company in a board consultation (a poll,
one answer per household); `decide` reads its result and makes the contract."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel

from .common import VIA_AREA, VIA_SELECTION


class PropertySelection(TimeStampedModel):
    class Status(models.TextChoices):
        CONSULTING = "consulting", _("征询中")  # the household poll runs (board consultation)
        DECIDED = "decided", _("已确定")  # the winning company's contract was made
        CANCELLED = "cancelled", _("已取消")  # with a reason (the poll is cancelled too if open)

    area = models.ForeignKey(
        "PropertyArea", models.PROTECT, related_name="selections", verbose_name=_("物业管理区域")
    )
    title = models.CharField(_("标题"), max_length=100)
    companies = models.ManyToManyField(
        "PropertyCompany",
        through="SelectionCandidate",
        related_name="selections",
        verbose_name=_("候选企业"),
    )
    consultation = models.OneToOneField(
        "board.Consultation",
        models.PROTECT,
        related_name="property_selection",
        verbose_name=_("按户征询"),
    )
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=Status.choices,
        default=Status.CONSULTING,
        db_index=True,
    )
    decided_at = models.DateTimeField(_("确定时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("发起人"),
    )

    scope_paths = VIA_AREA

    class Meta:
        verbose_name = _("物业选聘")
        verbose_name_plural = _("物业选聘")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title


class SelectionCandidate(models.Model):
    """A company on the ballot; `position` is its option's position in the poll's question."""

    selection = models.ForeignKey(
        PropertySelection, models.CASCADE, related_name="candidates", verbose_name=_("选聘")
    )
    company = models.ForeignKey(
        "PropertyCompany", models.PROTECT, related_name="+", verbose_name=_("物业服务企业")
    )
    position = models.PositiveSmallIntegerField(_("序号"))

    scope_paths = VIA_SELECTION

    class Meta:
        verbose_name = _("候选企业")
        verbose_name_plural = _("候选企业")
        ordering = ["selection", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["selection", "company"], name="selection_candidate_once"
            ),
            models.UniqueConstraint(
                fields=["selection", "position"], name="selection_candidate_position"
            ),
        ]

    def __str__(self):
        return str(self.company)
