"""The organisation map: district → street → community → micro-grid → building group."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from core.scope import ScopePaths


class District(TimeStampedModel):
    """区: a district leader's scope; holds several streets."""

    name = models.CharField(_("名称"), max_length=64, unique=True)
    code = models.CharField(
        _("区划代码"), max_length=12, unique=True, help_text=_("行政区划代码，如 310104")
    )

    scope_paths = ScopePaths(district="pk")

    class Meta:
        verbose_name = _("区")
        verbose_name_plural = _("区")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Street(TimeStampedModel):
    """街道/镇: the tenant that runs the portal; its settings and tags are its own."""

    district = models.ForeignKey(
        District, models.PROTECT, related_name="streets", verbose_name=_("所属区")
    )
    name = models.CharField(_("名称"), max_length=64)
    code = models.CharField(
        _("区划代码"),
        max_length=12,
        unique=True,
        help_text=_("街道/镇的行政区划代码，如 310104003"),
    )
    address = models.CharField(_("办公地址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=32, blank=True)

    scope_paths = ScopePaths(district="district", street="pk")

    class Meta:
        verbose_name = _("街道/镇")
        verbose_name_plural = _("街道/镇")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "name"], name="street_unique_name_in_district"
            )
        ]

    def __str__(self):
        return self.name


class CommunityType(TimeStampedModel):
    """A street's own classification of its communities (新建商品房小区, 老旧小区, 动迁安置小区 …),
    so that dashboards compare like with like."""

    street = models.ForeignKey(
        Street, models.CASCADE, related_name="community_types", verbose_name=_("街道")
    )
    name = models.CharField(_("类型名称"), max_length=32)
    description = models.CharField(_("说明"), max_length=200, blank=True)

    scope_paths = ScopePaths(street="street")

    class Meta:
        verbose_name = _("居民区类型")
        verbose_name_plural = _("居民区类型")
        ordering = ["street", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["street", "name"], name="community_type_unique_in_street"
            )
        ]

    def __str__(self):
        return self.name


class Community(TimeStampedModel):
    """居民区 or 村: run by a neighbourhood (villagers') committee and a party branch."""

    class Kind(models.TextChoices):
        NEIGHBOURHOOD = "neighbourhood", _("居民区")  # 居委会 runs it
        VILLAGE = "village", _("村")  # 村委会 runs it; many became 居民区 (村改居)

    street = models.ForeignKey(
        Street, models.PROTECT, related_name="communities", verbose_name=_("所属街道")
    )
    name = models.CharField(_("名称"), max_length=64)
    code = models.CharField(_("编码"), max_length=16, unique=True)
    kind = models.CharField(
        _("建制"), max_length=16, choices=Kind.choices, default=Kind.NEIGHBOURHOOD
    )
    community_type = models.ForeignKey(
        CommunityType,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="communities",
        verbose_name=_("类型"),
        help_text=_("由街道设定的小区类型，用于同类比较"),
    )
    address = models.CharField(_("居委会地址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    committee_name = models.CharField(_("居(村)委会名称"), max_length=64, blank=True)
    party_branch_name = models.CharField(_("党组织名称"), max_length=64, blank=True)
    households_estimate = models.PositiveIntegerField(_("户数(约)"), null=True, blank=True)

    scope_paths = ScopePaths(district="street__district", street="street", community="pk")

    class Meta:
        verbose_name = _("居民区")
        verbose_name_plural = _("居民区")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["street", "name"], name="community_unique_name_in_street"
            )
        ]

    def __str__(self):
        return self.name


class MicroGrid(TimeStampedModel):
    """微网格: a few buildings/stairwells plus the shops, venues and enterprises among them."""

    community = models.ForeignKey(
        Community, models.PROTECT, related_name="grids", verbose_name=_("所属居民区")
    )
    name = models.CharField(_("名称"), max_length=64)
    code = models.CharField(_("编码"), max_length=24, unique=True)
    boundary = models.TextField(
        _("四至范围"), blank=True, help_text=_("文字描述网格边界，如“东至××路，南至××弄”")
    )

    scope_paths = ScopePaths(
        district="community__street__district",
        street="community__street",
        community="community",
        grid="pk",
    )

    class Meta:
        verbose_name = _("微网格")
        verbose_name_plural = _("微网格")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "name"], name="grid_unique_name_in_community"
            )
        ]

    def __str__(self):
        return self.name


class Compound(TimeStampedModel):
    """小区: a residential compound of a community, made of building groups. Notices and
    consultations address it, and property governance (owners' committees, property
    companies) hangs on it. A building group belongs to at most one compound."""

    community = models.ForeignKey(
        Community, models.PROTECT, related_name="compounds", verbose_name=_("所属居民区")
    )
    name = models.CharField(_("小区名称"), max_length=64, help_text=_("如“望春里一期”"))
    address = models.CharField(_("地址"), max_length=200, blank=True)
    # Compounds are merged or renamed, never deleted: an ended compound keeps its buildings'
    # history readable and can no longer take new buildings.
    is_active = models.BooleanField(_("在用"), default=True)
    ended_on = models.DateField(_("停用日期"), null=True, blank=True)

    scope_paths = ScopePaths(
        district="community__street__district", street="community__street", community="community"
    )

    class Meta:
        verbose_name = _("小区")
        verbose_name_plural = _("小区")
        ordering = ["community", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "name"], name="compound_unique_name_in_community"
            ),
            models.CheckConstraint(
                condition=models.Q(is_active=True, ended_on__isnull=True)
                | models.Q(is_active=False, ended_on__isnull=False),
                name="compound_ended_on_iff_inactive",
            ),
        ]

    def __str__(self):
        return self.name


class Building(TimeStampedModel):
    """楼组: a building or stairwell group, led by a building leader (楼组长)."""

    grid = models.ForeignKey(
        MicroGrid, models.PROTECT, related_name="buildings", verbose_name=_("所属微网格")
    )
    community = models.ForeignKey(
        Community,
        models.PROTECT,
        related_name="buildings",
        verbose_name=_("所属居民区"),
        editable=False,
        help_text=_("与微网格所属居民区一致，便于按居民区筛选"),
    )
    compound = models.ForeignKey(
        Compound,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="buildings",
        verbose_name=_("所属小区"),
        help_text=_("须为本居民区的小区；一个楼组至多属于一个小区"),
    )
    name = models.CharField(_("楼组名称"), max_length=64, help_text=_("如“12号楼”或“3弄1-4号”"))
    address = models.CharField(_("地址"), max_length=200, blank=True)
    floors = models.PositiveSmallIntegerField(_("层数"), null=True, blank=True)
    households_estimate = models.PositiveIntegerField(_("户数(约)"), null=True, blank=True)

    scope_paths = ScopePaths(
        district="community__street__district",
        street="community__street",
        community="community",
        grid="grid",
    )

    class Meta:
        verbose_name = _("楼组")
        verbose_name_plural = _("楼组")
        ordering = ["community", "name"]
        constraints = [
            models.UniqueConstraint(fields=["grid", "name"], name="building_unique_name_in_grid")
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # Invariant: a building group's community is its grid's; kept here so no caller can
        # let the two disagree.
        self.community_id = (
            MicroGrid.objects.values_list("community_id", flat=True).get(pk=self.grid_id)
            if self.grid_id
            else None
        )
        super().save(*args, **kwargs)
