"""What a micro-grid covers besides building groups, and the resources linked to grids."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from core.scope import ScopePaths
from core.validators import validate_phone

from .org import Community, MicroGrid
from .people import GRID_WORK_PATHS


class GridPlace(TimeStampedModel):
    """A shop, public venue or enterprise inside a micro-grid, visited on patrols."""

    class Kind(models.TextChoices):
        SHOP = "shop", _("商铺")
        VENUE = "venue", _("公共场所")  # squares, parks, markets, activity rooms
        ENTERPRISE = "enterprise", _("企业")

    grid = models.ForeignKey(
        MicroGrid, models.PROTECT, related_name="places", verbose_name=_("所属微网格")
    )
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=100)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=32, blank=True)
    contact_phone = models.CharField(
        _("联系电话"), max_length=20, blank=True, validators=[validate_phone]
    )
    notes = models.CharField(_("备注"), max_length=200, blank=True)

    scope_paths = GRID_WORK_PATHS

    class Meta:
        verbose_name = _("网格内场所")
        verbose_name_plural = _("网格内场所(商铺、公共场所、企业)")
        ordering = ["grid", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["grid", "name"], name="grid_place_unique_name_in_grid")
        ]

    def __str__(self):
        return f"{self.get_kind_display()}·{self.name}"


class GridResource(TimeStampedModel):
    """网格资源: a school, shop, enterprise, department or social organisation that offers
    something to the grids it is linked to. Owned by a community; grid leaders see the
    resources linked to their grids."""

    class Kind(models.TextChoices):
        SCHOOL = "school", _("学校")
        SHOP = "shop", _("商铺")
        ENTERPRISE = "enterprise", _("企业")
        DEPARTMENT = "department", _("政府部门")
        SOCIAL_ORGANISATION = "social_org", _("社会组织")

    community = models.ForeignKey(
        Community, models.PROTECT, related_name="grid_resources", verbose_name=_("所属居民区")
    )
    grids = models.ManyToManyField(
        MicroGrid,
        related_name="resources",
        verbose_name=_("服务的微网格"),
        help_text=_("须为本居民区的微网格，可多选"),
    )
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=100)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=32, blank=True)
    contact_phone = models.CharField(
        _("联系电话"), max_length=20, blank=True, validators=[validate_phone]
    )
    offers = models.TextField(
        _("可提供的资源"), help_text=_("如“每周二提供场地”“暑期志愿辅导”“法律咨询”")
    )
    is_active = models.BooleanField(_("合作中"), default=True)

    scope_paths = ScopePaths(
        district="community__street__district", street="community__street", community="community"
    )

    class Meta:
        verbose_name = _("网格资源")
        verbose_name_plural = _("网格资源")
        ordering = ["community", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "name"], name="grid_resource_unique_name_in_community"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}·{self.name}"
