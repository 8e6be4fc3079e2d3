"""The workers' admin for micro-projects: every change is a service call.

The project page edits the plan through `project_update_plan`; the stage buttons (start,
publish, close, cancel) open a small form whose submit calls the stage's service, and a refusal
comes back as a message. Money, members, milestones and updates show as read-only inlines (they
are written through the API and the services, never by editing rows). Money columns in the list
come from one annotated query.
"""

from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.scope import Level
from core.admin import ReadOnlyAdminMixin, ScopedModelAdmin, ServiceAdminMixin, ServiceModelForm
from core.exceptions import ApplicationError

from . import selectors, services
from .models import (
    BudgetLine,
    Evaluation,
    Expense,
    FundPool,
    Milestone,
    ProgressUpdate,
    Project,
    ProjectMember,
)


def _yuan(value):
    # Sums come back from SQLite without their scale ("2500"): always show cents.
    return f"{Decimal(value or 0):.2f}"


# ---------------------------------------------------------------------------------------------
# Read-only inlines


class ProjectChildInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("projects.view_project", obj)


class BudgetLineInline(ProjectChildInline):
    model = BudgetLine
    fields = ("source", "amount", "pool", "description", "created_by", "created_at")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("pool__community", "created_by")


class ExpenseInline(ProjectChildInline):
    model = Expense
    fields = ("budget_line", "amount", "spent_on", "payee", "description", "receipt", "recorded_by")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("budget_line", "recorded_by")


class MilestoneInline(ProjectChildInline):
    model = Milestone
    fields = ("title", "due_on", "done_at", "done_by")
    readonly_fields = fields


class ProjectMemberInline(ProjectChildInline):
    model = ProjectMember
    fields = ("resident", "user", "role", "joined_at")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("resident", "user")


class ProgressUpdateInline(ProjectChildInline):
    model = ProgressUpdate
    fields = ("created_at", "author", "text", "photo_count")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author").prefetch_related("photos")

    @admin.display(description=_("照片"))
    def photo_count(self, obj):
        return len(obj.photos.all())


# ---------------------------------------------------------------------------------------------
# Projects


class ProjectAdminForm(ServiceModelForm):
    class Meta:
        model = Project
        fields = ("title", "summary", "plan", "lead")

    def call_service(self):
        values = self.changed_values(self.Meta.fields)
        return services.project_update_plan(actor=self.actor, project=self.instance, **values)


class PublishForm(forms.Form):
    results = forms.CharField(
        label=_("实施成果"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("向居民公示的成果说明；账目随项目一并公示"),
    )
    review_days = forms.IntegerField(
        label=_("公示天数"),
        min_value=1,
        max_value=services.MAX_REVIEW_DAYS,
        initial=services.DEFAULT_REVIEW_DAYS,
        help_text=_("评价期天数，期满自动结项"),
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("取消原因"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("取消原因将在项目动态中向居民公开"),
    )


class StartForm(forms.Form):
    note = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CloseForm(forms.Form):
    pass


# name: (label, form, service)
STAGE_ACTIONS = {
    "start": (_("开始实施"), StartForm, services.project_start),
    "publish": (_("公示"), PublishForm, services.project_publish),
    "close": (_("结项"), CloseForm, services.project_close),
    "cancel": (_("取消项目"), CancelForm, services.project_cancel),
}


@admin.register(Project)
class ProjectAdmin(ServiceAdminMixin, ScopedModelAdmin):
    form = ProjectAdminForm
    list_display = (
        "title",
        "community",
        "grid",
        "stage",
        "budget_total_display",
        "fund_allocated_display",
        "spent_total_display",
        "satisfaction_score",
        "review_closes_at",
    )
    list_filter = ("stage",)
    search_fields = ("title",)
    list_select_related = ("community", "grid")
    fieldsets = (
        (None, {"fields": ("title", "summary", "plan", "lead")}),
        (
            _("阶段"),
            {
                "fields": (
                    "topic",
                    "community",
                    "grid",
                    "stage",
                    "planning_at",
                    "in_progress_at",
                    "published_at",
                    "review_opens_at",
                    "review_closes_at",
                    "closed_at",
                    "cancelled_at",
                    "cancelled_reason",
                )
            },
        ),
        (_("公示与评价"), {"fields": ("results", "satisfaction_score", "evaluations_count")}),
    )
    readonly_fields = (
        "topic",
        "community",
        "grid",
        "stage",
        "planning_at",
        "in_progress_at",
        "published_at",
        "review_opens_at",
        "review_closes_at",
        "closed_at",
        "cancelled_at",
        "cancelled_reason",
        "results",
        "satisfaction_score",
        "evaluations_count",
    )
    inlines = [
        BudgetLineInline,
        ExpenseInline,
        MilestoneInline,
        ProjectMemberInline,
        ProgressUpdateInline,
    ]
    change_form_template = "admin/projects/project/change_form.html"

    def get_queryset(self, request):
        return selectors.with_money(super().get_queryset(request)).select_related(
            "community", "grid", "topic", "lead"
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.stage not in services.OPEN_STAGES:
            return (*self.readonly_fields, "title", "summary", "plan", "lead")
        return self.readonly_fields

    @admin.display(description=_("预算合计"), ordering="budget_total")
    def budget_total_display(self, obj):
        return _yuan(obj.budget_total)

    @admin.display(description=_("专项资金"), ordering="fund_allocated")
    def fund_allocated_display(self, obj):
        return _yuan(obj.fund_allocated)

    @admin.display(description=_("已支出"), ordering="spent_total")
    def spent_total_display(self, obj):
        return _yuan(obj.spent_total)

    def get_urls(self):
        urls = [
            path(
                f"<path:object_id>/{name}/",
                self.admin_site.admin_view(self.stage_view),
                {"action": name},
                name=f"projects_project_{name}",
            )
            for name in STAGE_ACTIONS
        ]
        return urls + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        project = self.get_queryset(request).filter(pk=object_id).first()
        if project is not None:
            allowed = selectors.project_actions(actor=request.user, project=project)
            extra_context["stage_actions"] = [
                (name, label, reverse(f"admin:projects_project_{name}", args=[project.pk]))
                for name, (label, _form, _call) in STAGE_ACTIONS.items()
                if name in allowed
            ]
        return super().change_view(request, object_id, form_url, extra_context)

    def stage_view(self, request, object_id, action):
        project = self.get_queryset(request).filter(pk=object_id).first()
        if project is None:
            raise Http404
        if not request.user.has_perm("projects.manage_project", project):
            raise PermissionDenied
        label, form_class, call = STAGE_ACTIONS[action]
        change_url = reverse("admin:projects_project_change", args=[project.pk])
        form = form_class(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                call(actor=request.user, project=project, **form.cleaned_data)
            except ApplicationError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(
                    request,
                    gettext("已%(action)s：%(title)s") % {"action": label, "title": project.title},
                )
            return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "title": label,
            "opts": self.opts,
            "original": project,
            "form": form,
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/projects/project/stage_action.html", context)


# ---------------------------------------------------------------------------------------------
# Fund pools


class FundPoolAdminForm(ServiceModelForm):
    class Meta:
        model = FundPool
        fields = ("community", "year", "amount", "note")

    def _post_clean(self):
        # The model's own unique check would refuse a second save of an existing (community,
        # year); the service updates that row instead, so only the service decides.
        self.validate_unique = lambda: None
        super()._post_clean()

    def call_service(self):
        data = self.cleaned_data
        community = self.instance.community if self.instance.pk else data["community"]
        year = self.instance.year if self.instance.pk else data["year"]
        return services.fund_pool_set(
            actor=self.actor,
            community=community,
            year=year,
            amount=data["amount"],
            note=data.get("note", ""),
        )


@admin.register(FundPool)
class FundPoolAdmin(ServiceAdminMixin, ScopedModelAdmin):
    form = FundPoolAdminForm
    list_display = ("community", "year", "amount", "allocated_display", "remaining_display")
    list_filter = ("year",)
    list_select_related = ("community",)

    def get_queryset(self, request):
        return selectors.fund_pool_queryset(actor=request.user)

    def get_readonly_fields(self, request, obj=None):
        return ("community", "year") if obj is not None else ()

    @admin.display(description=_("已分配"), ordering="allocated")
    def allocated_display(self, obj):
        return _yuan(obj.allocated)

    @admin.display(description=_("余额"), ordering="remaining")
    def remaining_display(self, obj):
        return _yuan(obj.remaining)

    def delete_model(self, request, obj):
        raise PermissionDenied


# ---------------------------------------------------------------------------------------------
# Evaluations


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyAdminMixin, ScopedModelAdmin):
    scope_level = Level.PEOPLE
    list_display = ("project", "user", "rating", "comment", "created_at")
    list_filter = ("rating",)
    list_select_related = ("project", "user")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("projects.view_evaluation", obj)
