"""Admin of meetings: schedule, change while scheduled, hold (minutes, attendance, decisions
linked to topics) on its own page, cancel with a reason; decisions' follow-up as actions.
Every write goes through forums.services."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.scope import Level
from board.admin._common import ReadOnlyInline, reason_action, run_per_row
from core.admin import ScopedModelAdmin, ServiceAdminMixin, ServiceModelForm
from core.exceptions import ApplicationError
from proposals.models import Topic

from .. import selectors, services
from ..models import Attendance, Decision, Forum, Meeting, MeetingEvent, Represents
from ..scope import staff_forum_q
from ..services.meetings import SCHEDULED_UPDATABLE

MEETING_FIELDS = ("forum", "title", "held_at", "place", "agenda")


class MeetingAdminForm(ServiceModelForm):
    class Meta:
        model = Meeting
        fields = MEETING_FIELDS

    def call_service(self):
        if self.instance.pk:
            changes = self.changed_values(SCHEDULED_UPDATABLE)
            if not changes:
                return self.instance
            return services.meeting_update(actor=self.actor, meeting=self.instance, **changes)
        data = {name: self.cleaned_data.get(name) for name in MEETING_FIELDS}
        return services.meeting_create(actor=self.actor, **data)


class AttendanceInline(ReadOnlyInline):
    model = Attendance
    fields = ("name", "represents", "present", "is_guest")
    readonly_fields = fields
    verbose_name_plural = _("出席情况（仅工作人员可见）")

    def has_view_permission(self, request, obj=None):
        # Names of people: not for district leaders (they see the counts).
        return request.user.has_perm("forums.view_attendance_meeting", obj)


class DecisionInline(ReadOnlyInline):
    model = Decision
    fields = ("position", "text", "topic", "follow_up", "follow_up_note")
    readonly_fields = fields
    verbose_name_plural = _("会议决定（在“会议决定”中更新落实情况）")


class MeetingEventInline(ReadOnlyInline):
    model = MeetingEvent
    fields = ("at", "actor_label", "verb", "from_state", "to_state", "note")
    readonly_fields = fields
    verbose_name_plural = _("会议动态")


class HoldForm(forms.Form):
    held_at = forms.DateTimeField(
        label=_("实际召开时间"), help_text=_("格式：2026-11-20 14:30"), required=True
    )
    minutes = forms.CharField(
        label=_("会议纪要"),
        widget=forms.Textarea(attrs={"rows": 10, "cols": 80}),
        help_text=_("可用简单格式；脚本等内容会被清除。召开后向本居民区居民公开"),
    )
    present_members = forms.ModelMultipleChoiceField(
        label=_("出席成员"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("未勾选的现任成员记为缺席"),
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present_members"].queryset = meeting.forum.members.filter(left_on__isnull=True)


class GuestForm(forms.Form):
    name = forms.CharField(label=_("列席嘉宾姓名"), max_length=60, required=False)
    represents = forms.ChoiceField(
        label=_("代表方"), choices=Represents.choices, initial=Represents.OTHER
    )


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("决定事项"), max_length=500, required=False)
    topic = forms.ModelChoiceField(label=_("关联议题"), queryset=None, required=False)

    def __init__(self, *args, topics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = topics


GuestFormSet = forms.formset_factory(GuestForm, extra=4)
DecisionFormSet = forms.formset_factory(DecisionForm, extra=5)


@admin.register(Meeting)
class MeetingAdmin(ServiceAdminMixin, ScopedModelAdmin):
    form = MeetingAdminForm
    list_display = (
        "title",
        "forum",
        "held_at",
        "status",
        "present_count",
        "absent_count",
        "decision_count",
    )
    list_filter = ("status", "forum__kind")
    search_fields = ("title", "forum__name")
    date_hierarchy = "held_at"
    inlines = [DecisionInline, AttendanceInline, MeetingEventInline]
    readonly_fields = (
        "status",
        "minutes_html",
        "minutes_recorded_at",
        "cancelled_at",
        "cancel_reason",
    )
    actions = ["cancel_selected"]
    change_form_template = "admin/forums/meeting/change_form.html"

    def get_queryset(self, request):
        return selectors.meeting_queryset(actor=request.user)

    def get_inlines(self, request, obj):
        # Read-only histories of an existing row; nothing to show (or post) while adding.
        return self.inlines if obj is not None else []

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        if obj.status == Meeting.Status.SCHEDULED:
            return (*self.readonly_fields, "forum")
        return (*self.readonly_fields, *MEETING_FIELDS)

    def get_fields(self, request, obj=None):
        if obj is None:
            return MEETING_FIELDS
        return (*MEETING_FIELDS, *self.readonly_fields)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "forum":
            field.queryset = (
                Forum.objects.filter(status=Forum.Status.ACTIVE)
                .filter(staff_forum_q(request.user, level=Level.PEOPLE))
                .select_related("community")
            )
        return field

    @admin.display(description=_("会议纪要"))
    def minutes_html(self, obj):
        from django.utils.safestring import mark_safe

        # Stored sanitised (board.sanitize.clean_html) by the service.
        return mark_safe(obj.minutes) if obj.minutes else "—"

    @admin.display(description=_("出席"), ordering="present_count")
    def present_count(self, obj):
        return obj.present_count

    @admin.display(description=_("缺席"), ordering="absent_count")
    def absent_count(self, obj):
        return obj.absent_count

    @admin.display(description=_("决定"), ordering="decision_count")
    def decision_count(self, obj):
        return obj.decision_count

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_queryset(request).filter(pk=object_id).first()
        extra_context = {
            **(extra_context or {}),
            "show_hold": obj is not None
            and obj.status == Meeting.Status.SCHEDULED
            and request.user.has_perm("forums.hold_meeting", obj),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        return [
            path(
                "<int:pk>/hold/",
                self.admin_site.admin_view(self.hold_view),
                name="forums_meeting_hold",
            ),
            *super().get_urls(),
        ]

    def hold_view(self, request, pk):
        meeting = self.get_queryset(request).filter(pk=pk).first()
        if meeting is None:
            raise Http404
        if not request.user.has_perm("forums.hold_meeting", meeting):
            raise PermissionDenied
        change_url = reverse("admin:forums_meeting_change", args=[meeting.pk])
        if meeting.status != Meeting.Status.SCHEDULED:
            self.message_user(
                request,
                gettext("会议已是“%(state)s”状态，不能再记录召开情况。")
                % {"state": meeting.get_status_display()},
                messages.WARNING,
            )
            return HttpResponseRedirect(change_url)
        forum = meeting.forum
        if forum.community_id:
            topics = Topic.objects.filter(community_id=forum.community_id)
        else:
            topics = Topic.objects.filter(community__street_id=forum.street_id)
        topics = topics.order_by("-created_at")
        data = request.POST if request.method == "POST" else None
        form = HoldForm(
            data, meeting=meeting, initial={"held_at": timezone.localtime(meeting.held_at)}
        )
        guests = GuestFormSet(data, prefix="guests")
        decisions = DecisionFormSet(data, prefix="decisions", form_kwargs={"topics": topics})
        if data is not None and form.is_valid() and guests.is_valid() and decisions.is_valid():
            try:
                services.meeting_hold(
                    actor=request.user,
                    meeting=meeting,
                    minutes=form.cleaned_data["minutes"],
                    held_at=form.cleaned_data["held_at"],
                    present_members=list(form.cleaned_data["present_members"]),
                    guests=[g for g in guests.cleaned_data if g.get("name")],
                    decisions=[d for d in decisions.cleaned_data if d.get("text")],
                )
            except ApplicationError as exc:
                target = next(iter(exc.fields), None)
                form.add_error(target if target in form.fields else None, exc.message)
            else:
                self.message_user(request, gettext("已记录会议召开情况。"), messages.SUCCESS)
                return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": meeting,
            "title": gettext("记录会议召开情况"),
            "form": form,
            "guests": guests,
            "decisions": decisions,
            "is_joint": forum.kind == Forum.Kind.JOINT_MEETING,
        }
        return TemplateResponse(request, "admin/forums/meeting/hold.html", context)

    @admin.action(description=_("取消所选会议"), permissions=["change"])
    def cancel_selected(self, request, queryset):
        return reason_action(
            self,
            request,
            queryset,
            title=gettext("取消会议"),
            call=lambda m, reason: services.meeting_cancel(
                actor=request.user, meeting=m, reason=reason
            ),
            done_message=gettext("已取消 %(n)s 场会议。"),
        )


@admin.register(Decision)
class DecisionAdmin(ScopedModelAdmin):
    list_display = ("text", "meeting", "topic", "follow_up", "follow_up_note")
    list_filter = ("follow_up",)
    search_fields = ("text", "meeting__title")
    fields = ("meeting", "position", "text", "topic", "follow_up", "follow_up_note")
    readonly_fields = fields
    actions = ["mark_in_progress", "mark_done", "mark_dropped"]

    def get_queryset(self, request):
        return selectors.decision_queryset(actor=request.user)

    def has_add_permission(self, request):
        return False

    def _follow_up(self, request, queryset, follow_up, done_message):
        run_per_row(
            self,
            request,
            queryset,
            lambda d: services.decision_follow_up(
                actor=request.user, decision=d, follow_up=follow_up
            ),
            done_message,
        )

    @admin.action(description=_("标记为落实中"), permissions=["change"])
    def mark_in_progress(self, request, queryset):
        self._follow_up(
            request, queryset, Decision.FollowUp.IN_PROGRESS, gettext("已更新 %(n)s 项决定。")
        )

    @admin.action(description=_("标记为已落实"), permissions=["change"])
    def mark_done(self, request, queryset):
        self._follow_up(request, queryset, Decision.FollowUp.DONE, gettext("已更新 %(n)s 项决定。"))

    @admin.action(description=_("标记为不再落实（须说明原因）"), permissions=["change"])
    def mark_dropped(self, request, queryset):
        return reason_action(
            self,
            request,
            queryset,
            title=gettext("不再落实"),
            call=lambda d, reason: services.decision_follow_up(
                actor=request.user,
                decision=d,
                follow_up=Decision.FollowUp.DROPPED,
                note=reason,
            ),
            done_message=gettext("已更新 %(n)s 项决定。"),
        )
