"""Admin of who serves: service teams (with their yearly Excel record), volunteers (with the
certificate of hours, printable as an A4 page or downloaded as Excel) and in-service party
members' reports. Every save goes through the services."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdminMixin, ScopedModelAdmin, ServiceAdminMixin, ServiceModelForm

from .. import exports
from ..models import PartyMemberReport, ServiceTeam, TeamMembership, VolunteerProfile
from ..selectors.certificates import certificates_for
from ..services import people as people_services
from .common import ReadOnlyInline, xlsx_response

CERTIFICATE_TEMPLATE = "admin/volunteers/certificate.html"

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
        return xlsx_response(content, f"team-{team.pk}-{year}.xlsx")

    @admin.action(description=_("导出所选服务队今年的服务记录（Excel）"), permissions=["view"])
    def export_this_year(self, request, queryset):
        teams = [t for t in queryset if request.user.has_perm("volunteers.export_serviceteam", t)]
        if len(teams) != 1:
            self.message_user(request, gettext("请选择一个服务队导出。"), messages.WARNING)
            return None
        year = timezone.localdate().year
        content = exports.team_year_record_xlsx(teams[0], year=year)
        return xlsx_response(content, f"team-{teams[0].pk}-{year}.xlsx")


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
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)


def _year(request):
    """The certificate's year from the query string; anything invalid means all years."""
    form = VolunteerCertificateForm(request.GET)
    return form.cleaned_data.get("year") if form.is_valid() else None


@admin.register(VolunteerProfile)
class VolunteerProfileAdmin(ServiceAdminMixin, ScopedModelAdmin):
    form = VolunteerProfileAdminForm
    change_form_template = "admin/volunteers/volunteerprofile/change_form.html"
    list_display = ("user", "community", "skills", "availability", "is_active", "created_at")
    list_filter = ("is_active",)
    list_select_related = ("user", "community")
    search_fields = ("user__real_name", "skills")
    readonly_fields = ("community", "certificate_links")
    raw_id_fields = ("user",)
    actions = ["print_certificates", "export_certificates"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return (*self.readonly_fields, "user")
        return self.readonly_fields

    @admin.display(description=_("志愿服务时长证明"))
    def certificate_links(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        year = timezone.localdate().year
        print_url = reverse("admin:volunteers_volunteerprofile_certificate_print", args=[obj.pk])
        excel_url = reverse("admin:volunteers_volunteerprofile_certificate", args=[obj.pk])
        return format_html(
            '<a href="{}" target="_blank">{}</a> · <a href="{}?year={}" target="_blank">{}</a>'
            ' · <a href="{}">{}</a>',
            print_url,
            gettext("打印（A4，全部年度）"),
            print_url,
            year,
            gettext("打印（A4，%(year)s 年）") % {"year": year},
            excel_url,
            gettext("下载（Excel）"),
        )

    def get_urls(self):
        return [
            path(
                "<int:object_id>/certificate/",
                self.admin_site.admin_view(self.certificate_view),
                name="volunteers_volunteerprofile_certificate",
            ),
            path(
                "<int:object_id>/certificate/print/",
                self.admin_site.admin_view(self.certificate_print_view),
                name="volunteers_volunteerprofile_certificate_print",
            ),
            *super().get_urls(),
        ]

    def _profile_for_certificate(self, request, object_id):
        """The profile in the worker's scope (else 404) whose certificate they may issue."""
        profile = (
            self.get_queryset(request).select_related("user", "community").filter(pk=object_id)
        ).first()
        if profile is None:
            raise Http404
        if not request.user.has_perm("volunteers.export_volunteerprofile", profile):
            raise PermissionDenied
        return profile

    def _print_page(self, request, profiles, *, year, back_url):
        context = {
            "certificates": certificates_for(profiles, year=year),
            "back_url": back_url,
        }
        return TemplateResponse(request, CERTIFICATE_TEMPLATE, context)

    def certificate_view(self, request, object_id):
        profile = self._profile_for_certificate(request, object_id)
        content = exports.volunteer_certificate_xlsx([profile], year=_year(request))
        return xlsx_response(content, f"certificate-{profile.pk}.xlsx")

    def certificate_print_view(self, request, object_id):
        profile = self._profile_for_certificate(request, object_id)
        back_url = reverse("admin:volunteers_volunteerprofile_change", args=[profile.pk])
        return self._print_page(request, [profile], year=_year(request), back_url=back_url)

    def _exportable(self, request, queryset):
        return [
            p
            for p in queryset.select_related("user", "community")
            if request.user.has_perm("volunteers.export_volunteerprofile", p)
        ]

    @admin.action(description=_("打印所选志愿者的服务时长证明（A4）"), permissions=["view"])
    def print_certificates(self, request, queryset):
        profiles = self._exportable(request, queryset)
        if not profiles:
            self.message_user(request, gettext("没有可导出的志愿者。"), messages.WARNING)
            return None
        back_url = reverse("admin:volunteers_volunteerprofile_changelist")
        return self._print_page(request, profiles, year=None, back_url=back_url)

    @admin.action(description=_("导出所选志愿者的服务时长证明（Excel）"), permissions=["view"])
    def export_certificates(self, request, queryset):
        profiles = self._exportable(request, queryset)
        if not profiles:
            self.message_user(request, gettext("没有可导出的志愿者。"), messages.WARNING)
            return None
        return xlsx_response(exports.volunteer_certificate_xlsx(profiles), "certificates.xlsx")


@admin.register(PartyMemberReport)
class PartyMemberReportAdmin(ReadOnlyAdminMixin, ScopedModelAdmin):
    list_display = ("profile", "community", "employer_party_org", "reported_on")
    list_select_related = ("profile__user", "community")
    search_fields = ("profile__user__real_name", "employer_party_org")
    date_hierarchy = "reported_on"
