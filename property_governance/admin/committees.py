"""Admin of owners' committees and their members: record, start, end a term, merge
(联小建大), members with roles. Every save and action calls property_governance.services."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.scope import Level
from core.admin import ScopedModelAdmin, ServiceAdminMixin, ServiceModelForm

from .. import services
from ..models import CommitteeMember, OwnersCommittee
from ._common import ReadOnlyInline, form_action, run_per_row
from .forms import EndedOnForm, MergeCommitteesForm


class CommitteeForm(ServiceModelForm):
    class Meta:
        model = OwnersCommittee
        fields = ("area", "term_number", "term_starts_on", "term_ends_on", "status")

    def call_service(self):
        if self.instance.pk:
            return self.instance
        return services.committee_create(actor=self.actor, **self.cleaned_data)


class MemberInline(ReadOnlyInline):
    model = CommitteeMember
    fields = ("resident", "role", "starts_on", "ends_on", "election")
    readonly_fields = fields


@admin.register(OwnersCommittee)
class OwnersCommitteeAdmin(ServiceAdminMixin, ScopedModelAdmin):
    form = CommitteeForm
    scope_level = Level.ORG
    list_display = (
        "__str__",
        "area",
        "term_number",
        "term_starts_on",
        "term_ends_on",
        "status",
        "ended_on",
        "ended_by_merge",
    )
    list_filter = ("status",)
    search_fields = ("area__name",)
    inlines = [MemberInline]

    def get_inlines(self, request, obj):
        # Read-only records of a saved row: nothing to show (or post) on the add page.
        return self.inlines if obj is not None else []

    actions = ["start_selected", "end_selected", "merge_selected"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("area", "ended_by_merge")

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return (*CommitteeForm.Meta.fields, "ended_on", "ended_by_merge")
        return ()

    @admin.action(description=_("开始履职（筹备组成员已登记）"))
    def start_selected(self, request, queryset):
        run_per_row(
            self,
            request,
            queryset,
            lambda obj: services.committee_start(actor=request.user, committee=obj),
            _("%(n)s 个业委会开始履职。"),
        )

    @admin.action(description=_("任期届满终止"))
    def end_selected(self, request, queryset):
        return form_action(
            self,
            request,
            queryset,
            form_class=EndedOnForm,
            title=_("业委会任期届满"),
            call=lambda obj, data: services.committee_end(
                actor=request.user, committee=obj, **data
            ),
            done_message=_("%(n)s 个业委会已终止。"),
        )

    @admin.action(description=_("合并所选业委会（联小建大）"))
    def merge_selected(self, request, queryset):
        return form_action(
            self,
            request,
            queryset,
            form_class=MergeCommitteesForm,
            title=_("合并业委会"),
            once=True,
            call=lambda qs, data: services.merge_committees(
                actor=request.user, committees=list(qs), **data
            ),
            done_message=_("已合并，新的业委会进入筹备。"),
        )


class MemberForm(ServiceModelForm):
    class Meta:
        model = CommitteeMember
        fields = ("committee", "resident", "role", "starts_on")

    def call_service(self):
        if self.instance.pk:
            return self.instance
        return services.committee_member_add(actor=self.actor, **self.cleaned_data)


@admin.register(CommitteeMember)
class CommitteeMemberAdmin(ServiceAdminMixin, ScopedModelAdmin):
    form = MemberForm
    scope_level = Level.ORG
    list_display = ("resident", "committee", "role", "starts_on", "ends_on")
    list_filter = ("role",)
    search_fields = ("resident__name",)
    raw_id_fields = ("resident",)
    actions = ["make_director", "make_deputy", "make_member", "leave_selected"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("resident", "committee__area")

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return (*MemberForm.Meta.fields, "ends_on", "election")
        return ()

    def _role(self, request, queryset, role):
        run_per_row(
            self,
            request,
            queryset,
            lambda obj: services.committee_member_set_role(
                actor=request.user, member=obj, role=role
            ),
            _("已调整 %(n)s 位成员的职务。"),
        )

    @admin.action(description=_("设为主任"))
    def make_director(self, request, queryset):
        self._role(request, queryset, CommitteeMember.Role.DIRECTOR)

    @admin.action(description=_("设为副主任"))
    def make_deputy(self, request, queryset):
        self._role(request, queryset, CommitteeMember.Role.DEPUTY)

    @admin.action(description=_("设为委员"))
    def make_member(self, request, queryset):
        self._role(request, queryset, CommitteeMember.Role.MEMBER)

    @admin.action(description=_("离任"))
    def leave_selected(self, request, queryset):
        run_per_row(
            self,
            request,
            queryset,
            lambda obj: services.committee_member_leave(actor=request.user, member=obj),
            _("%(n)s 位成员已离任。"),
        )
