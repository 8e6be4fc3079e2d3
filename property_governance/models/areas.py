"""Property-management areas 物业管理区域, property companies 物业服务企业 and their contracts,
and merges 联小建大 of areas or owners' committees."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel

from .common import COMMUNITY_PATHS, STREET_PATHS, VIA_AREA, VIA_CONTRACT


class PropertyArea(TimeStampedModel):
    """物业管理区域: one or more compounds of a community managed as one (one company, one
    owners' committee). Merged areas end with a reference to the merge and stay readable."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("在用")  # the compounds are managed as this area
        MERGED = "merged", _("已合并")  # ended by a merge 联小建大; see ended_by_merge

    community = models.ForeignKey(
        "grids.Community", models.PROTECT, related_name="property_areas", verbose_name=_("居民区")
    )
    name = models.CharField(_("区域名称"), max_length=64, help_text=_("如“望春里物业管理区域”"))
    compounds = models.ManyToManyField(
        "grids.Compound",
        related_name="property_areas",
        verbose_name=_("包含小区"),
        help_text=_("同一小区同一时间只属于一个在用的物业管理区域"),
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    ended_on = models.DateField(_("终止日期"), null=True, blank=True)
    ended_by_merge = models.ForeignKey(
        "Merge",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="ended_areas",
        verbose_name=_("因合并终止"),
    )

    scope_paths = COMMUNITY_PATHS

    class Meta:
        verbose_name = _("物业管理区域")
        verbose_name_plural = _("物业管理区域")
        ordering = ["community", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="active", ended_on__isnull=True)
                | Q(status="merged", ended_on__isnull=False),
                name="property_area_ended_iff_merged",
            ),
        ]

    def __str__(self):
        return self.name


class PropertyCompany(TimeStampedModel):
    """物业服务企业, in the street's registry (a company serves areas of several communities)."""

    street = models.ForeignKey(
        "grids.Street", models.PROTECT, related_name="property_companies", verbose_name=_("街道")
    )
    name = models.CharField(_("企业名称"), max_length=100)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, help_text=_("18 位统一社会信用代码")
    )
    contact_name = models.CharField(_("联系人"), max_length=32, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)

    scope_paths = STREET_PATHS

    class Meta:
        verbose_name = _("物业服务企业")
        verbose_name_plural = _("物业服务企业")
        ordering = ["street", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["street", "credit_code"], name="property_company_unique_code"
            ),
        ]

    def __str__(self):
        return self.name


class PropertyContract(TimeStampedModel):
    """物业服务合同 of an area with a company: term and service-fee standard. At most one
    current contract per area (a database constraint)."""

    class Status(models.TextChoices):
        CURRENT = "current", _("履行中")
        ENDED = "ended", _("已终止")  # expired, replaced or terminated; ended_on and reason

    class ChosenBy(models.TextChoices):
        SELECTION = "selection", _("业主选聘")  # a household poll (PropertySelection)
        EARLY_STAGE = "early_stage", _("前期物业（建设单位选聘）")
        RENEWAL = "renewal", _("续聘")
        EMERGENCY = "emergency", _("应急物业")

    area = models.ForeignKey(
        PropertyArea, models.PROTECT, related_name="contracts", verbose_name=_("物业管理区域")
    )
    company = models.ForeignKey(
        PropertyCompany, models.PROTECT, related_name="contracts", verbose_name=_("物业服务企业")
    )
    starts_on = models.DateField(_("合同开始"))
    ends_on = models.DateField(_("合同到期"))
    chosen_by = models.CharField(_("选聘方式"), max_length=16, choices=ChosenBy.choices)
    selection = models.OneToOneField(
        "PropertySelection",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="contract",
        verbose_name=_("选聘"),
        help_text=_("业主选聘产生的合同对应的选聘记录"),
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.CURRENT, db_index=True
    )
    ended_on = models.DateField(_("终止日期"), null=True, blank=True)
    end_reason = models.CharField(_("终止原因"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登记人"),
    )

    scope_paths = VIA_AREA

    class Meta:
        verbose_name = _("物业服务合同")
        verbose_name_plural = _("物业服务合同")
        ordering = ["area", "-starts_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["area"],
                condition=Q(status="current"),
                name="property_contract_one_current_per_area",
                violation_error_message=_("该区域已有履行中的物业服务合同。"),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")),
                name="property_contract_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(status="current", ended_on__isnull=True)
                | Q(status="ended", ended_on__isnull=False),
                name="property_contract_ended_on_iff_ended",
            ),
        ]

    def __str__(self):
        return f"{self.area} · {self.company}"


class ContractFee(models.Model):
    """物业服务费标准: yuan per m² of building area per month, by kind of property."""

    class PropertyKind(models.TextChoices):
        RESIDENTIAL = "residential", _("住宅")
        COMMERCIAL = "commercial", _("商业")
        OFFICE = "office", _("办公")
        OTHER = "other", _("其他")

    contract = models.ForeignKey(
        PropertyContract, models.CASCADE, related_name="fees", verbose_name=_("合同")
    )
    property_kind = models.CharField(_("物业类型"), max_length=16, choices=PropertyKind.choices)
    yuan_per_m2_month = models.DecimalField(
        _("收费标准（元/平方米·月）"), max_digits=6, decimal_places=2
    )

    scope_paths = VIA_CONTRACT

    class Meta:
        verbose_name = _("物业服务费标准")
        verbose_name_plural = _("物业服务费标准")
        ordering = ["contract", "property_kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "property_kind"], name="contract_fee_once_per_kind"
            ),
            models.CheckConstraint(
                condition=Q(yuan_per_m2_month__gt=0), name="contract_fee_positive"
            ),
        ]

    def __str__(self):
        return f"{self.get_property_kind_display()} {self.yuan_per_m2_month}"


class Merge(TimeStampedModel):
    """联小建大: small areas (or owners' committees) become one. The old bodies end with
    `ended_by_merge` pointing here; this row says when, why, before and after."""

    class Kind(models.TextChoices):
        AREA = "area", _("物业管理区域合并")
        COMMITTEE = "committee", _("业委会合并")

    community = models.ForeignKey(
        "grids.Community", models.PROTECT, related_name="property_merges", verbose_name=_("居民区")
    )
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    merged_on = models.DateField(_("合并日期"))
    reason = models.TextField(_("合并原因"))
    before_areas = models.ManyToManyField(
        PropertyArea, blank=True, related_name="merged_into_by", verbose_name=_("合并前区域")
    )
    before_committees = models.ManyToManyField(
        "OwnersCommittee",
        blank=True,
        related_name="merged_into_by",
        verbose_name=_("合并前业委会"),
    )
    after_area = models.ForeignKey(
        PropertyArea,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="created_by_merges",
        verbose_name=_("合并后区域"),
    )
    after_committee = models.ForeignKey(
        "OwnersCommittee",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="created_by_merges",
        verbose_name=_("合并后业委会"),
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
        verbose_name = _("合并记录（联小建大）")
        verbose_name_plural = _("合并记录（联小建大）")
        ordering = ["-merged_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="area", after_area__isnull=False, after_committee__isnull=True)
                | Q(kind="committee", after_committee__isnull=False, after_area__isnull=True),
                name="merge_after_matches_kind",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.merged_on}"
