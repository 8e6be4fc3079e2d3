"""The grids admin: the organisation tree, grid roles, places, resources, the four ones, the
weekly patrol, and the weekly visit-round table.

Every save goes through the services. The form runs the service once in a savepoint that is
rolled back, so that a refused change shows on the form as field errors instead of failing
after the fact; the real save then calls the same service again.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from accounts.scope import Level
from core.admin import ScopedModelAdmin
from core.exceptions import ApplicationError

from . import selectors, services
from .models import (
    Building,
    Community,
    CommunityType,
    Compound,
    DiaryEntry,
    District,
    GridPlace,
    GridResource,
    GridRole,
    MicroGrid,
    Pairing,
    PatrolProblem,
    PatrolRecord,
    PracticalDeed,
    Street,
    VisitRecord,
    WeeklyVisitRound,
)


class _DryRun(Exception):
    pass


def _add_service_errors(form, exc: ApplicationError):
    if exc.code == "forbidden":
        form.add_error(None, exc.message)
        return
    placed = False
    for field, reasons in exc.fields.items():
        target = field if field in form.fields else None
        for reason in reasons:
            form.add_error(target, reason if target else f"{field}: {reason}")
            placed = True
    if not placed:
        form.add_error(None, exc.message)


class ServiceFormMixin:
    """Runs the admin's service in a rolled-back savepoint during validation."""

    service_admin = None
    admin_request = None

    def _post_clean(self):
        super()._post_clean()
        if self.errors or self.service_admin is None:
            return
        try:
            with transaction.atomic():
                self.service_admin.call_service(self.admin_request, self)
                raise _DryRun
        except _DryRun:
            pass
        except ApplicationError as exc:
            _add_service_errors(self, exc)


def _service_data(form, *, changed_only):
    names = form.changed_data if changed_only else list(form.fields)
    return {name: form.cleaned_data[name] for name in names if name in form.cleaned_data}


class ServiceAdminMixin:
    """Admin saves call `service_create(request, data)` / `service_update(request, obj, data)`."""

    def service_create(self, request, data):
        raise NotImplementedError

    def service_update(self, request, obj, data):
        raise NotImplementedError

    def call_service(self, request, form):
        obj = form.instance
        if obj.pk is None:
            return self.service_create(request, _service_data(form, changed_only=False))
        return self.service_update(request, obj, _service_data(form, changed_only=True))

    def _bind(self, form_class, request):
        return type(
            form_class.__name__,
            (ServiceFormMixin, form_class),
            {"service_admin": self, "admin_request": request},
        )


class ServiceModelAdmin(ServiceAdminMixin, ScopedModelAdmin):
    scope_level = Level.ORG

    def get_form(self, request, obj=None, change=False, **kwargs):
        return self._bind(super().get_form(request, obj, change=change, **kwargs), request)

    def save_model(self, request, obj, form, change):
        try:
            saved = self.call_service(request, form)
        except ApplicationError as exc:
            # Validation already ran the same service; only a race gets here.
            raise PermissionDenied(exc.message) from exc
        # The inlines hold a reference to form.instance: make it the saved row.
        obj.pk = saved.pk
        obj._state.adding = False
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        # Many-to-many fields are the services' business; only the inlines remain.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        # The admin's change message reads these lists, which formset.save() would fill.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline_form in formset.forms:
            if not inline_form.has_changed() or inline_form in formset.deleted_forms:
                continue
            adding = inline_form.instance.pk is None
            try:
                saved = formset.service_admin.call_service(request, inline_form)
            except ApplicationError as exc:
                raise PermissionDenied(exc.message) from exc
            if adding:
                formset.new_objects.append(saved)
            else:
                formset.changed_objects.append((saved, inline_form.changed_data))

    def delete_model(self, request, obj):
        raise PermissionDenied

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class ServiceInline(ServiceAdminMixin, admin.TabularInline):
    extra = 0
    can_delete = False

    def call_service(self, request, form):
        # The inline form also carries the parent key and the row id; the services take
        # the parent as an argument of their own.
        obj = form.instance
        if obj.pk is None:
            data = _service_data(form, changed_only=False)
        else:
            data = _service_data(form, changed_only=True)
        data = {k: v for k, v in data.items() if k in self.fields}
        if obj.pk is None:
            return self.service_create(request, data)
        return self.service_update(request, obj, data)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = self._bind(formset.form, request)
        formset.service_admin = self
        return formset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and hasattr(field.queryset.model, "scope_paths"):
            from accounts.scope import actor_scope

            field.queryset = actor_scope(request.user).filter(field.queryset, Level.PEOPLE)
        return field

    def _perm(self, request, action, obj):
        return request.user.has_perm(f"grids.{action}_{self.opts.model_name}", obj)

    def has_view_permission(self, request, obj=None):
        return self._perm(request, "view", obj)

    def has_add_permission(self, request, obj=None):
        return obj is not None and self._perm(request, "add", obj)

    def has_change_permission(self, request, obj=None):
        return self._perm(request, "change", obj)

    def has_delete_permission(self, request, obj=None):
        return False


# The organisation tree -------------------------------------------------------------------------


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


@admin.register(GridPlace)
class GridPlaceAdmin(ServiceModelAdmin):
    list_display = ["name", "kind", "grid", "address", "contact_name"]
    list_filter = ["kind", "grid__community"]
    search_fields = ["name", "address"]
    list_select_related = ["grid"]

    def get_readonly_fields(self, request, obj=None):
        return ["grid"] if obj else []

    def service_create(self, request, data):
        return services.grid_place_create(actor=request.user, **data)

    def service_update(self, request, obj, data):
        return services.grid_place_update(actor=request.user, place=obj, **data)


@admin.register(GridResource)
class GridResourceAdmin(ServiceModelAdmin):
    list_display = ["name", "kind", "community", "contact_name", "is_active"]
    list_filter = ["kind", "is_active", "community"]
    search_fields = ["name", "offers"]
    filter_horizontal = ["grids"]

    def get_queryset(self, request):
        return selectors.grid_resource_list(actor=request.user)

    def get_readonly_fields(self, request, obj=None):
        return ["community"] if obj else []

    def service_create(self, request, data):
        return services.grid_resource_create(actor=request.user, **data)

    def service_update(self, request, obj, data):
        return services.grid_resource_update(actor=request.user, resource=obj, **data)


# The four ones ---------------------------------------------------------------------------------


class GridWorkAdmin(ServiceModelAdmin):
    list_select_related = ["grid"]
    date_hierarchy = None

    def get_readonly_fields(self, request, obj=None):
        return ["grid"] if obj else []


@admin.register(VisitRecord)
class VisitRecordAdmin(GridWorkAdmin):
    list_display = ["visited_on", "grid", "visitor", "visitee", "household"]
    list_filter = ["grid__community", "grid"]
    search_fields = ["summary", "needs_found", "visitee"]
    list_select_related = ["grid", "visitor", "household", "household__building"]
    date_hierarchy = "visited_on"
    raw_id_fields = ["household"]
    exclude = ["visitor"]

    def service_create(self, request, data):
        return services.visit_record(actor=request.user, **data)

    def service_update(self, request, obj, data):
        return services.visit_update(actor=request.user, visit=obj, **data)


@admin.register(DiaryEntry)
class DiaryEntryAdmin(GridWorkAdmin):
    list_display = ["written_on", "grid", "author"]
    list_filter = ["grid__community", "grid"]
    search_fields = ["content"]
    list_select_related = ["grid", "author"]
    date_hierarchy = "written_on"
    exclude = ["author"]

    def service_create(self, request, data):
        return services.diary_record(actor=request.user, **data)

    def service_update(self, request, obj, data):
        return services.diary_update(actor=request.user, entry=obj, **data)


@admin.register(Pairing)
class PairingAdmin(GridWorkAdmin):
    list_display = ["helper_name", "household", "grid", "since", "until"]
    list_filter = ["grid__community", "grid"]
    search_fields = ["helper_name", "notes"]
    list_select_related = ["grid", "household", "household__building"]
    raw_id_fields = ["household", "helper"]

    def get_readonly_fields(self, request, obj=None):
        return ["grid", "household"] if obj else []

    def service_create(self, request, data):
        return services.pairing_record(actor=request.user, **data)

    def service_update(self, request, obj, data):
        return services.pairing_update(actor=request.user, pairing=obj, **data)


@admin.register(PracticalDeed)
class PracticalDeedAdmin(GridWorkAdmin):
    list_display = ["title", "grid", "done_on", "beneficiary_count"]
    list_filter = ["grid__community", "grid"]
    search_fields = ["title", "description"]
    date_hierarchy = "done_on"
    exclude = ["recorded_by"]

    def service_create(self, request, data):
        return services.deed_record(actor=request.user, **data)

    def service_update(self, request, obj, data):
        return services.deed_update(actor=request.user, deed=obj, **data)


# Weekly patrol 周周巡 and clearance 周周清 ------------------------------------------------------


class PatrolProblemInline(ServiceInline):
    model = PatrolProblem
    fields = ["description", "location", "photo", "status", "department"]
    readonly_fields = ["status", "department"]
    verbose_name_plural = _("发现的问题(保存巡查记录后可添加；清除或转派请到“巡查发现问题”)")

    def get_formset(self, request, obj=None, **kwargs):
        self._parent_pk = obj.pk if obj else None
        return super().get_formset(request, obj, **kwargs)

    def has_change_permission(self, request, obj=None):
        # Existing problems move only through clear/route; the inline shows them read-only.
        return False

    def service_create(self, request, data):
        patrol = PatrolRecord.objects.get(pk=self._parent_pk)
        return services.patrol_problem_report(actor=request.user, patrol=patrol, **data)


@admin.register(PatrolRecord)
class PatrolRecordAdmin(GridWorkAdmin):
    list_display = ["patrolled_on", "grid", "patroller", "route"]
    list_filter = ["grid__community", "grid"]
    search_fields = ["route", "notes"]
    list_select_related = ["grid", "patroller"]
    date_hierarchy = "patrolled_on"
    exclude = ["patroller"]
    inlines = [PatrolProblemInline]

    def service_create(self, request, data):
        return services.patrol_record(actor=request.user, **data)

    def service_update(self, request, obj, data):
        return services.patrol_update(actor=request.user, patrol=obj, **data)


class PatrolProblemForm(forms.ModelForm):
    """The change form of a problem is where it is cleared or routed."""

    action = forms.ChoiceField(
        label=_("处理"),
        required=False,
        choices=[
            ("", _("暂不处理")),
            ("clear", _("已清除(周周清)")),
            ("route", _("转派到责任部门")),
        ],
    )
    route_to = forms.CharField(
        label=_("责任部门"),
        required=False,
        max_length=100,
        help_text=_("选择“转派”时必填，如“城管中队”"),
    )
    note = forms.CharField(label=_("处理说明"), required=False, max_length=200)

    class Meta:
        model = PatrolProblem
        fields = []


@admin.register(PatrolProblem)
class PatrolProblemAdmin(ServiceModelAdmin):
    form = PatrolProblemForm
    list_display = [
        "description",
        "grid",
        "status",
        "cleared_within_week",
        "department",
        "created_at",
    ]
    list_filter = ["status", "cleared_within_week", "grid__community"]
    search_fields = ["description", "department"]
    list_select_related = ["grid"]
    readonly_fields = [
        "patrol",
        "grid",
        "description",
        "location",
        "photo",
        "status",
        "cleared_at",
        "cleared_by",
        "clearance_note",
        "cleared_within_week",
        "department",
        "routed_at",
        "routed_by",
        "route_note",
    ]
    actions = ["clear_selected"]

    def has_add_permission(self, request):
        return False

    def call_service(self, request, form):
        action = form.cleaned_data.get("action")
        note = form.cleaned_data.get("note", "")
        if action == "clear":
            return services.patrol_problem_clear(
                actor=request.user, problem=form.instance, note=note
            )
        if action == "route":
            try:
                return services.patrol_problem_route(
                    actor=request.user,
                    problem=form.instance,
                    department=form.cleaned_data.get("route_to", ""),
                    note=note,
                )
            except ApplicationError as exc:
                # The form calls the department field route_to.
                if "department" in exc.fields:
                    exc.fields["route_to"] = exc.fields.pop("department")
                raise
        return form.instance

    @admin.action(description=_("标记为已清除(周周清)"), permissions=["change"])
    def clear_selected(self, request, queryset):
        done = 0
        for problem in queryset:
            try:
                services.patrol_problem_clear(actor=request.user, problem=problem)
                done += 1
            except ApplicationError as exc:
                self.message_user(request, f"{problem}: {exc.message}", messages.WARNING)
        self.message_user(request, _("已清除 %(n)d 个问题。") % {"n": done})


# The weekly visit round ------------------------------------------------------------------------


@admin.register(WeeklyVisitRound)
class WeeklyVisitRoundAdmin(ScopedModelAdmin):
    """Rows: the grids in scope; columns: the last 8 ISO weeks; a cell: done or not, with the
    number of visits. One aggregate query for the whole page of cells."""

    scope_level = Level.ORG
    weeks = 8
    per_page = 50

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        grids = self.get_queryset(request).select_related("community", "community__street")
        community = request.GET.get("community", "")
        if community.isdigit():
            grids = grids.filter(community_id=int(community))
        page = Paginator(grids.order_by("community__code", "code"), self.per_page).get_page(
            request.GET.get("p")
        )
        week_starts = selectors.recent_week_starts(weeks=self.weeks)
        rows = selectors.visit_round_rows(grids=page.object_list, week_starts=week_starts)
        communities = selectors.community_list(actor=request.user).filter(
            pk__in=self.get_queryset(request).values("community_id")
        )
        context = {
            **self.admin_site.each_context(request),
            "title": _("每周走访完成情况"),
            "opts": self.model._meta,
            "week_starts": [{"monday": m, "iso": m.isocalendar()} for m in week_starts],
            "rows": rows,
            "page": page,
            "communities": communities,
            "selected_community": community,
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/grids/weekly_visit_round.html", context)
