"""Admin of elections (draft, candidates, publish the list, open voting, count, cancel with a
reason, export), ballots (people-level staff, read-only) and 选聘 (start the household poll,
decide, cancel). Every save and action calls property_governance.services."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminSplitDateTime
from django.utils.translation import gettext_lazy as _

from accounts.scope import Level
from board.apis._base import xlsx_response
from core.admin import ReadOnlyAdminMixin, ScopedModelAdmin, ServiceAdminMixin, ServiceModelForm

from .. import exports, selectors, services
from ..models import (
    Ballot,
    Candidate,
    Election,
    ElectionEvent,
    PropertyCompany,
    PropertySelection,
    SelectionCandidate,
)
from ._common import ReadOnlyInline, form_action, reason_action, run_per_row
from .forms import DecideForm, OpenVotingForm

ELECTION_FIELDS = (
    "area",
    "title",
    "description",
    "seats",
    "closes_at",
    "term_starts_on",
    "term_ends_on",
)


class ElectionForm(ServiceModelForm):
    class Meta:
        model = Election
        fields = ELECTION_FIELDS

    def call_service(self):
        if self.instance.pk:
            return self.instance
        data = dict(self.cleaned_data)
        data["description"] = data.get("description") or ""
        return services.election_create(actor=self.actor, **data)


class CandidateInline(ReadOnlyInline):
    model = Candidate
    fields = ("position", "resident", "statement", "votes", "elected")
    readonly_fields = fields


class EventInline(ReadOnlyInline):
    model = ElectionEvent
    fields = ("at", "actor_label", "verb", "from_state", "to_state", "note")
    readonly_fields = fields
    verbose_name_plural = _("选举公开记录")


@admin.register(Election)
class ElectionAdmin(ServiceAdminMixin, ScopedModelAdmin):
    form = ElectionForm
    scope_level = Level.ORG
    list_display = (
        "title",
        "area",
        "term_number",
        "seats",
        "status",
        "closes_at",
        "ballot_count",
        "live_eligible",
    )
    list_filter = ("status",)
    search_fields = ("title", "area__name")
    inlines = [CandidateInline, EventInline]

    def get_inlines(self, request, obj):
        # Read-only records of a saved row: nothing to show (or post) on the add page.
        return self.inlines if obj is not None else []

    actions = [
        "publish_candidates_selected",
        "open_voting_selected",
        "count_selected",
        "cancel_selected",
        "export_selected",
    ]

    def get_queryset(self, request):
        return selectors.election_queryset(actor=request.user)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return (
                *ELECTION_FIELDS,
                "term_number",
                "status",
                "candidates_published_at",
                "voting_opened_at",
                "counted_at",
                "eligible_households",
                "ballots_counted",
                "committee",
                "cancelled_at",
                "cancel_reason",
            )
        return ()

    @admin.display(description=_("已投票户数"))
    def ballot_count(self, obj):
        return obj.ballot_count

    @admin.display(description=_("有投票权户数（当前）"))
    def live_eligible(self, obj):
        return obj.live_eligible

    def _each(self, request, queryset, call, message):
        run_per_row(
            self, request, queryset, lambda obj: call(actor=request.user, election=obj), message
        )

    @admin.action(description=_("公示候选人名单"))
    def publish_candidates_selected(self, request, queryset):
        self._each(
            request, queryset, services.election_publish_candidates, _("%(n)s 场选举已公示候选人。")
        )

    @admin.action(description=_("开始投票"))
    def open_voting_selected(self, request, queryset):
        return form_action(
            self,
            request,
            queryset,
            form_class=OpenVotingForm,
            title=_("开始投票"),
            call=lambda obj, data: services.election_open_voting(
                actor=request.user, election=obj, closes_at=data.get("closes_at")
            ),
            done_message=_("%(n)s 场选举开始投票。"),
        )

    @admin.action(description=_("计票（投票截止后）"))
    def count_selected(self, request, queryset):
        self._each(request, queryset, services.election_count, _("%(n)s 场选举已计票。"))

    @admin.action(description=_("取消选举（填写原因）"))
    def cancel_selected(self, request, queryset):
        return reason_action(
            self,
            request,
            queryset,
            title=_("取消选举"),
            call=lambda obj, reason: services.election_cancel(
                actor=request.user, election=obj, reason=reason
            ),
            done_message=_("%(n)s 场选举已取消。"),
        )

    @admin.action(description=_("导出投票率与结果（Excel，选一场）"))
    def export_selected(self, request, queryset):
        election = selectors.election_get(actor=request.user, pk=queryset.first().pk)
        ballots = None
        if request.user.has_perm("property_governance.view_ballot", election):
            ballots = selectors.ballot_list(actor=request.user, election=election)
        return xlsx_response(
            exports.election_xlsx(election, ballots=ballots), f"election-{election.pk}.xlsx"
        )


class CandidateForm(ServiceModelForm):
    class Meta:
        model = Candidate
        fields = ("election", "resident", "statement")

    def call_service(self):
        if self.instance.pk:
            return self.instance
        return services.election_candidate_add(actor=self.actor, **self.cleaned_data)


@admin.register(Candidate)
class CandidateAdmin(ServiceAdminMixin, ScopedModelAdmin):
    """Register candidates of a draft election (the list is fixed once published)."""

    form = CandidateForm
    scope_level = Level.ORG
    list_display = ("resident", "election", "position", "votes", "elected")
    raw_id_fields = ("resident",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("resident", "election")

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return (*CandidateForm.Meta.fields, "position", "votes", "elected")
        return ()


@admin.register(Ballot)
class BallotAdmin(ReadOnlyAdminMixin, ScopedModelAdmin):
    """Which households voted and how (never shown: whom they chose)."""

    scope_level = Level.PEOPLE
    list_display = ("election", "household", "resident", "channel", "entered_by", "cast_at")
    list_filter = ("channel",)
    fields = ("election", "household", "resident", "channel", "entered_by", "paper_note", "cast_at")
    readonly_fields = fields

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("election", "household__building", "resident", "entered_by")
        )


class SelectionForm(ServiceModelForm):
    companies = forms.ModelMultipleChoiceField(
        label=_("候选企业"),
        queryset=PropertyCompany.objects.all(),
        help_text=_("按企业名称顺序作为投票选项"),
    )
    opens_at = forms.SplitDateTimeField(label=_("征询开始"), widget=AdminSplitDateTime)
    closes_at = forms.SplitDateTimeField(label=_("征询截止"), widget=AdminSplitDateTime)

    class Meta:
        model = PropertySelection
        fields = ("area", "title")

    def call_service(self):
        if self.instance.pk:
            return self.instance
        return services.selection_start(actor=self.actor, **self.cleaned_data)


class SelectionCandidateInline(ReadOnlyInline):
    model = SelectionCandidate
    fields = ("position", "company")
    readonly_fields = fields


@admin.register(PropertySelection)
class PropertySelectionAdmin(ServiceAdminMixin, ScopedModelAdmin):
    form = SelectionForm
    scope_level = Level.ORG
    list_display = ("title", "area", "status", "consultation", "decided_at")
    list_filter = ("status",)
    inlines = [SelectionCandidateInline]

    def get_inlines(self, request, obj):
        # Read-only records of a saved row: nothing to show (or post) on the add page.
        return self.inlines if obj is not None else []

    actions = ["decide_selected", "cancel_selected"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("area", "consultation")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if "companies" in form.base_fields:
            form.base_fields["companies"].queryset = self._scoped_choices(
                request, PropertyCompany.objects.all()
            )
        return form

    def get_fields(self, request, obj=None):
        if obj is not None:
            return ("area", "title", "consultation", "status", "decided_at", "cancel_reason")
        return ("area", "title", "companies", "opens_at", "closes_at")

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj) if obj is not None else ()

    @admin.action(description=_("按征询结果确定企业并登记合同"))
    def decide_selected(self, request, queryset):
        return form_action(
            self,
            request,
            queryset,
            form_class=DecideForm,
            title=_("确定选聘结果"),
            call=lambda obj, data: services.selection_decide(
                actor=request.user,
                selection=obj,
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                fees={
                    k: v
                    for k, v in data.items()
                    if k in ("residential", "commercial") and v is not None
                },
            ),
            done_message=_("%(n)s 项选聘已确定，合同已登记。"),
        )

    @admin.action(description=_("取消选聘（填写原因）"))
    def cancel_selected(self, request, queryset):
        return reason_action(
            self,
            request,
            queryset,
            title=_("取消选聘"),
            call=lambda obj, reason: services.selection_cancel(
                actor=request.user, selection=obj, reason=reason
            ),
            done_message=_("%(n)s 项选聘已取消。"),
        )
