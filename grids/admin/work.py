"""Grid work in the admin: places, resources, the four ones, the weekly patrol and its
problems, and the weekly visit-round table."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from accounts.scope import Level
from core.admin import ScopedModelAdmin
from core.exceptions import ApplicationError

from .. import selectors, services
from ..models import (
    DiaryEntry,
    GridPlace,
    GridResource,
    Pairing,
    PatrolProblem,
    PatrolRecord,
    PracticalDeed,
    VisitRecord,
    WeeklyVisitRound,
)
from .base import (
    ServiceInline,
    ServiceModelAdmin,
)


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
