"""The organisation tree in the admin: districts, streets, communities, micro-grids,
compounds, buildings and grid roles."""

from django.contrib import admin, messages
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from core.exceptions import ApplicationError

from .. import services
from ..models import (
    Building,
    Community,
    CommunityType,
    Compound,
    District,
    GridRole,
    MicroGrid,
    Street,
)
from .base import ServiceInline, ServiceModelAdmin


@admin.register(District)
class DistrictAdmin(ServiceModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]

    def service_create(self, request, data):
        return services.district_create(actor=request.user, **data)

    def service_update(self, request, obj, data):
        return services.district_update(actor=request.user, district=obj, **data)


@admin.register(Street)
class StreetAdmin(ServiceModelAdmin):
    list_display = ["name", "code", "district", "phone"]
    list_filter = ["district"]
    search_fields = ["name", "code"]
    list_select_related = ["district"]

    def service_create(self, request, data):
        return services.street_create(actor=request.user, **data)

    def service_update(self, request, obj, data):
        return services.street_update(actor=request.user, street=obj, **data)


@admin.register(CommunityType)
class CommunityTypeAdmin(ServiceModelAdmin):
    list_display = ["name", "street", "description"]
    list_filter = ["street"]
    list_select_related = ["street"]

    def service_create(self, request, data):
        return services.community_type_create(actor=request.user, **data)

    def service_update(self, request, obj, data):
        return services.community_type_update(actor=request.user, community_type=obj, **data)


@admin.register(Community)
class CommunityAdmin(ServiceModelAdmin):
    list_display = ["name", "code", "kind", "street", "community_type", "phone"]
    list_filter = ["kind", "street", "community_type"]
    search_fields = ["name", "code"]
    list_select_related = ["street", "community_type"]

    def service_create(self, request, data):
        return services.community_create(actor=request.user, **data)

    def service_update(self, request, obj, data):
        return services.community_update(actor=request.user, community=obj, **data)


class BuildingInline(ServiceInline):
    model = Building
    fields = ["name", "compound", "address", "floors", "households_estimate"]
    verbose_name_plural = _("楼组(保存微网格后可添加)")

    def service_create(self, request, data):
        grid = MicroGrid.objects.get(pk=self._parent_pk)
        return services.building_create(actor=request.user, grid=grid, **data)

    def service_update(self, request, obj, data):
        return services.building_update(actor=request.user, building=obj, **data)

    def get_formset(self, request, obj=None, **kwargs):
        self._parent_pk = obj.pk if obj else None
        return super().get_formset(request, obj, **kwargs)


class GridRoleInline(ServiceInline):
    model = GridRole
    fields = ["kind", "name", "phone", "building", "is_party_member", "starts_on", "ends_on"]
    verbose_name_plural = _("网格角色(网格长、联络员、楼组长、第二楼组长、党小组成员)")

    def get_formset(self, request, obj=None, **kwargs):
        self._parent_pk = obj.pk if obj else None
        return super().get_formset(request, obj, **kwargs)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("building", "grid")

    def service_create(self, request, data):
        grid = MicroGrid.objects.get(pk=self._parent_pk)
        return services.grid_role_appoint(actor=request.user, grid=grid, **data)

    def service_update(self, request, obj, data):
        data.pop("kind", None)
        data.pop("building", None)
        return services.grid_role_update(actor=request.user, role=obj, **data)


@admin.register(MicroGrid)
class MicroGridAdmin(ServiceModelAdmin):
    list_display = ["name", "code", "community"]
    list_filter = ["community__street", "community"]
    search_fields = ["name", "code"]
    list_select_related = ["community"]
    inlines = [BuildingInline, GridRoleInline]

    def service_create(self, request, data):
        return services.micro_grid_create(actor=request.user, **data)

    def service_update(self, request, obj, data):
        return services.micro_grid_update(actor=request.user, grid=obj, **data)


@admin.register(Compound)
class CompoundAdmin(ServiceModelAdmin):
    list_display = ["name", "community", "building_count", "address", "is_active", "ended_on"]
    list_filter = ["is_active", "community__street", "community"]
    search_fields = ["name", "address"]
    list_select_related = ["community"]
    readonly_fields = ["ended_on", "building_names"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(building_total=Count("buildings"))

    def get_exclude(self, request, obj=None):
        # A new compound is in use; ending one is a change of an existing compound.
        return ["is_active"] if obj is None else []

    def get_readonly_fields(self, request, obj=None):
        # A compound's community is fixed: its building groups and notices hang on it.
        return [*self.readonly_fields, "community"] if obj else self.readonly_fields

    @admin.display(description=_("楼组数"), ordering="building_total")
    def building_count(self, obj):
        return obj.building_total

    @admin.display(description=_("所含楼组"))
    def building_names(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        names = list(obj.buildings.order_by("name").values_list("name", flat=True))
        return "、".join(names) or _("（尚未划入楼组，请在楼组页面选择所属小区）")

    def service_create(self, request, data):
        return services.compound_create(actor=request.user, **data)

    def service_update(self, request, obj, data):
        return services.compound_update(actor=request.user, compound=obj, **data)


@admin.register(Building)
class BuildingAdmin(ServiceModelAdmin):
    list_display = ["name", "grid", "community", "compound", "floors", "households_estimate"]
    list_filter = ["community", "compound"]
    search_fields = ["name", "address"]
    list_select_related = ["grid", "community", "compound"]

    def service_create(self, request, data):
        return services.building_create(actor=request.user, **data)

    def service_update(self, request, obj, data):
        return services.building_update(actor=request.user, building=obj, **data)


# Grid roles, places, resources -----------------------------------------------------------------


@admin.register(GridRole)
class GridRoleAdmin(ServiceModelAdmin):
    list_display = ["name", "kind", "grid", "building", "phone", "starts_on", "ends_on"]
    list_filter = ["kind", "grid__community"]
    search_fields = ["name", "phone"]
    list_select_related = ["grid", "building"]
    raw_id_fields = ["resident", "user"]
    actions = ["end_term"]

    def get_readonly_fields(self, request, obj=None):
        return ["grid", "kind", "building"] if obj else []

    def service_create(self, request, data):
        return services.grid_role_appoint(actor=request.user, **data)

    def service_update(self, request, obj, data):
        return services.grid_role_update(actor=request.user, role=obj, **data)

    @admin.action(description=_("办理卸任(任期结束于今天)"), permissions=["change"])
    def end_term(self, request, queryset):
        ended = 0
        for role in queryset:
            try:
                services.grid_role_end_term(actor=request.user, role=role)
                ended += 1
            except ApplicationError as exc:
                self.message_user(request, f"{role}: {exc.message}", messages.WARNING)
        self.message_user(request, _("已办理 %(n)d 人卸任。") % {"n": ended})
