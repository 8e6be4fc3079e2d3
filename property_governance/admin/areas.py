"""Admin of areas, the street's property companies, contracts and merges. Saves and actions
go through property_governance.services; rows through the one scope mechanism."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.scope import Level
from core.admin import ReadOnlyAdminMixin, ScopedModelAdmin, ServiceAdminMixin, ServiceModelForm

from .. import services
from ..models import ContractFee, Merge, PropertyArea, PropertyCompany, PropertyContract
from ._common import ReadOnlyInline, form_action
from .forms import ContractEndForm, FeesMixin, MergeAreasForm


class AreaForm(ServiceModelForm):
    class Meta:
        model = PropertyArea
        fields = ("community", "name", "compounds")

    def call_service(self):
        data = self.cleaned_data
        if self.instance.pk:
            return services.area_update(
                actor=self.actor,
                area=self.instance,
                name=data["name"],
                compounds=list(data["compounds"]),
            )
        return services.area_create(
            actor=self.actor,
            community=data["community"],
            name=data["name"],
            compounds=list(data["compounds"]),
        )


@admin.register(PropertyArea)
class PropertyAreaAdmin(ServiceAdminMixin, ScopedModelAdmin):
    form = AreaForm
    scope_level = Level.ORG
    list_display = ("name", "community", "compound_names", "status", "ended_on", "ended_by_merge")
    list_filter = ("status",)
    search_fields = ("name",)
    readonly_fields = ("status", "ended_on", "ended_by_merge")
    filter_horizontal = ("compounds",)
    actions = ["merge_selected"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("community", "ended_by_merge")
            .prefetch_related("compounds")
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return (*self.readonly_fields, "community")
        return self.readonly_fields

    @admin.display(description=_("包含小区"))
    def compound_names(self, obj):
        return "、".join(c.name for c in obj.compounds.all())

    @admin.action(description=_("合并所选区域（联小建大）"))
    def merge_selected(self, request, queryset):
        return form_action(
            self,
            request,
            queryset,
            form_class=MergeAreasForm,
            title=_("合并物业管理区域"),
            once=True,
            call=lambda qs, data: services.merge_areas(actor=request.user, areas=list(qs), **data),
            done_message=_("已合并，生成新的物业管理区域。"),
        )


class CompanyForm(ServiceModelForm):
    class Meta:
        model = PropertyCompany
        fields = ("street", "name", "credit_code", "contact_name", "contact_phone", "address")

    def call_service(self):
        if self.instance.pk:
            return self.instance  # the register's rows are fixed once made
        return services.company_create(actor=self.actor, **self.cleaned_data)


@admin.register(PropertyCompany)
class PropertyCompanyAdmin(ServiceAdminMixin, ScopedModelAdmin):
    form = CompanyForm
    scope_level = Level.ORG
    list_display = ("name", "credit_code", "street", "contact_name", "contact_phone")
    search_fields = ("name", "credit_code")

    def get_readonly_fields(self, request, obj=None):
        return CompanyForm.Meta.fields if obj is not None else ()


class FeeInline(ReadOnlyInline):
    model = ContractFee
    fields = ("property_kind", "yuan_per_m2_month")
    readonly_fields = fields


class ContractForm(FeesMixin, ServiceModelForm):
    replace_current = forms.BooleanField(label=_("同时终止该区域履行中的合同"), required=False)

    class Meta:
        model = PropertyContract
        fields = ("area", "company", "starts_on", "ends_on", "chosen_by")

    def call_service(self):
        data = self.cleaned_data
        return services.contract_create(
            actor=self.actor,
            area=data["area"],
            company=data["company"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            chosen_by=data["chosen_by"],
            fees=self.fees(),
            replace_current=data["replace_current"],
        )


@admin.register(PropertyContract)
class PropertyContractAdmin(ServiceAdminMixin, ScopedModelAdmin):
    form = ContractForm
    scope_level = Level.ORG
    list_display = (
        "area",
        "company",
        "starts_on",
        "ends_on",
        "chosen_by",
        "status",
        "ended_on",
        "fee_standard",
    )
    list_filter = ("status", "chosen_by")
    search_fields = ("area__name", "company__name")
    inlines = [FeeInline]

    def get_inlines(self, request, obj):
        # Read-only records of a saved row: nothing to show (or post) on the add page.
        return self.inlines if obj is not None else []

    actions = ["end_selected"]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).select_related("area", "company").prefetch_related("fees")
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return (
                *ContractForm.Meta.fields,
                "selection",
                "status",
                "ended_on",
                "end_reason",
                "recorded_by",
            )
        return ()

    def get_fields(self, request, obj=None):
        if obj is not None:
            return self.get_readonly_fields(request, obj)
        return super().get_fields(request, obj)

    @admin.display(description=_("收费标准（元/平方米·月）"))
    def fee_standard(self, obj):
        return "；".join(str(f) for f in obj.fees.all())

    @admin.action(description=_("终止所选合同"))
    def end_selected(self, request, queryset):
        return form_action(
            self,
            request,
            queryset,
            form_class=ContractEndForm,
            title=_("终止物业服务合同"),
            call=lambda obj, data: services.contract_end(actor=request.user, contract=obj, **data),
            done_message=_("已终止 %(n)s 份合同。"),
        )


@admin.register(Merge)
class MergeAdmin(ReadOnlyAdminMixin, ScopedModelAdmin):
    """Merges are recorded by the actions on areas and committees; the record is read-only."""

    scope_level = Level.ORG
    list_display = ("__str__", "community", "kind", "merged_on", "after_area", "after_committee")
    list_filter = ("kind",)
    fields = (
        "community",
        "kind",
        "merged_on",
        "reason",
        "before_areas",
        "before_committees",
        "after_area",
        "after_committee",
        "recorded_by",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("community", "after_area", "after_committee__area")
        )
