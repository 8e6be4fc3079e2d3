"""Who serves: volunteer profiles, in-service party members reporting home, service teams."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from core.scope import ScopePaths

from .paths import COMMUNITY_PATHS


class VolunteerProfile(TimeStampedModel):
    """A resident account registered as a volunteer of their community."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="volunteer_profile",
        verbose_name=_("账号"),
    )
    community = models.ForeignKey(
        "grids.Community", models.PROTECT, related_name="volunteers", verbose_name=_("服务居民区")
    )
    skills = models.CharField(
        _("特长"), max_length=200, blank=True, help_text=_("如：理发、维修、书法、医护")
    )
    availability = models.CharField(
        _("可服务时间"), max_length=200, blank=True, help_text=_("如：工作日晚上、周末上午")
    )
    is_active = models.BooleanField(_("在册"), default=True)

    scope_paths = COMMUNITY_PATHS

    class Meta:
        verbose_name = _("志愿者")
        verbose_name_plural = _("志愿者")
        ordering = ["community", "-created_at"]

    def __str__(self):
        return str(self.user)


class PartyMemberReport(TimeStampedModel):
    """在职党员报到: an in-service party member reports to their home community to serve there."""

    profile = models.OneToOneField(
        VolunteerProfile, models.CASCADE, related_name="party_report", verbose_name=_("志愿者")
    )
    community = models.ForeignKey(
        "grids.Community",
        models.PROTECT,
        related_name="party_member_reports",
        verbose_name=_("报到居民区"),
    )
    employer_party_org = models.CharField(_("所在单位党组织"), max_length=100)
    reported_on = models.DateField(_("报到日期"))

    scope_paths = COMMUNITY_PATHS

    class Meta:
        verbose_name = _("在职党员报到")
        verbose_name_plural = _("在职党员报到")
        ordering = ["-reported_on"]

    def __str__(self):
        return f"{self.profile} · {self.employer_party_org}"


class ServiceTeam(TimeStampedModel):
    """服务队: civility patrol, hygiene, elderly help …"""

    community = models.ForeignKey(
        "grids.Community", models.PROTECT, related_name="service_teams", verbose_name=_("居民区")
    )
    name = models.CharField(_("队名"), max_length=64)
    description = models.TextField(_("简介"), blank=True)
    leader = models.ForeignKey(
        VolunteerProfile,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_teams",
        verbose_name=_("队长"),
    )
    is_active = models.BooleanField(_("活跃"), default=True)

    scope_paths = COMMUNITY_PATHS

    class Meta:
        verbose_name = _("服务队")
        verbose_name_plural = _("服务队")
        ordering = ["community", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "name"], name="team_unique_name_in_community"
            )
        ]

    def __str__(self):
        return self.name


class TeamMembership(TimeStampedModel):
    team = models.ForeignKey(
        ServiceTeam, models.CASCADE, related_name="memberships", verbose_name=_("服务队")
    )
    profile = models.ForeignKey(
        VolunteerProfile, models.CASCADE, related_name="team_memberships", verbose_name=_("志愿者")
    )
    joined_on = models.DateField(_("加入日期"))
    left_on = models.DateField(_("退出日期"), null=True, blank=True)

    scope_paths = ScopePaths(
        district="team__community__street__district",
        street="team__community__street",
        community="team__community",
    )

    class Meta:
        verbose_name = _("服务队成员")
        verbose_name_plural = _("服务队成员")
        constraints = [
            models.UniqueConstraint(
                fields=["team", "profile"],
                condition=models.Q(left_on__isnull=True),
                name="team_membership_one_active",
            )
        ]

    def __str__(self):
        return f"{self.team} · {self.profile}"
