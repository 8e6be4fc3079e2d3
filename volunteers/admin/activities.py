"""Admin of volunteer service: activities with their sign-ups, attendance approval, teams,
volunteers and party members' reports, with the Excel exports. Every save and every action
goes through the services."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdminMixin, ScopedModelAdmin, ServiceAdminMixin, ServiceModelForm
from core.exceptions import ApplicationError

from .. import exports
from ..models import (
    Activity,
    Attendance,
    PartyMemberReport,
    ServiceTeam,
    SignUp,
    TeamMembership,
    VolunteerProfile,
)
from ..services import activities as services
from ..services import people as people_services


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _xlsx_response(content, filename):
    response = HttpResponse(content, content_type=exports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


def _run_per_row(modeladmin, request, queryset, call, done_message):
    """Call one service per selected row; report successes and each refusal."""
    done = 0
    for obj in queryset:
        try:
            call(obj)
        except ApplicationError as exc:
            modeladmin.message_user(request, f"{obj}：{exc.message}", messages.WARNING)
        else:
            done += 1
    if done:
        modeladmin.message_user(request, done_message % {"n": done}, messages.SUCCESS)


# ---------------------------------------------------------------------------------------------
# Activities


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


@admin.register(Activity)
class ActivityAdmin(ServiceAdminMixin, ScopedModelAdmin):
    form = ActivityAdminForm
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
    actions = ["publish_selected", "finish_selected"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            # The community of an existing activity is fixed: its sign-ups belong to it.
            return (*self.readonly_fields, "community")
        return self.readonly_fields

    @admin.action(description=_("发布所选活动"), permissions=["change"])
    def publish_selected(self, request, queryset):
        _run_per_row(
            self,
            request,
            queryset,
            lambda a: services.activity_publish(actor=request.user, activity=a),
            gettext("已发布 %(n)s 个活动。"),
        )

    @admin.action(description=_("结束所选活动"), permissions=["change"])
    def finish_selected(self, request, queryset):
        _run_per_row(
            self,
            request,
            queryset,
            lambda a: services.activity_finish(actor=request.user, activity=a),
            gettext("已结束 %(n)s 个活动。"),
        )


@admin.register(Attendance)
class AttendanceAdmin(ScopedModelAdmin):
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
    actions = ["approve_selected"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        # Approval is an action, never an edit of the row.
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.has_perm("volunteers.approve_attendance"):
            actions.pop("approve_selected", None)
        return actions

    @admin.action(description=_("审核通过所选服务时长（计入积分）"))
    def approve_selected(self, request, queryset):
        _run_per_row(
            self,
            request,
            queryset,
            lambda a: services.attendance_approve(actor=request.user, attendance=a),
            gettext("已审核通过 %(n)s 条服务记录。"),
        )


# ---------------------------------------------------------------------------------------------
# Teams


class TeamMembershipInline(ReadOnlyInline):
    model = TeamMembership
    fields = ("profile", "joined_on", "left_on")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("profile__user")


class ServiceTeamAdminForm(ServiceModelForm):
    class Meta:
        model = ServiceTeam
        fields = ("community", "name", "description", "leader", "is_active")

    def call_service(self):
        data = self.cleaned_data
        if self.instance.pk:
            changes = self.changed_values(("name", "description", "leader", "is_active"))
            return people_services.team_update(actor=self.actor, team=self.instance, **changes)
        return people_services.team_create(
            actor=self.actor,
            community=data["community"],
            name=data["name"],
            description=data.get("description") or "",
            leader=data.get("leader"),
        )


@admin.register(ServiceTeam)
class ServiceTeamAdmin(ServiceAdminMixin, ScopedModelAdmin):
    form = ServiceTeamAdminForm
    list_display = ("name", "community", "leader", "is_active")
    list_filter = ("is_active",)
    list_select_related = ("community", "leader__user")
    search_fields = ("name",)
    inlines = [TeamMembershipInline]
    readonly_fields = ("yearly_records",)
    actions = ["export_this_year"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return (*self.readonly_fields, "community")
        return self.readonly_fields

    @admin.display(description=_("年度服务记录"))
    def yearly_records(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        year = timezone.localdate().year
        return format_html_join(
            " ",
            '<a href="{}">{}</a>',
            (
                (
                    reverse("admin:volunteers_serviceteam_record", args=[obj.pk, y]),
                    gettext("%(year)s 年（Excel）") % {"year": y},
                )
                for y in (year, year - 1)
            ),
        )

    def get_urls(self):
        return [
            path(
                "<int:object_id>/record/<int:year>/",
                self.admin_site.admin_view(self.record_view),
                name="volunteers_serviceteam_record",
            ),
            *super().get_urls(),
        ]

    def record_view(self, request, object_id, year):
        team = self.get_queryset(request).filter(pk=object_id).first()
        if team is None or not 2000 <= year <= 2100:
            raise Http404
        if not request.user.has_perm("volunteers.export_serviceteam", team):
            raise PermissionDenied
        content = exports.team_year_record_xlsx(team, year=year)
        return _xlsx_response(content, f"team-{team.pk}-{year}.xlsx")

    @admin.action(description=_("导出所选服务队今年的服务记录（Excel）"), permissions=["view"])
    def export_this_year(self, request, queryset):
        teams = [t for t in queryset if request.user.has_perm("volunteers.export_serviceteam", t)]
        if len(teams) != 1:
            self.message_user(request, gettext("请选择一个服务队导出。"), messages.WARNING)
            return None
        year = timezone.localdate().year
        content = exports.team_year_record_xlsx(teams[0], year=year)
        return _xlsx_response(content, f"team-{teams[0].pk}-{year}.xlsx")


# ---------------------------------------------------------------------------------------------
# Volunteers and party members


class VolunteerProfileAdminForm(ServiceModelForm):
    class Meta:
        model = VolunteerProfile
        fields = ("user", "skills", "availability", "is_active")

    def call_service(self):
        data = self.cleaned_data
        if self.instance.pk:
            changes = self.changed_values(("skills", "availability", "is_active"))
            return people_services.volunteer_update(
                actor=self.actor, profile=self.instance, **changes
            )
        return people_services.volunteer_register(
            actor=self.actor,
            user=data["user"],
            skills=data.get("skills") or "",
            availability=data.get("availability") or "",
        )


class VolunteerCertificateForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), required=False)


@admin.register(VolunteerProfile)
class VolunteerProfileAdmin(ServiceAdminMixin, ScopedModelAdmin):
    form = VolunteerProfileAdminForm
    list_display = ("user", "community", "skills", "availability", "is_active", "created_at")
    list_filter = ("is_active",)
    list_select_related = ("user", "community")
    search_fields = ("user__real_name", "skills")
    readonly_fields = ("community", "certificate_links")
    raw_id_fields = ("user",)
    actions = ["export_certificates"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return (*self.readonly_fields, "user")
        return self.readonly_fields

    @admin.display(description=_("志愿服务时长证明"))
    def certificate_links(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:volunteers_volunteerprofile_certificate", args=[obj.pk]),
            gettext("下载（Excel）"),
        )

    def get_urls(self):
        return [
            path(
                "<int:object_id>/certificate/",
                self.admin_site.admin_view(self.certificate_view),
                name="volunteers_volunteerprofile_certificate",
            ),
            *super().get_urls(),
        ]

    def certificate_view(self, request, object_id):
        profile = self.get_queryset(request).filter(pk=object_id).first()
        if profile is None:
            raise Http404
        if not request.user.has_perm("volunteers.export_volunteerprofile", profile):
            raise PermissionDenied
        form = VolunteerCertificateForm(request.GET)
        year = form.cleaned_data.get("year") if form.is_valid() else None
        content = exports.volunteer_certificate_xlsx([profile], year=year)
        return _xlsx_response(content, f"certificate-{profile.pk}.xlsx")

    @admin.action(description=_("导出所选志愿者的服务时长证明（Excel）"), permissions=["view"])
    def export_certificates(self, request, queryset):
        profiles = [
            p
            for p in queryset.select_related("user", "community")
            if request.user.has_perm("volunteers.export_volunteerprofile", p)
        ]
        if not profiles:
            self.message_user(request, gettext("没有可导出的志愿者。"), messages.WARNING)
            return None
        return _xlsx_response(exports.volunteer_certificate_xlsx(profiles), "certificates.xlsx")


@admin.register(PartyMemberReport)
class PartyMemberReportAdmin(ReadOnlyAdminMixin, ScopedModelAdmin):
    list_display = ("profile", "community", "employer_party_org", "reported_on")
    list_select_related = ("profile__user", "community")
    search_fields = ("profile__user__real_name", "employer_party_org")
    date_hierarchy = "reported_on"
