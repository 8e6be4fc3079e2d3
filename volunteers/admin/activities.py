"""Admin of activities with their sign-ups, and of attendance approval. Every save and every
action goes through the services; cancelling an activity and rejecting hours ask for the reason
first (an intermediate page for the selected rows, or a button on one row's page)."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path, reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.admin import ScopedModelAdmin, ServiceAdminMixin, ServiceModelForm

from ..models import Activity, Attendance, SignUp
from ..services import activities as services
from .common import ReadOnlyInline, reason_action, reason_view, run_per_row

CANCELLABLE = (Activity.Status.DRAFT, Activity.Status.PUBLISHED)
REJECTABLE = (Attendance.Status.CHECKED_IN, Attendance.Status.CHECKED_OUT)


class SignUpInline(ReadOnlyInline):
    model = SignUp
    fields = ("user", "status", "waitlisted_at", "confirmed_at", "cancelled_at")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


class AttendanceInline(ReadOnlyInline):
    model = Attendance
    fk_name = "activity"
    fields = ("user", "method", "checked_in_at", "checked_out_at", "hours", "status")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


ACTIVITY_FORM_FIELDS = (
    "community",
    "team",
    "project",
    "kind",
    "category",
    "title",
    "description",
    "place",
    "starts_at",
    "ends_at",
    "signup_deadline",
    "capacity",
    "points_rule",
)


class ActivityAdminForm(ServiceModelForm):
    class Meta:
        model = Activity
        fields = ACTIVITY_FORM_FIELDS

    def call_service(self):
        if self.instance.pk:
            changes = self.changed_values(services.UPDATABLE)
            return services.activity_update(actor=self.actor, activity=self.instance, **changes)
        # Meta.fields of the admin's generated form lists the read-only fields too.
        data = {name: self.cleaned_data.get(name) for name in ACTIVITY_FORM_FIELDS}
        data["category"] = data["category"] or ""
        data["description"] = data["description"] or ""
        return services.activity_create(actor=self.actor, **data)


def _cancel(actor):
    return lambda activity, reason: services.activity_cancel(
        actor=actor, activity=activity, reason=reason
    )


@admin.register(Activity)
class ActivityAdmin(ServiceAdminMixin, ScopedModelAdmin):
    form = ActivityAdminForm
    change_form_template = "admin/volunteers/activity/change_form.html"
    list_display = (
        "title",
        "community",
        "team",
        "kind",
        "starts_at",
        "capacity",
        "status",
        "checkin_code",
    )
    list_filter = ("status", "kind", "category")
    list_select_related = ("community", "team")
    search_fields = ("title", "place")
    date_hierarchy = "starts_at"
    inlines = [SignUpInline, AttendanceInline]
    readonly_fields = ("status", "checkin_code", "published_at", "cancelled_at", "cancelled_reason")
    actions = ["publish_selected", "finish_selected", "cancel_selected"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            # The community of an existing activity is fixed: its sign-ups belong to it.
            return (*self.readonly_fields, "community")
        return self.readonly_fields

    def get_urls(self):
        return [
            path(
                "<int:object_id>/cancel/",
                self.admin_site.admin_view(self.cancel_view),
                name="volunteers_activity_cancel",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        activity = self.get_queryset(request).filter(pk=object_id).first()
        extra_context["can_cancel"] = (
            activity is not None
            and activity.status in CANCELLABLE
            and request.user.has_perm("volunteers.manage_activity", activity)
        )
        return super().change_view(request, object_id, form_url, extra_context)

    def cancel_view(self, request, object_id):
        activity = self.get_queryset(request).filter(pk=object_id).first()
        if activity is None:
            raise Http404
        if not request.user.has_perm("volunteers.manage_activity", activity):
            raise PermissionDenied
        return reason_view(
            self,
            request,
            activity,
            title=gettext("取消活动"),
            intro=gettext("取消后，已报名和候补的居民都会收到通知，原因会一并告知。"),
            label=gettext("取消原因"),
            call=_cancel(request.user),
            done_message=gettext("活动已取消，已通知报名的居民。"),
            back_url=reverse("admin:volunteers_activity_change", args=[activity.pk]),
        )

    @admin.action(description=_("发布所选活动"), permissions=["change"])
    def publish_selected(self, request, queryset):
        run_per_row(
            self,
            request,
            queryset,
            lambda a: services.activity_publish(actor=request.user, activity=a),
            lambda n: ngettext("已发布 %(n)s 个活动。", "已发布 %(n)s 个活动。", n) % {"n": n},
        )

    @admin.action(description=_("结束所选活动"), permissions=["change"])
    def finish_selected(self, request, queryset):
        run_per_row(
            self,
            request,
            queryset,
            lambda a: services.activity_finish(actor=request.user, activity=a),
            lambda n: ngettext("已结束 %(n)s 个活动。", "已结束 %(n)s 个活动。", n) % {"n": n},
        )

    @admin.action(description=_("取消所选活动（填写原因）"), permissions=["change"])
    def cancel_selected(self, request, queryset):
        return reason_action(
            self,
            request,
            queryset.select_related("community"),
            title=gettext("取消活动"),
            intro=gettext("取消后，已报名和候补的居民都会收到通知，原因会一并告知。"),
            label=gettext("取消原因"),
            call=_cancel(request.user),
            done_message=lambda n: (
                ngettext("已取消 %(n)s 个活动。", "已取消 %(n)s 个活动。", n) % {"n": n}
            ),
            back_url=reverse("admin:volunteers_activity_changelist"),
        )


# ---------------------------------------------------------------------------------------------
# Attendance


def _reject(actor):
    return lambda attendance, reason: services.attendance_reject(
        actor=actor, attendance=attendance, reason=reason
    )


@admin.register(Attendance)
class AttendanceAdmin(ScopedModelAdmin):
    change_form_template = "admin/volunteers/attendance/change_form.html"
    list_display = (
        "activity",
        "user",
        "method",
        "checked_in_at",
        "checked_out_at",
        "hours",
        "status",
        "reviewed_by",
    )
    list_filter = ("status", "method")
    list_select_related = ("activity", "user", "reviewed_by")
    search_fields = ("activity__title", "user__real_name")
    actions = ["approve_selected", "reject_selected"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        # Approval and rejection are actions, never an edit of the row.
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.has_perm("volunteers.approve_attendance"):
            actions.pop("approve_selected", None)
            actions.pop("reject_selected", None)
        return actions

    def get_urls(self):
        return [
            path(
                "<int:object_id>/reject/",
                self.admin_site.admin_view(self.reject_view),
                name="volunteers_attendance_reject",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        attendance = self.get_queryset(request).filter(pk=object_id).first()
        extra_context["can_reject"] = (
            attendance is not None
            and attendance.status in REJECTABLE
            and request.user.has_perm("volunteers.approve_attendance", attendance)
        )
        return super().change_view(request, object_id, form_url, extra_context)

    def reject_view(self, request, object_id):
        attendance = (
            self.get_queryset(request).select_related("activity", "user").filter(pk=object_id)
        ).first()
        if attendance is None:
            raise Http404
        if not request.user.has_perm("volunteers.approve_attendance", attendance):
            raise PermissionDenied
        return reason_view(
            self,
            request,
            attendance,
            title=gettext("驳回服务时长"),
            intro=gettext("驳回后这次服务不计时长、不得积分；原因记入审核说明。"),
            label=gettext("驳回原因"),
            call=_reject(request.user),
            done_message=gettext("已驳回该服务记录。"),
            back_url=reverse("admin:volunteers_attendance_change", args=[attendance.pk]),
        )

    @admin.action(description=_("审核通过所选服务时长（计入积分）"))
    def approve_selected(self, request, queryset):
        run_per_row(
            self,
            request,
            queryset,
            lambda a: services.attendance_approve(actor=request.user, attendance=a),
            lambda n: (
                ngettext("已审核通过 %(n)s 条服务记录。", "已审核通过 %(n)s 条服务记录。", n)
                % {"n": n}
            ),
        )

    @admin.action(description=_("驳回所选服务时长（填写原因）"))
    def reject_selected(self, request, queryset):
        return reason_action(
            self,
            request,
            queryset.select_related("activity", "user"),
            title=gettext("驳回服务时长"),
            intro=gettext("驳回后这次服务不计时长、不得积分；原因记入审核说明。"),
            label=gettext("驳回原因"),
            call=_reject(request.user),
            done_message=lambda n: (
                ngettext("已驳回 %(n)s 条服务记录。", "已驳回 %(n)s 条服务记录。", n) % {"n": n}
            ),
            back_url=reverse("admin:volunteers_attendance_changelist"),
        )
