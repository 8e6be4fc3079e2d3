"""The people who hold grid roles: grid leader, liaisons, building leaders, party group."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from core.scope import ScopePaths
from core.validators import mask_phone, validate_phone

from .org import Building, MicroGrid

GRID_WORK_PATHS = ScopePaths(
    district="grid__community__street__district",
    street="grid__community__street",
    community="grid__community",
    grid="grid",
)


class GridRoleKind(models.TextChoices):
    GRID_LEADER = "grid_leader", _("网格长")  # one at a time per grid
    LIAISON = "liaison", _("联络员")  # several per grid
    BUILDING_LEADER = "building_leader", _("楼组长")  # one at a time per building group
    # A party member who reports to the community about the building; one at a time.
    SECOND_BUILDING_LEADER = "second_building_leader", _("第二楼组长")
    PARTY_GROUP_MEMBER = "party_group_member", _("网格党小组成员")  # several per grid


BUILDING_ROLES = (GridRoleKind.BUILDING_LEADER, GridRoleKind.SECOND_BUILDING_LEADER)
# Roles that only one person holds at a time over their unit (grid or building group).
SINGLE_HOLDER_ROLES = (GridRoleKind.GRID_LEADER, *BUILDING_ROLES)


class GridRoleQuerySet(models.QuerySet):
    def current(self, *, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(starts_on__lte=on), Q(ends_on__isnull=True) | Q(ends_on__gte=on))


class GridRole(TimeStampedModel):
    """A person holding a grid role for a term. The person need not have an account: many
    building leaders are elderly residents known by name and phone only."""

    grid = models.ForeignKey(
        MicroGrid, models.PROTECT, related_name="roles", verbose_name=_("微网格")
    )
    building = models.ForeignKey(
        Building,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="roles",
        verbose_name=_("楼组"),
        help_text=_("楼组长、第二楼组长必须选择所负责的楼组；其他角色不填"),
    )
    kind = models.CharField(_("角色"), max_length=32, choices=GridRoleKind.choices)
    name = models.CharField(_("姓名"), max_length=32)
    phone = models.CharField(
        _("联系电话"),
        max_length=20,
        blank=True,
        validators=[validate_phone],
        help_text=_("手机号或带区号的固定电话"),
    )
    resident = models.ForeignKey(
        "residents.Resident",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="grid_roles",
        verbose_name=_("对应居民"),
        help_text=_("如本人是本居民区居民，可关联到民情数据库中的记录"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="grid_roles",
        verbose_name=_("对应账号"),
        help_text=_("如本人有门户账号，可关联"),
    )
    is_party_member = models.BooleanField(_("党员"), default=False)
    starts_on = models.DateField(_("任期开始"), default=timezone.localdate)
    ends_on = models.DateField(_("任期结束"), null=True, blank=True, help_text=_("留空表示仍在任"))
    notes = models.CharField(_("备注"), max_length=200, blank=True)

    scope_paths = GRID_WORK_PATHS
    objects = GridRoleQuerySet.as_manager()

    class Meta:
        verbose_name = _("网格角色")
        verbose_name_plural = _("网格角色")
        ordering = ["grid", "kind", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                name="grid_role_building_iff_building_role",
                condition=(
                    Q(kind__in=BUILDING_ROLES, building__isnull=False)
                    | (~Q(kind__in=BUILDING_ROLES) & Q(building__isnull=True))
                ),
            ),
            models.CheckConstraint(
                name="grid_role_term_ends_after_start",
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
            ),
            # Backs the service's overlap check for open-ended terms.
            models.UniqueConstraint(
                fields=["grid", "kind"],
                name="grid_role_one_open_grid_leader",
                condition=Q(kind=GridRoleKind.GRID_LEADER, ends_on__isnull=True),
            ),
            models.UniqueConstraint(
                fields=["building", "kind"],
                name="grid_role_one_open_building_role",
                condition=Q(kind__in=BUILDING_ROLES, ends_on__isnull=True),
            ),
        ]
        indexes = [models.Index(fields=["grid", "kind"])]

    def __str__(self):
        unit = self.building.name if self.building_id else self.grid.name
        return f"{unit}·{self.get_kind_display()}·{self.name}"

    @property
    def phone_masked(self):
        return mask_phone(self.phone)
