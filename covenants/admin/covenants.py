"""Admin of covenants: the draft (title, scope, origin, first text), every version inline
(texts stay readable), the public timeline, and the workflow steps as actions calling
covenants.services. Rows come from the selectors (board.scope on the one scope mechanism)."""

from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.scope import Level, actor_scope
from board.admin._common import ReadOnlyInline
from board.models.common import target_label
from board.sanitize import plain_text
from core.admin import ScopedModelAdmin, ServiceAdminMixin, ServiceModelForm
from residents.models import Resident

from .. import exports, selectors, services
from ..models import Covenant, CovenantEvent, CovenantVersion, VersionState
from ._forms import (
    AmendForm,
    DecideForm,
    DiscussionForm,
    PaperSignatureForm,
    ReasonForm,
    SigningForm,
    form_action,
)

CREATE_FIELDS = (
    "audience",
    "community",
    "compound",
    "building",
    "title",
    "origin",
    "project",
    "topic",
    "collects_funds",
    "fund_purpose",
)


class CovenantAdminForm(ServiceModelForm):
    text_html = forms.CharField(
        label=_("规约正文"),
        widget=forms.Textarea(attrs={"rows": 12}),
        required=False,
        help_text=_("草稿时可修改；可用简单格式，脚本等会被清除"),
    )

    class Meta:
        model = Covenant
        fields = CREATE_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "community" in self.fields:
            self.fields["community"].required = False
            self.fields["community"].help_text = _("适用范围为居民区时选择")
        version = self.instance.current_version if self.instance.pk else None
        if version is not None and "text_html" in self.fields:
            self.fields["text_html"].initial = version.text

    def _get_validation_exclusions(self):
        # The scope and origin's consistency is the service's check (the community follows
        # from the compound or building there).
        return super()._get_validation_exclusions() | {"audience", "community", "origin"}

    def call_service(self):
        data = self.cleaned_data
        if self.instance.pk:
            changes = {
                key: data[key]
                for key in ("title", "collects_funds", "fund_purpose")
                if key in self.changed_data
            }
            if "text_html" in self.changed_data:
                changes["text"] = data["text_html"]
            if not changes:
                return self.instance
            return services.covenant_update_draft(
                actor=self.actor, covenant=self.instance, **changes
            )
        values = {name: data.get(name) for name in CREATE_FIELDS}
        values["fund_purpose"] = values["fund_purpose"] or ""
        return services.covenant_create(actor=self.actor, text_html=data["text_html"], **values)


class VersionInline(ReadOnlyInline):
    model = CovenantVersion
    fields = (
        "number",
        "state",
        "text_preview",
        "change_summary",
        "discussion_closes_at",
        "signing_method",
        "threshold",
        "signing_closes_at",
        "counts",
        "effective_on",
        "ended_at",
        "cancel_reason",
    )
    readonly_fields = fields
    verbose_name_plural = _("版本（每一版正文永久可查）")

    @admin.display(description=_("正文"))
    def text_preview(self, obj):
        return plain_text(obj.text)

    @admin.display(description=_("门槛"))
    def threshold(self, obj):
        return obj.threshold_label

    @admin.display(description=_("应参与 / 同意 / 反对"))
    def counts(self, obj):
        if obj.decided_at is None:
            return "—"
        return f"{obj.eligible_households} / {obj.yes_count} / {obj.no_count}"


class EventInline(ReadOnlyInline):
    model = CovenantEvent
    fields = ("at", "actor_label", "verb", "version_number", "from_state", "to_state", "note")
    readonly_fields = fields
    verbose_name_plural = _("规约动态")


@admin.register(Covenant)
class CovenantAdmin(ServiceAdminMixin, ScopedModelAdmin):
    form = CovenantAdminForm
    list_display = (
        "title",
        "target",
        "status",
        "stage",
        "origin",
        "yes_so_far",
        "effective_on",
    )
    list_filter = ("status", "current_version__state", "audience", "origin", "collects_funds")
    search_fields = ("title",)
    inlines = [VersionInline, EventInline]
    readonly_fields = ("status", "progress", "fund", "repealed_at", "repeal_reason")
    actions = [
        "open_discussion",
        "open_signing",
        "paper_signature",
        "decide",
        "amend",
        "repeal",
        "cancel",
        "export_signatures",
    ]

    def get_queryset(self, request):
        return selectors.covenant_queryset(actor=request.user)

    def _editable(self, request, obj):
        return obj.current_version.state == VersionState.DRAFT and request.user.has_perm(
            "covenants.change_covenant", obj
        )

    def get_fields(self, request, obj=None):
        if obj is None:
            return [*CREATE_FIELDS, "text_html"]
        text = "text_html" if self._editable(request, obj) else "current_text"
        return [*CREATE_FIELDS, text, *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        if self._editable(request, obj):
            fixed = ("title", "collects_funds", "fund_purpose")
            locked = [f for f in CREATE_FIELDS if f not in fixed]
            if obj.current_version.number > 1:
                locked.append("title")
            return (*self.readonly_fields, *locked)
        return (*self.readonly_fields, *CREATE_FIELDS, "current_text")

    @admin.display(description=_("最新版本正文"))
    def current_text(self, obj):
        return plain_text(obj.current_version.text) if obj.current_version else "—"

    @admin.display(description=_("适用范围"))
    def target(self, obj):
        return target_label(obj)

    @admin.display(description=_("最新版本"))
    def stage(self, obj):
        version = obj.current_version
        return f"v{version.number} {version.get_state_display()}" if version else "—"

    @admin.display(description=_("已签署/同意户"), ordering="yes_so_far")
    def yes_so_far(self, obj):
        return obj.yes_so_far

    @admin.display(description=_("生效日期"))
    def effective_on(self, obj):
        return obj.in_force_version.effective_on if obj.in_force_version else "—"

    @admin.display(description=_("签署进度"))
    def progress(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        progress = selectors.signing_progress(obj)
        if progress is None:
            return "—"
        return format_html(
            "{}：{} / {}；{} {}",
            gettext("同意/应参与"),
            progress["yes"],
            progress["eligible"],
            gettext("门槛"),
            progress["threshold"],
        )

    @admin.display(description=_("预收资金"))
    def fund(self, obj):
        if obj is None or obj.pk is None or not obj.collects_funds:
            return "—"
        totals = selectors.fund_totals(obj)
        return gettext("认缴 %(p)s 元，实收 %(r)s 元，%(h)s 户") % {
            "p": totals["pledged"],
            "r": totals["received"],
            "h": totals["households"],
        }

    def _form_step(self, request, queryset, form_class, title, service, done):
        return form_action(
            self,
            request,
            queryset,
            form_class=form_class,
            title=title,
            call=lambda c, **values: service(actor=request.user, covenant=c, **values),
            done_message=done,
        )

    @admin.action(description=_("发起公开讨论"), permissions=["change"])
    def open_discussion(self, request, queryset):
        return self._form_step(
            request,
            queryset,
            DiscussionForm,
            gettext("发起公开讨论"),
            services.covenant_open_discussion,
            gettext("已发起 %(n)s 项规约的公开讨论。"),
        )

    @admin.action(description=_("开始按户签署或表决"), permissions=["change"])
    def open_signing(self, request, queryset):
        return self._form_step(
            request,
            queryset,
            SigningForm,
            gettext("开始按户签署或表决"),
            services.covenant_open_signing,
            gettext("已开始 %(n)s 项规约的签署。"),
        )

    @admin.action(description=_("录入纸质签署或表决"), permissions=["change"])
    def paper_signature(self, request, queryset):
        residents = actor_scope(request.user).filter(
            Resident.objects.filter(status=Resident.Status.LIVING), Level.PEOPLE
        )
        form_class = type(
            "ScopedPaperSignatureForm", (PaperSignatureForm,), {"residents": residents}
        )
        return form_action(
            self,
            request,
            queryset,
            form_class=form_class,
            title=gettext("录入纸质签署或表决（记录录入人）"),
            call=lambda c, resident, choice, note: services.covenant_paper_sign(
                actor=request.user, covenant=c, resident=resident, choice=choice or None, note=note
            ),
            done_message=gettext("已录入 %(n)s 份纸质签署。"),
        )

    @admin.action(description=_("结束签署并判定结果"), permissions=["change"])
    def decide(self, request, queryset):
        return self._form_step(
            request,
            queryset,
            DecideForm,
            gettext("结束签署并判定结果"),
            services.covenant_decide,
            gettext("已判定 %(n)s 项规约。"),
        )

    @admin.action(description=_("修订（新版本草稿）"), permissions=["change"])
    def amend(self, request, queryset):
        return self._form_step(
            request,
            queryset,
            AmendForm,
            gettext("修订规约"),
            services.covenant_amend,
            gettext("已为 %(n)s 项规约起草修订稿。"),
        )

    @admin.action(description=_("废止（须填写原因）"), permissions=["change"])
    def repeal(self, request, queryset):
        return self._form_step(
            request,
            queryset,
            ReasonForm,
            gettext("废止规约"),
            services.covenant_repeal,
            gettext("已废止 %(n)s 项规约。"),
        )

    @admin.action(description=_("撤销草稿或讨论稿（须填写原因）"), permissions=["change"])
    def cancel(self, request, queryset):
        return self._form_step(
            request,
            queryset,
            ReasonForm,
            gettext("撤销规约版本"),
            services.covenant_cancel,
            gettext("已撤销 %(n)s 项。"),
        )

    @admin.action(description=_("导出签署结果（Excel）"), permissions=["view"])
    def export_signatures(self, request, queryset):
        from board.apis._base import xlsx_response

        chosen = [c for c in queryset if request.user.has_perm("covenants.export_covenant", c)]
        if len(chosen) != 1:
            self.message_user(request, gettext("请选择一项规约导出。"), messages.WARNING)
            return None
        content = exports.signatures_xlsx(chosen[0], actor=request.user)
        return xlsx_response(content, f"covenant-{chosen[0].pk}-signatures.xlsx")
