"""Admin of the lists: create through the service, the mark-items page (by number), submit,
close and export actions; items inline, read-only."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from accounts.scope import actor_scope
from cases.models import GridEvent
from core.admin import ScopedModelAdmin, ServiceAdminMixin, ServiceModelForm
from core.exceptions import ApplicationError
from grids.models import Street
from proposals.models import Topic

from .. import exports, selectors, services
from ..models import ReportItem, UpwardReport
from ._common import ReadOnlyInline, _add_service_error, _render, run_per_row


class ReportAdminForm(ServiceModelForm):
    class Meta:
        model = UpwardReport
        fields = ("street", "kind", "year", "title")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "title" in self.fields:
            self.fields["title"].required = False
            self.fields["title"].help_text = _("留空则自动生成，如“某街道 2026年年度政府实事项目”")
        if "street" in self.fields:
            scope = actor_scope(self.actor)
            if not scope.is_global:
                self.fields["street"].queryset = Street.objects.filter(pk__in=scope.street_ids)

    def _get_validation_exclusions(self):
        # One list per street, kind and year: the service answers that (a 409 message).
        return super()._get_validation_exclusions() | {"street", "kind", "year"}

    def validate_unique(self):
        """Checked by the service."""

    def call_service(self):
        data = self.cleaned_data
        return services.report_create(
            actor=self.actor,
            street=data["street"],
            kind=data["kind"],
            year=data["year"],
            title=data.get("title", ""),
        )


class ItemInline(ReadOnlyInline):
    model = ReportItem
    fields = (
        "position",
        "source_label",
        "number_label",
        "community",
        "summary",
        "beyond_reason",
        "status",
        "progress",
    )
    readonly_fields = fields
    verbose_name_plural = _("清单事项")

    def get_queryset(self, request):
        return selectors.item_queryset(request.user)

    @admin.display(description=_("来源"))
    def source_label(self, item):
        return item.source_display

    @admin.display(description=_("编号"))
    def number_label(self, item):
        return item.number

    @admin.display(description=_("进展/结果"))
    def progress(self, item):
        return exports.item_progress(item)


class MarkForm(forms.Form):
    topic_number = forms.IntegerField(
        label=_("议题编号"), required=False, min_value=1, help_text=_("议题的编号（数字）")
    )
    grid_event_number = forms.IntegerField(
        label=_("网格事件编号"),
        required=False,
        min_value=1,
        help_text=_("网格事件的编号（数字）；议题与网格事件二选一"),
    )
    summary = forms.CharField(
        label=_("摘要"),
        max_length=services.MAX_SUMMARY,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("写入报告的事项摘要，不写居民姓名、电话"),
    )
    beyond_reason = forms.CharField(
        label=_("超出社区能力的原因"),
        max_length=services.MAX_SUMMARY,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
    )

    def __init__(self, *args, report, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.report, self.actor = report, actor

    def clean(self):
        data = super().clean()
        topic_pk, event_pk = data.get("topic_number"), data.get("grid_event_number")
        if self.errors:
            return data
        if (topic_pk is None) == (event_pk is None):
            raise forms.ValidationError(_("请填写一个议题编号或一个网格事件编号（只能填一个）。"))
        scope = actor_scope(self.actor)
        # Only the street's rows within the admin's scope exist here.
        if topic_pk is not None:
            topic = scope.filter(Topic.objects.all()).filter(pk=topic_pk).first()
            if topic is None:
                self.add_error("topic_number", _("本街道没有这个编号的议题。"))
            data["topic"] = topic
        else:
            event = scope.filter(GridEvent.objects.all()).filter(pk=event_pk).first()
            if event is None:
                self.add_error("grid_event_number", _("本街道没有这个编号的网格事件。"))
            data["grid_event"] = event
        return data


@admin.register(UpwardReport)
class UpwardReportAdmin(ServiceAdminMixin, ScopedModelAdmin):
    form = ReportAdminForm
    list_display = (
        "title",
        "street",
        "kind",
        "year",
        "status",
        "item_count",
        "accepted_count",
        "done_count",
        "submitted_at",
    )
    list_filter = ("kind", "year", "status")
    search_fields = ("title",)
    inlines = [ItemInline]
    actions = ["submit_selected", "close_selected", "export_selected"]
    change_form_template = "admin/reporting/upwardreport/change_form.html"

    def get_queryset(self, request):
        return selectors._with_counts(selectors.report_queryset(request.user), request.user)

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []  # items are marked once it exists

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ("status", "submitted_at", "closed_at")
        return ("street", "kind", "year", "title", "status", "submitted_at", "closed_at")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("reporting.view_upwardreport", obj)

    def has_add_permission(self, request, obj=None):
        return request.user.has_perm("reporting.add_upwardreport")

    def has_change_permission(self, request, obj=None):
        return False  # every change is a workflow step (actions and the mark page)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("事项数"))
    def item_count(self, obj):
        return obj.item_count

    @admin.display(description=_("已采纳"))
    def accepted_count(self, obj):
        return obj.accepted_count

    @admin.display(description=_("已完成"))
    def done_count(self, obj):
        return obj.done_count

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        report = self.get_queryset(request).filter(pk=object_id).first()
        extra_context["can_mark"] = bool(
            report
            and report.status == UpwardReport.Status.DRAFT
            and request.user.has_perm("reporting.add_reportitem", report)
        )
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        return [
            path(
                "<int:pk>/mark/",
                self.admin_site.admin_view(self.mark_view),
                name="reporting_upwardreport_mark",
            ),
            *super().get_urls(),
        ]

    def mark_view(self, request, pk):
        report = self.get_queryset(request).filter(pk=pk).first()
        if report is None or not request.user.has_perm("reporting.add_reportitem", report):
            raise PermissionDenied
        back_url = reverse("admin:reporting_upwardreport_change", args=[report.pk])
        form = MarkForm(
            request.POST if request.method == "POST" else None, report=report, actor=request.user
        )
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            try:
                services.item_mark(
                    actor=request.user,
                    report=report,
                    topic=data.get("topic"),
                    grid_event=data.get("grid_event"),
                    summary=data["summary"],
                    beyond_reason=data["beyond_reason"],
                )
            except ApplicationError as exc:
                _add_service_error(form, exc)
            else:
                self.message_user(request, gettext("已列入清单。"), messages.SUCCESS)
                if "_addanother" in request.POST:
                    return HttpResponseRedirect(request.path)
                return HttpResponseRedirect(back_url)
        return _render(
            self,
            request,
            title=gettext("列入事项"),
            intro=gettext("按编号选择本街道的议题或网格事件，写明摘要和超出社区能力的原因。"),
            form=form,
            objects=[report],
            back_url=back_url,
        )

    @admin.action(description=_("报送所选清单"))
    def submit_selected(self, request, queryset):
        run_per_row(
            self,
            request,
            queryset,
            lambda r: services.report_submit(actor=request.user, report=r),
            lambda n: ngettext("已报送 %(n)d 份清单。", "已报送 %(n)d 份清单。", n) % {"n": n},
        )

    @admin.action(description=_("结束所选清单"))
    def close_selected(self, request, queryset):
        run_per_row(
            self,
            request,
            queryset,
            lambda r: services.report_close(actor=request.user, report=r),
            lambda n: ngettext("已结束 %(n)d 份清单。", "已结束 %(n)d 份清单。", n) % {"n": n},
        )

    @admin.action(description=_("导出所选清单（Excel，每次一份）"))
    def export_selected(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, gettext("请只选择一份清单导出。"), messages.WARNING)
            return None
        report = selectors.report_get(actor=request.user, pk=queryset.get().pk)
        content = exports.report_xlsx(report, report.visible_items)
        response = HttpResponse(content, content_type=exports.XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = (
            f"attachment; filename*=UTF-8''upward-report-{report.pk}.xlsx"
        )
        return response
