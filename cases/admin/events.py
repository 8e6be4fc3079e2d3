"""Admin of grid events: the inbox (due soonest first, overdue flagged), filing, and every
step of the workflow as actions over selected rows and as buttons on an event's page, each
calling one cases.services function. Rows come from cases.scope (department staff see only
their department's events)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.scope import Level, actor_scope
from core.admin import ScopedModelAdmin, ServiceAdminMixin, ServiceModelForm
from core.exceptions import ApplicationError
from grids.models import Building, MicroGrid

from .. import selectors, services
from ..apis.events import event_actions
from ..models import EventPhoto, GridEvent, GridEventStep
from ..scope import event_q
from ..validators import validate_photo
from ._common import ReadOnlyInline, ReasonForm, form_action, form_view, run_per_row


class FileForm(ServiceModelForm):
    photo = forms.FileField(
        label=_("现场照片"),
        required=False,
        validators=[validate_photo],
        help_text=_("JPG、PNG、GIF 或 WEBP，不超过 8 MB；更多照片可在手机页面上传"),
    )

    class Meta:
        model = GridEvent
        fields = ("grid", "building", "category", "description", "location")

    def _get_validation_exclusions(self):
        # community, filed_at and filed_by are set by the service.
        return super()._get_validation_exclusions() | {"community", "filed_by", "filed_at"}

    def call_service(self):
        photo = self.cleaned_data.get("photo")
        return services.grid_event_file(
            actor=self.actor,
            grid=self.cleaned_data["grid"],
            building=self.cleaned_data.get("building"),
            category=self.cleaned_data["category"],
            description=self.cleaned_data["description"],
            location=self.cleaned_data.get("location", ""),
            photos=[photo] if photo else [],
        )


class DispatchForm(forms.Form):
    department = forms.ModelChoiceField(
        label=_("处置部门"),
        queryset=None,
        required=False,
        help_text=_("不选则派往事件类别的默认部门；处置时限=派单时间+类别时限"),
    )

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = selectors.department_queryset(actor=actor).filter(
            is_active=True
        )


class HandleForm(forms.Form):
    note = forms.CharField(
        label=_("处置情况"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4, "cols": 60})
    )
    photo = forms.FileField(
        label=_("处置后照片"),
        validators=[validate_photo],
        help_text=_("必填；JPG、PNG、GIF 或 WEBP，不超过 8 MB"),
    )


class CheckPassForm(forms.Form):
    note = forms.CharField(label=_("核查说明"), max_length=200, required=False)


class OverdueFilter(admin.SimpleListFilter):
    title = _("超时")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return (("yes", _("已超时")), ("no", _("未超时")))

    def queryset(self, request, queryset):
        overdue = GridEvent.objects.overdue(now=timezone.now()).values("pk")
        if self.value() == "yes":
            return queryset.filter(pk__in=overdue)
        if self.value() == "no":
            return queryset.exclude(pk__in=overdue)
        return queryset


class PhotoInline(ReadOnlyInline):
    model = EventPhoto
    fields = ("stage", "file", "created_at")
    readonly_fields = fields
    verbose_name_plural = _("照片")


class StepInline(ReadOnlyInline):
    model = GridEventStep
    fields = ("at", "actor_label", "verb", "from_state", "to_state", "note", "is_public")
    readonly_fields = fields
    verbose_name_plural = _("事件进展")


# button name → (title, permission, form class or None, service call)
STEPS = {
    "dispatch": (_("派单"), DispatchForm),
    "accept": (_("受理"), None),
    "return": (_("退回"), ReasonForm),
    "handle": (_("处置完毕"), HandleForm),
    "check-pass": (_("核查通过并办结"), CheckPassForm),
    "check-fail": (_("核查不通过"), ReasonForm),
    "cancel": (_("撤销"), ReasonForm),
}


def _call(step, actor, event, data):
    s = services
    if step == "dispatch":
        return s.grid_event_dispatch(actor=actor, event=event, department=data.get("department"))
    if step == "accept":
        return s.grid_event_accept(actor=actor, event=event)
    if step == "return":
        return s.grid_event_return(actor=actor, event=event, reason=data["reason"])
    if step == "handle":
        return s.grid_event_handle(
            actor=actor, event=event, note=data["note"], photos=[data["photo"]]
        )
    if step == "check-pass":
        return s.grid_event_check_pass(actor=actor, event=event, note=data.get("note", ""))
    if step == "check-fail":
        return s.grid_event_check_fail(actor=actor, event=event, reason=data["reason"])
    return s.grid_event_cancel(actor=actor, event=event, reason=data["reason"])


@admin.register(GridEvent)
class GridEventAdmin(ServiceAdminMixin, ScopedModelAdmin):
    form = FileForm
    list_display = (
        "id",
        "category",
        "community",
        "grid",
        "state",
        "department",
        "due_at",
        "overdue_flag",
        "filed_at",
    )
    list_display_links = ("id", "category")
    list_filter = ("state", OverdueFilter, "source", "category", "department")
    search_fields = ("description", "location")
    list_select_related = ("category", "community", "grid", "department")
    inlines = [PhotoInline, StepInline]
    readonly_fields = (
        "state",
        "source",
        "community",
        "filed_by",
        "filed_at",
        "patrol_problem",
        "visit",
        "topic",
        "department",
        "dispatched_at",
        "due_at",
        "accepted_at",
        "returned_at",
        "return_reason",
        "returned_count",
        "handled_at",
        "handled_note",
        "handled_on_time",
        "checked_at",
        "checked_by",
        "reopened_count",
        "closed_at",
        "cleared_within_week",
        "cancelled_at",
        "cancel_reason",
    )
    actions = [
        "dispatch_selected",
        "accept_selected",
        "return_selected",
        "check_pass_selected",
        "check_fail_selected",
        "cancel_selected",
    ]
    change_form_template = "admin/cases/gridevent/change_form.html"

    def get_queryset(self, request):
        qs = GridEvent.objects.filter(event_q(request.user))
        return qs.select_related("category", "community", "grid", "department").due_first()

    def get_ordering(self, request):
        return ()  # the inbox order of the queryset: due soonest first

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("grid", "building", "category", "description", "location", "photo")
        return ("grid", "building", "category", "description", "location", *self.readonly_fields)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return ("grid", "building", "category", "description", "location", *self.readonly_fields)

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def has_add_permission(self, request):
        return request.user.has_perm("cases.add_gridevent")

    def has_change_permission(self, request, obj=None):
        # Nothing is edited in place; the steps are the buttons and actions.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        scope = actor_scope(request.user)
        if db_field.name == "grid":
            field.queryset = scope.filter(MicroGrid.objects.all(), Level.PEOPLE)
        elif db_field.name == "building":
            field.queryset = scope.filter(Building.objects.all(), Level.PEOPLE)
        elif db_field.name == "category":
            field.queryset = selectors.category_queryset(actor=request.user).filter(is_active=True)
        return field

    @admin.display(description=_("超时"), boolean=False)
    def overdue_flag(self, obj):
        if obj.is_overdue(timezone.now()):
            return format_html('<strong style="color:#b00020">{}</strong>', gettext("已超时"))
        return ""

    # --- buttons on one event's page -----------------------------------------------------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        event = self.get_queryset(request).filter(pk=object_id).first()
        steps = []
        if event is not None:
            for step in event_actions(request.user, event):
                steps.append(
                    (reverse("admin:cases_gridevent_step", args=[event.pk, step]), STEPS[step][0])
                )
        extra_context = {**(extra_context or {}), "event_steps": steps}
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        return [
            path(
                "<int:pk>/step/<str:step>/",
                self.admin_site.admin_view(self.step_view),
                name="cases_gridevent_step",
            ),
            *super().get_urls(),
        ]

    def step_view(self, request, pk, step):
        event = self.get_queryset(request).filter(pk=pk).first()
        if event is None or step not in STEPS:
            raise Http404
        if step not in event_actions(request.user, event):
            raise PermissionDenied
        title, form_class = STEPS[step]
        back_url = reverse("admin:cases_gridevent_change", args=[event.pk])
        if form_class is None:
            if request.method != "POST":
                return HttpResponseRedirect(back_url)
            try:
                _call(step, request.user, event, {})
            except ApplicationError as exc:
                self.message_user(request, exc.message, level="warning")
            else:
                self.message_user(request, gettext("已%(step)s。") % {"step": title})
            return HttpResponseRedirect(back_url)
        data = (request.POST, request.FILES) if request.method == "POST" else ()
        kwargs = {"actor": request.user} if form_class is DispatchForm else {}
        form = form_class(*data, **kwargs)
        return form_view(
            self,
            request,
            event,
            form=form,
            title=title,
            call=lambda obj, cleaned: _call(step, request.user, obj, cleaned),
            done_message=gettext("已%(step)s。") % {"step": title},
            back_url=back_url,
        )

    # --- actions over selected rows ------------------------------------------------------

    def _changelist(self):
        return reverse("admin:cases_gridevent_changelist")

    @admin.action(description=_("派往类别的默认部门"))
    def dispatch_selected(self, request, queryset):
        run_per_row(
            self,
            request,
            queryset,
            lambda e: services.grid_event_dispatch(actor=request.user, event=e),
            gettext("已派单 %(n)s 件。"),
        )

    @admin.action(description=_("受理所选事件"))
    def accept_selected(self, request, queryset):
        run_per_row(
            self,
            request,
            queryset,
            lambda e: services.grid_event_accept(actor=request.user, event=e),
            gettext("已受理 %(n)s 件。"),
        )

    def _reason_action(self, request, queryset, title, call, done):
        return form_action(
            self,
            request,
            queryset,
            form_class=ReasonForm,
            title=title,
            call=lambda e, data: call(actor=request.user, event=e, reason=data["reason"]),
            done_message=done,
            back_url=self._changelist(),
        )

    @admin.action(description=_("退回所选事件（须填写原因）"))
    def return_selected(self, request, queryset):
        return self._reason_action(
            request,
            queryset,
            gettext("退回"),
            services.grid_event_return,
            gettext("已退回 %(n)s 件。"),
        )

    @admin.action(description=_("核查通过并办结"))
    def check_pass_selected(self, request, queryset):
        run_per_row(
            self,
            request,
            queryset,
            lambda e: services.grid_event_check_pass(actor=request.user, event=e),
            gettext("已办结 %(n)s 件。"),
        )

    @admin.action(description=_("核查不通过，发回重新处置（须填写原因）"))
    def check_fail_selected(self, request, queryset):
        return self._reason_action(
            request,
            queryset,
            gettext("核查不通过"),
            services.grid_event_check_fail,
            gettext("已发回重新处置 %(n)s 件。"),
        )

    @admin.action(description=_("撤销所选事件（须填写原因）"))
    def cancel_selected(self, request, queryset):
        return self._reason_action(
            request,
            queryset,
            gettext("撤销"),
            services.grid_event_cancel,
            gettext("已撤销 %(n)s 件。"),
        )
