"""The departments a street sends grid events to (部门), the categories of events with their
handling deadlines, and the department staff accounts."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from core.scope import ScopePaths

STREET_PATHS = ScopePaths(district="street__district", street="street")


class Department(TimeStampedModel):
    """部门: a government office, the police station, a property company or a utility that takes
    grid events of the categories it handles in the communities it covers (分工包社区)."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("政府职能部门")  # e.g. 城管中队, 市场监管所
        POLICE = "police", _("派出所")
        PROPERTY = "property", _("物业公司")
        UTILITY = "utility", _("公用事业单位")  # water, power, gas
        OTHER = "other", _("其他")

    street = models.ForeignKey(
        "grids.Street", models.PROTECT, related_name="departments", verbose_name=_("街道")
    )
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=64, help_text=_("如“街道城管中队”"))
    contact_person = models.CharField(_("联系人"), max_length=32, blank=True)
    phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    categories = models.ManyToManyField(
        "cases.EventCategory",
        blank=True,
        related_name="departments",
        verbose_name=_("负责的事件类别"),
    )
    communities = models.ManyToManyField(
        "grids.Community",
        blank=True,
        related_name="departments",
        verbose_name=_("分工包社区"),
        help_text=_("该部门负责的居民区；派单时只列出负责本居民区的部门"),
    )
    is_active = models.BooleanField(_("在用"), default=True)

    scope_paths = STREET_PATHS

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        ordering = ["street", "name"]
        constraints = [
            models.UniqueConstraint(fields=["street", "name"], name="department_name_per_street")
        ]

    def __str__(self):
        return self.name


class EventCategory(TimeStampedModel):
    """A kind of grid event and how fast a department must handle it once dispatched (e.g. an
    urgent finding within 4 hours, the rest within the week: 周周清, 168 hours)."""

    street = models.ForeignKey(
        "grids.Street", models.PROTECT, related_name="event_categories", verbose_name=_("街道")
    )
    name = models.CharField(_("名称"), max_length=32, help_text=_("如“占道经营”“水管漏水”"))
    handling_hours = models.PositiveIntegerField(
        _("处置时限(小时)"),
        help_text=_("从派单起算；紧急事项如 4 小时，其余一周内(周周清)即 168 小时"),
    )
    default_department = models.ForeignKey(
        Department,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("默认派往部门"),
    )
    is_active = models.BooleanField(_("在用"), default=True)

    scope_paths = STREET_PATHS

    class Meta:
        verbose_name = _("事件类别")
        verbose_name_plural = _("事件类别")
        ordering = ["street", "name"]
        constraints = [
            models.UniqueConstraint(fields=["street", "name"], name="event_category_per_street"),
            models.CheckConstraint(
                name="event_category_hours_positive", condition=Q(handling_hours__gte=1)
            ),
        ]

    def __str__(self):
        return self.name


class DepartmentStaff(TimeStampedModel):
    """A department's staff account. Holding an active row is the department role: the account
    sees only the events sent to its department (cases.scope)."""

    department = models.ForeignKey(
        Department, models.CASCADE, related_name="staff", verbose_name=_("部门")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="department_memberships",
        verbose_name=_("账号"),
        help_text=_("账号须勾选“工作人员状态”才能登录后台"),
    )
    is_active = models.BooleanField(_("在岗"), default=True)

    scope_paths = ScopePaths(district="department__street__district", street="department__street")

    class Meta:
        verbose_name = _("部门人员")
        verbose_name_plural = _("部门人员")
        ordering = ["department", "user"]
        constraints = [
            models.UniqueConstraint(fields=["department", "user"], name="department_staff_once")
        ]

    def __str__(self):
        return f"{self.department} · {self.user.get_full_name() or self.user.username}"
