"""Admin of dispute cases: intake through the service, the case file (opening its page writes
the access log; the signed agreement through a logged download view), each workflow step as a
button on the case's page (disputes.admin.steps) and as actions over selected rows, and the
access log for street admins. Rows: the cases the user may read (their people scope, or owned /
mediated)."""

from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import ReadOnlyAdminMixin, ScopedModelAdmin, ServiceAdminMixin, ServiceModelForm
from volunteers.admin.common import reason_action, run_per_row

from .. import selectors, services
from ..apis.cases import actions_for, agreement_response
from ..models import (
    DisputeAccessLog,
    DisputeCase,
    DisputeSetting,
)
from .inlines import EventInline, MediatorInline, PartyInline, SessionInline
from .steps import STEPS, step_page

OPEN_FIELDS = (
    "community",
    "grid",
    "category",
    "risk_level",
    "summary",
    "source",
    "sweep",
    "reception",
    "visit",
    "topic",
    "referral_from",
)


class CaseOpenForm(ServiceModelForm):
    class Meta:
        model = DisputeCase
        fields = OPEN_FIELDS

    def call_service(self):
        return services.case_open(
            actor=self.actor, **{name: self.cleaned_data.get(name) for name in OPEN_FIELDS}
        )


class AssignForm(forms.Form):
    owner = forms.ModelChoiceField(queryset=None, label=_("包案人"))

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners


def _owner_choices(user):
    """Staff who hold a people-level role in the actor's communities (the service checks the
    case's own community)."""
    from accounts.models import Role, RoleAssignment
    from accounts.models import User as UserModel
    from accounts.scope import actor_scope

    scope = actor_scope(user)
    roles = RoleAssignment.objects.active()
    if not scope.is_global:
        from django.db.models import Q

        roles = roles.filter(
            Q(role=Role.COMMUNITY_WORKER, community_id__in=scope.people_community_ids)
            | Q(role=Role.STREET_ADMIN, street_id__in=scope.people_street_ids)
        )
    return UserModel.objects.filter(pk__in=roles.values("user_id"), is_active=True).order_by(
        "real_name", "pk"
    )


def _client_ip(request):
    return request.META.get("REMOTE_ADDR") or None


@admin.register(DisputeCase)
class DisputeCaseAdmin(ServiceAdminMixin, ScopedModelAdmin):
    form = CaseOpenForm
    change_form_template = "admin/disputes/disputecase/change_form.html"
    list_display = (
        "__str__",
        "community",
        "grid",
        "category",
        "risk_level",
        "status",
        "owner",
        "followup_due_at",
    )
    list_filter = ("status", "category", "risk_level", "outcome")
    list_select_related = ("community", "grid", "owner")
    ordering = ("-created_at",)
    actions = ["close_cases", "cancel_cases", "record_followups", "assign_owner", "export_cases"]
    readonly_fields = (
        "status",
        "owner",
        "assigned_at",
        "outcome",
        "outcome_note",
        "referred_to_kind",
        "referred_to",
        "agreement_link",
        "outcome_at",
        "followup_due_at",
        "followup_at",
        "followup_note",
        "followup_on_time",
        "closed_at",
        "cancelled_at",
        "cancel_reason",
    )

    def get_queryset(self, request):
        # Not the plain scope filter: owners and mediators read their cases too.
        return DisputeCase.objects.filter(selectors.case_visibility_q(request.user))

    def get_inlines(self, request, obj):
        return [PartyInline, MediatorInline, SessionInline, EventInline] if obj else []

    def get_fields(self, request, obj=None):
        if obj is None:
            return OPEN_FIELDS
        return (*OPEN_FIELDS, *self.readonly_fields)

    def get_readonly_fields(self, request, obj=None):
        # An opened case changes only through its steps (the actions and the API).
        return (*OPEN_FIELDS, *self.readonly_fields) if obj else ()

    def has_change_permission(self, request, obj=None):
        # The page is viewable; nothing on it is saved directly.
        return obj is None and super().has_change_permission(request, obj)

    @admin.display(description=_("调解协议书"))
    def agreement_link(self, obj):
        if not obj.agreement_file:
            return "—"
        url = reverse("admin:disputes_disputecase_agreement", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("下载（将记录查阅）"))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        steps = []
        if obj is not None and request.method == "GET" and self.has_view_permission(request, obj):
            services.access_log_write(
                actor=request.user,
                case=obj,
                action=DisputeAccessLog.Action.VIEW,
                channel=DisputeAccessLog.Channel.ADMIN,
                ip=_client_ip(request),
            )
            steps = [
                (reverse("admin:disputes_disputecase_step", args=[obj.pk, step]), STEPS[step][0])
                for step in actions_for(request.user, obj)
                if step in STEPS
            ]
        extra_context = {**(extra_context or {}), "case_steps": steps}
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        return [
            path(
                "<int:pk>/step/<str:step>/",
                self.admin_site.admin_view(self.step_view),
                name="disputes_disputecase_step",
            ),
            path(
                "<int:pk>/agreement/",
                self.admin_site.admin_view(self.agreement_view),
                name="disputes_disputecase_agreement",
            ),
            *super().get_urls(),
        ]

    def _case(self, request, pk):
        case = self.get_queryset(request).select_related("community").filter(pk=pk).first()
        if case is None:
            raise Http404
        return case

    def step_view(self, request, pk, step):
        """One workflow step of one case (a button on its page): 404 when the case is not the
        user's to read, 403 when the step is not a legal move or not theirs to make."""
        case = self._case(request, pk)
        if step not in STEPS:
            raise Http404
        if step not in actions_for(request.user, case):
            raise PermissionDenied
        back_url = reverse("admin:disputes_disputecase_change", args=[case.pk])
        return step_page(self, request, case, step, back_url=back_url)

    def agreement_view(self, request, pk):
        """The signed agreement, streamed by the permission-checked view; the read is logged."""
        case = self._case(request, pk)
        if not request.user.has_perm("disputes.view_case_file", case):
            raise PermissionDenied
        if not case.agreement_file:
            raise Http404
        services.access_log_write(
            actor=request.user,
            case=case,
            action=DisputeAccessLog.Action.DOWNLOAD,
            channel=DisputeAccessLog.Channel.ADMIN,
            ip=_client_ip(request),
        )
        return agreement_response(case)

    def _done(self, singular, plural):
        return lambda n: ngettext(singular, plural, n) % {"n": n}

    @admin.action(description=_("结案（已回访）"))
    def close_cases(self, request, queryset):
        run_per_row(
            self,
            request,
            queryset,
            lambda case: services.case_close(actor=request.user, case=case),
            self._done("已结案 %(n)d 件。", "已结案 %(n)d 件。"),
        )

    @admin.action(description=_("撤销（仅待受理，须填原因）"))
    def cancel_cases(self, request, queryset):
        return reason_action(
            self,
            request,
            queryset,
            title=_("撤销矛盾纠纷案件"),
            intro=_("仅待受理的案件可以撤销（如重复登记、登记有误）。"),
            label=_("撤销原因"),
            call=lambda case, reason: services.case_cancel(
                actor=request.user, case=case, reason=reason
            ),
            done_message=self._done("已撤销 %(n)d 件。", "已撤销 %(n)d 件。"),
            back_url=".",
        )

    @admin.action(description=_("导出 Excel（记入查阅记录）"))
    def export_cases(self, request, queryset):
        from django.http import HttpResponse

        from ..exports import XLSX_CONTENT_TYPE, cases_xlsx

        cases = [
            c
            for c in queryset.select_related("community", "owner").prefetch_related(
                "parties__resident"
            )
            if request.user.has_perm("disputes.view_case_file", c)
        ]
        services.access_log_export(
            actor=request.user,
            cases=cases,
            channel=DisputeAccessLog.Channel.ADMIN,
            ip=_client_ip(request),
        )
        response = HttpResponse(cases_xlsx(cases), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = "attachment; filename=disputes.xlsx"
        return response

    @admin.action(description=_("指定包案人"))
    def assign_owner(self, request, queryset):
        from django.template.response import TemplateResponse

        form = AssignForm(
            request.POST if "apply" in request.POST else None,
            owners=_owner_choices(request.user),
        )
        if form.is_bound and form.is_valid():
            owner = form.cleaned_data["owner"]
            run_per_row(
                self,
                request,
                queryset,
                lambda case: services.case_assign(actor=request.user, case=case, owner=owner),
                self._done("已指定包案人 %(n)d 件。", "已指定包案人 %(n)d 件。"),
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("指定包案人"),
            "form": form,
            "objects": list(queryset),
            "action_name": request.POST.get("action"),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "back_url": ".",
            "intro": _("包案人须为该居民区的社区工作者或街道管理员；首次指定后案件进入调解。"),
        }
        return TemplateResponse(request, "admin/volunteers/reason_form.html", context)

    @admin.action(description=_("登记回访"))
    def record_followups(self, request, queryset):
        return reason_action(
            self,
            request,
            queryset,
            title=_("登记回访"),
            intro=_("待回访的案件：填写回访情况。"),
            label=_("回访情况"),
            call=lambda case, note: services.case_record_followup(
                actor=request.user, case=case, note=note
            ),
            done_message=self._done("已登记回访 %(n)d 件。", "已登记回访 %(n)d 件。"),
            back_url=".",
        )


@admin.register(DisputeAccessLog)
class DisputeAccessLogAdmin(ReadOnlyAdminMixin, ScopedModelAdmin):
    """Street admins read who opened which case file, when and how."""

    list_display = ("at", "user", "case_number", "community", "action", "channel", "ip_address")
    list_filter = ("action", "channel")
    list_select_related = ("user", "community")
    search_fields = ("case_number",)

    def get_queryset(self, request):
        from accounts.scope import actor_scope

        scope = actor_scope(request.user)
        qs = super().get_queryset(request)
        if scope.is_global:
            return qs
        return qs.filter(community__street_id__in=scope.street_ids)


class DisputeSettingForm(ServiceModelForm):
    class Meta:
        model = DisputeSetting
        fields = ("street", "followup_days")

    def call_service(self):
        return services.setting_save(
            actor=self.actor,
            street=self.cleaned_data["street"],
            followup_days=self.cleaned_data["followup_days"],
        )


@admin.register(DisputeSetting)
class DisputeSettingAdmin(ServiceAdminMixin, ScopedModelAdmin):
    form = DisputeSettingForm
    list_display = ("street", "followup_days")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.base_fields["street"].queryset = form.base_fields["street"].queryset.filter(
            pk__in=_admin_streets(request.user)
        )
        return form

    def get_queryset(self, request):
        qs = DisputeSetting.objects.all()
        from accounts.scope import actor_scope

        if actor_scope(request.user).is_global:
            return qs
        return qs.filter(street_id__in=_admin_streets(request.user))


def _admin_streets(user):
    from accounts.scope import actor_scope
    from grids.models import Street

    scope = actor_scope(user)
    if scope.is_global:
        return Street.objects.values("pk")
    return list(scope.street_ids)
