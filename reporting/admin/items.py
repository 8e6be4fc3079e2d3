"""Admin of the items on the lists: status moves as actions (a reason for 未采纳, a result
note for 已完成), unmarking while the list is a draft; each item's stamped moves inline."""

from django.contrib import admin
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.admin import ScopedModelAdmin

from .. import selectors, services
from ..models import ReportItem, ReportItemEvent
from ._common import ReadOnlyInline, ReasonForm, _render, run_per_row

Status = ReportItem.Status


class ItemEventInline(ReadOnlyInline):
    model = ReportItemEvent
    fields = ("at", "actor_label", "verb", "from_state", "to_state", "note")
    readonly_fields = fields
    verbose_name_plural = _("状态记录")


@admin.register(ReportItem)
class ReportItemAdmin(ScopedModelAdmin):
    list_display = (
        "number_label",
        "report",
        "community",
        "short_summary",
        "status",
        "status_changed_at",
    )
    list_filter = ("status", "report__kind", "report__year")
    search_fields = ("summary", "topic__title")
    list_select_related = ("report", "community")
    inlines = [ItemEventInline]
    fields = (
        "report",
        "topic",
        "grid_event",
        "community",
        "summary",
        "beyond_reason",
        "status",
        "status_reason",
        "result_note",
        "marked_by",
        "marked_at",
        "status_changed_at",
    )
    readonly_fields = fields
    actions = [
        "accept_selected",
        "decline_selected",
        "start_selected",
        "finish_selected",
        "unmark_selected",
    ]

    def get_queryset(self, request):
        return selectors.item_queryset(request.user)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("reporting.view_reportitem", obj)

    def has_add_permission(self, request, obj=None):
        return False  # marked from the report's page

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # unmarked with the action, only while the report is a draft

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.has_perm("reporting.change_reportitem"):
            return {}
        return actions

    @admin.display(description=_("编号"))
    def number_label(self, item):
        return item.number

    @admin.display(description=_("摘要"))
    def short_summary(self, item):
        return item.summary[:40]

    def _move(self, request, queryset, status, verb):
        run_per_row(
            self,
            request,
            queryset,
            lambda i: services.item_set_status(actor=request.user, item=i, status=status),
            lambda n: (
                ngettext("%(n)d 项已%(verb)s。", "%(n)d 项已%(verb)s。", n) % {"n": n, "verb": verb}
            ),
        )

    def _with_text(self, request, queryset, *, status, field, title, label, max_length):
        form = ReasonForm(
            request.POST if "apply" in request.POST else None, label=label, max_length=max_length
        )
        if form.is_bound and form.is_valid():
            value = form.cleaned_data["reason"]
            run_per_row(
                self,
                request,
                queryset,
                lambda i: services.item_set_status(
                    actor=request.user, item=i, status=status, **{field: value}
                ),
                lambda n: ngettext("%(n)d 项已更新。", "%(n)d 项已更新。", n) % {"n": n},
            )
            return None
        return _render(
            self,
            request,
            title=title,
            intro="",
            form=form,
            objects=list(queryset),
            back_url=reverse("admin:reporting_reportitem_changelist"),
            action=request.POST.get("action"),
        )

    @admin.action(description=_("标记为已采纳"))
    def accept_selected(self, request, queryset):
        self._move(request, queryset, Status.ACCEPTED, gettext("采纳"))

    @admin.action(description=_("标记为未采纳（填写原因）"))
    def decline_selected(self, request, queryset):
        return self._with_text(
            request,
            queryset,
            status=Status.NOT_ACCEPTED,
            field="reason",
            title=gettext("标记为未采纳"),
            label=gettext("未采纳原因"),
            max_length=services.MAX_REASON,
        )

    @admin.action(description=_("标记为实施中"))
    def start_selected(self, request, queryset):
        self._move(request, queryset, Status.IN_PROGRESS, gettext("开始实施"))

    @admin.action(description=_("标记为已完成（填写结果）"))
    def finish_selected(self, request, queryset):
        return self._with_text(
            request,
            queryset,
            status=Status.DONE,
            field="result_note",
            title=gettext("标记为已完成"),
            label=gettext("完成结果"),
            max_length=services.MAX_RESULT,
        )

    @admin.action(description=_("移出清单（仅草稿清单）"))
    def unmark_selected(self, request, queryset):
        run_per_row(
            self,
            request,
            queryset,
            lambda i: services.item_unmark(actor=request.user, item=i),
            lambda n: ngettext("已移出 %(n)d 项。", "已移出 %(n)d 项。", n) % {"n": n},
        )
