"""The monthly musts 三必做: each community, each month, holds a moral review 道德评议, a residents'
deliberation 居民议事 and a policy or law talk 政策/法律宣讲. A must is done by recording the
activity that fulfilled it; whether a month was missed is derived (forums.selectors.musts_status),
never a stored flag."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from core.scope import ScopePaths
from grids.models import Community

COMMUNITY_PATHS = ScopePaths(
    district="community__street__district", street="community__street", community="community"
)


class MustKind(models.TextChoices):
    MORAL_REVIEW = "moral_review", _("道德评议")
    DELIBERATION = "deliberation", _("居民议事")
    POLICY_TALK = "policy_talk", _("政策/法律宣讲")


class MustActivity(TimeStampedModel):
    community = models.ForeignKey(
        "grids.Community", models.PROTECT, related_name="must_activities", verbose_name=_("居民区")
    )
    kind = models.CharField(_("类别"), max_length=16, choices=MustKind.choices)
    held_on = models.DateField(_("开展日期"))
    month = models.DateField(
        _("所属月份"), help_text=_("开展日期所在月的第一天，由系统填写"), editable=False
    )
    title = models.CharField(_("活动名称"), max_length=100)
    note = models.TextField(_("情况说明"), blank=True, max_length=2000)
    meeting = models.ForeignKey(
        "forums.Meeting",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="must_activities",
        verbose_name=_("关联会议"),
    )
    activity = models.ForeignKey(
        "volunteers.Activity",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("关联志愿活动"),
    )
    topic = models.ForeignKey(
        "proposals.Topic",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("关联议题"),
        help_text=_("如该议题的议事会"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登记人"),
    )

    scope_paths = COMMUNITY_PATHS

    class Meta:
        verbose_name = _("三必做活动")
        verbose_name_plural = _("三必做活动")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(month__day=1), name="must_month_first_day"),
        ]
        indexes = [models.Index(fields=["community", "month", "kind"])]

    def __str__(self):
        return self.title


class MonthlyMusts(Community):
    """The street admin's table of the musts: one row per community, for a chosen month."""

    class Meta:
        proxy = True
        verbose_name = _("每月三必做")
        verbose_name_plural = _("每月三必做")
