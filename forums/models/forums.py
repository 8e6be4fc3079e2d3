"""Standing forums 议事平台 of a community (a few of the whole street) and their members."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from core.scope import ScopePaths
from core.timeline import TimelineEvent

# A street-level forum has no community: rows are matched through the scoped Community and
# Street querysets (forums.scope), as the board does for street-wide notices.
FORUM_PATHS = ScopePaths(district="street__district", street="street", community="community")


class Represents(models.TextChoices):
    """Whom a member (or a meeting's guest) speaks for; a joint meeting 三驾马车 needs all three
    bodies at the table, recorded here rather than by a link to the property-governance rows."""

    NEIGHBOURHOOD_COMMITTEE = "neighbourhood_committee", _("居委会")
    OWNERS_COMMITTEE = "owners_committee", _("业委会")
    PROPERTY_COMPANY = "property_company", _("物业公司")
    RESIDENTS = "residents", _("居民")
    OTHER = "other", _("其他")


class Forum(TimeStampedModel):
    class Kind(models.TextChoices):
        COUNCIL = "council", _("同心议事会")
        OWNERS_SALON = "owners_salon", _("业委会沙龙")
        PROPERTY_ALLIANCE = "property_alliance", _("物业联盟")
        SUB_COMMITTEE = "sub_committee", _("居委会下属委员会")
        JOINT_MEETING = "joint_meeting", _("三驾马车联席会议")

    class Status(models.TextChoices):
        ACTIVE = "active", _("运行中")  # meets, takes members
        DISSOLVED = "dissolved", _("已撤销")  # ended with a reason; its meetings stay readable

    street = models.ForeignKey(
        "grids.Street", models.PROTECT, related_name="forums", verbose_name=_("街道")
    )
    community = models.ForeignKey(
        "grids.Community",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="forums",
        verbose_name=_("居民区"),
        help_text=_("为空表示街道层面的议事平台"),
    )
    kind = models.CharField(_("类型"), max_length=24, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=80)
    description = models.TextField(_("简介"), blank=True, max_length=2000)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    established_on = models.DateField(_("成立日期"))
    dissolved_on = models.DateField(_("撤销日期"), null=True, blank=True)
    dissolve_reason = models.CharField(_("撤销原因"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("创建人"),
    )

    scope_paths = FORUM_PATHS

    class Meta:
        verbose_name = _("议事平台")
        verbose_name_plural = _("议事平台")
        ordering = ["street", "community", "kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="active", dissolved_on__isnull=True)
                | Q(status="dissolved", dissolved_on__isnull=False),
                name="forum_dissolved_has_date",
            ),
        ]
        indexes = [models.Index(fields=["community", "status"])]

    def __str__(self):
        return self.name


class ForumMember(TimeStampedModel):
    """A member: a resident on the register, a staff or resident account, or a free-text
    representative of an organisation (the property company's manager). `name` is kept for all
    three so that minutes stay readable when the linked row changes."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("召集人")
        VICE_CHAIR = "vice_chair", _("副召集人")
        SECRETARY = "secretary", _("记录员")
        MEMBER = "member", _("成员")

    forum = models.ForeignKey(
        Forum, models.CASCADE, related_name="members", verbose_name=_("议事平台")
    )
    resident = models.ForeignKey(
        "residents.Resident",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("居民"),
    )
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("账号"),
    )
    name = models.CharField(_("姓名"), max_length=60)
    organisation = models.CharField(
        _("所在单位"), max_length=100, blank=True, help_text=_("如物业公司、业委会的名称")
    )
    role = models.CharField(_("职务"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    represents = models.CharField(
        _("代表方"), max_length=32, choices=Represents.choices, default=Represents.RESIDENTS
    )
    joined_on = models.DateField(_("加入日期"))
    left_on = models.DateField(_("退出日期"), null=True, blank=True)

    scope_paths = ScopePaths(
        district="forum__street__district", street="forum__street", community="forum__community"
    )

    class Meta:
        verbose_name = _("议事平台成员")
        verbose_name_plural = _("议事平台成员")
        ordering = ["forum", "left_on", "role", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="forum_member_leaves_after_joining",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_current(self):
        return self.left_on is None


class ForumEvent(TimelineEvent):
    forum = models.ForeignKey(
        Forum, models.CASCADE, related_name="events", verbose_name=_("议事平台")
    )

    scope_paths = ScopePaths(
        district="forum__street__district", street="forum__street", community="forum__community"
    )

    class Meta(TimelineEvent.Meta):
        verbose_name = _("议事平台动态")
        verbose_name_plural = _("议事平台动态")
