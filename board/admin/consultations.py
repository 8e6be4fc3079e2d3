"""Admin of consultations and polls: the draft with its questions (options one per line),
publish, cancel with a reason, paper answers for offline residents, results and turnout on
the page, Excel export; answer sheets for people-level staff. Every save and action goes
through board.services; the rows are the selectors' (board.scope)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.scope import Level, actor_scope
from core.admin import ScopedModelAdmin, ServiceAdminMixin, ServiceModelForm
from core.exceptions import ApplicationError
from residents.models import Resident

from .. import exports, selectors, services
from ..apis._base import xlsx_response
from ..models import Consultation, ConsultationEvent, Question, Response
from ..models.common import target_label
from ..services.consultations import DRAFT_UPDATABLE
from ._common import ReadOnlyInline, reason_action, run_per_row
from .forms import PaperResponseForm, QuestionForm, QuestionFormSet

FORM_FIELDS = (
    "audience",
    "community",
    "compound",
    "building",
    "kind",
    "title",
    "description",
    "opens_at",
    "closes_at",
    "one_per",
    "results_visibility",
)


class ConsultationAdminForm(ServiceModelForm):
    class Meta:
        model = Consultation
        fields = FORM_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "community" in self.fields:
            # Follows from the compound or building when the audience is narrower.
            self.fields["community"].required = False
            self.fields["community"].help_text = _("参与范围为居民区时选择")

    def _get_validation_exclusions(self):
        # The target's consistency (audience ↔ unit) is the service's check, made once the
        # street and community are derived from the unit; the model's check would see them
        # still empty.
        return super()._get_validation_exclusions() | {"audience", "community", "street"}

    def call_service(self):
        if self.instance.pk:
            changes = self.changed_values(DRAFT_UPDATABLE)
            if not changes:
                return self.instance
            return services.consultation_update(
                actor=self.actor, consultation=self.instance, **changes
            )
        data = {name: self.cleaned_data.get(name) for name in FORM_FIELDS}
        data["description"] = data["description"] or ""
        return services.consultation_create(actor=self.actor, **data)


class QuestionInline(admin.StackedInline):
    model = Question
    form = QuestionForm
    formset = QuestionFormSet
    extra = 1
    fields = ("kind", "text", "options_text", "required", "max_choices", "max_length")
    verbose_name_plural = _("问题（草稿可修改；保存时按顺序整体替换）")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("options").order_by("position")

    def _editable(self, request, obj):
        if obj is None:
            return request.user.has_perm("board.add_consultation")
        return obj.status == Consultation.Status.DRAFT and request.user.has_perm(
            "board.change_consultation", obj
        )

    def get_extra(self, request, obj=None, **kwargs):
        return 1 if self._editable(request, obj) else 0

    def has_view_permission(self, request, obj=None):
        return True

    def has_add_permission(self, request, obj=None):
        return self._editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return obj is not None and self._editable(request, obj)


class EventInline(ReadOnlyInline):
    model = ConsultationEvent
    fields = ("at", "actor_label", "verb", "from_state", "to_state", "note")
    readonly_fields = fields
    verbose_name_plural = _("意见征询动态")


# ---------------------------------------------------------------------------------------------
# The consultation


@admin.register(Consultation)
class ConsultationAdmin(ServiceAdminMixin, ScopedModelAdmin):
    form = ConsultationAdminForm
    list_display = (
        "title",
        "kind",
        "target",
        "phase_label",
        "one_per",
        "opens_at",
        "closes_at",
        "response_count",
    )
    list_filter = ("status", "kind", "one_per", "results_visibility")
    search_fields = ("title",)
    inlines = [QuestionInline, EventInline]
    readonly_fields = (
        "status",
        "published_at",
        "cancelled_at",
        "cancel_reason",
        "results",
    )
    actions = ["publish_selected", "cancel_selected", "export_selected"]
    change_form_template = "admin/board/consultation/change_form.html"

    def get_queryset(self, request):
        return selectors.consultation_queryset(actor=request.user)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return [f for f in self.readonly_fields if f != "results"]
        if obj.status == Consultation.Status.DRAFT:
            return self.readonly_fields
        return (*self.readonly_fields, *FORM_FIELDS)

    @admin.display(description=_("参与范围"))
    def target(self, obj):
        return target_label(obj)

    @admin.display(description=_("当前状态"))
    def phase_label(self, obj):
        return obj.phase().label

    @admin.display(description=_("已参与"), ordering="response_count")
    def response_count(self, obj):
        return obj.response_count

    @admin.display(description=_("结果与参与率"))
    def results(self, obj):
        if obj is None or obj.pk is None or obj.status == Consultation.Status.DRAFT:
            return "—"
        return render_to_string(
            "admin/board/consultation/results.html",
            {"results": selectors.consultation_results(obj), "consultation": obj},
        )

    def save_formset(self, request, form, formset, change):
        if formset.model is not Question:
            return super().save_formset(request, form, formset, change)
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if not formset.has_changed():
            return None
        try:
            services.consultation_questions_set(
                actor=request.user,
                consultation=form.instance,
                questions=[f.as_question() for f in formset.live_forms()],
            )
        except ApplicationError as exc:
            # The formset ran the same checks; only a race (published meanwhile) gets here.
            raise PermissionDenied(exc.message) from exc
        return None

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_queryset(request).filter(pk=object_id).first()
        user = request.user
        extra_context = {
            **(extra_context or {}),
            "show_paper": obj is not None
            and obj.phase() == Consultation.Phase.OPEN
            and user.has_perm("board.enter_paper_response", obj),
            "show_export": obj is not None
            and obj.status != Consultation.Status.DRAFT
            and user.has_perm("board.export_consultation", obj),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        return [
            path(
                "<int:pk>/paper/",
                self.admin_site.admin_view(self.paper_view),
                name="board_consultation_paper",
            ),
            path(
                "<int:pk>/export/",
                self.admin_site.admin_view(self.export_view),
                name="board_consultation_export",
            ),
            *super().get_urls(),
        ]

    def _consultation(self, request, pk):
        obj = (
            self.get_queryset(request).prefetch_related("questions__options").filter(pk=pk).first()
        )
        if obj is None:
            raise Http404
        return obj

    def paper_view(self, request, pk):
        consultation = self._consultation(request, pk)
        if not request.user.has_perm("board.enter_paper_response", consultation):
            raise PermissionDenied
        data = request.POST if request.method == "POST" else None
        form = PaperResponseForm(data, consultation=consultation, user=request.user)
        if data is not None and form.is_valid():
            try:
                services.consultation_paper_response(
                    actor=request.user,
                    consultation=consultation,
                    resident=form.cleaned_data["resident"],
                    answers=form.answers(),
                    note=form.cleaned_data["note"],
                )
            except ApplicationError as exc:
                self._form_errors(form, exc)
            else:
                self.message_user(
                    request,
                    gettext("已录入 %(name)s 的纸质答卷。")
                    % {"name": form.cleaned_data["resident"].name},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse("admin:board_consultation_paper", args=[consultation.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": consultation,
            "title": gettext("录入纸质答卷"),
            "intro": gettext(
                "为不使用手机的居民录入纸质答卷；答卷记录录入人。每人（按户时每户）只能提交一次。"
            ),
            "form": form,
        }
        return TemplateResponse(request, "admin/board/form_page.html", context)

    @staticmethod
    def _form_errors(form, exc):
        placed = False
        for key, reasons in exc.fields.items():
            name = "q" + key.split(".", 1)[1] if key.startswith("answers.") else key
            if name in form.fields:
                form.add_error(name, reasons)
                placed = True
        if not placed:
            form.add_error(None, exc.message)

    def export_view(self, request, pk):
        consultation = self._consultation(request, pk)
        if not request.user.has_perm("board.export_consultation", consultation):
            raise PermissionDenied
        return self._export(request, consultation)

    def _export(self, request, consultation):
        respondents = None
        if request.user.has_perm("board.view_responses_consultation", consultation):
            respondents = selectors.response_list(actor=request.user, consultation=consultation)
        content = exports.consultation_xlsx(consultation, respondents=respondents)
        return xlsx_response(content, f"consultation-{consultation.pk}.xlsx")

    @admin.action(description=_("发布所选意见征询"), permissions=["change"])
    def publish_selected(self, request, queryset):
        run_per_row(
            self,
            request,
            queryset,
            lambda c: services.consultation_publish(actor=request.user, consultation=c),
            gettext("已发布 %(n)s 项意见征询。"),
        )

    @admin.action(description=_("取消所选意见征询（须填写原因）"), permissions=["change"])
    def cancel_selected(self, request, queryset):
        return reason_action(
            self,
            request,
            queryset,
            title=gettext("取消意见征询"),
            call=lambda c, reason: services.consultation_cancel(
                actor=request.user, consultation=c, reason=reason
            ),
            done_message=gettext("已取消 %(n)s 项意见征询。"),
        )

    @admin.action(description=_("导出所选意见征询的结果（Excel）"), permissions=["view"])
    def export_selected(self, request, queryset):
        chosen = [
            c
            for c in queryset
            if c.status != Consultation.Status.DRAFT
            and request.user.has_perm("board.export_consultation", c)
        ]
        if len(chosen) != 1:
            self.message_user(
                request, gettext("请选择一项已发布的意见征询导出。"), messages.WARNING
            )
            return None
        return self._export(request, chosen[0])


@admin.register(Response)
class ResponseAdmin(ScopedModelAdmin):
    """Who answered (people-level staff, their own residents only). Sheets are written by
    residents online or by the paper-answer page, never edited here."""

    list_display = ("consultation", "resident", "channel", "entered_by", "submitted_at")
    list_filter = ("channel",)
    search_fields = ("resident__name", "consultation__title")
    readonly_fields = (
        "consultation",
        "resident",
        "household",
        "user",
        "channel",
        "entered_by",
        "paper_note",
        "submitted_at",
    )
    fields = readonly_fields

    def get_queryset(self, request):
        residents = actor_scope(request.user).filter(Resident.objects.all(), Level.PEOPLE)
        consultations = selectors.consultation_queryset(actor=request.user)
        return Response.objects.filter(
            consultation__in=consultations.values("pk"), resident__in=residents
        ).select_related("consultation", "resident", "entered_by")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
