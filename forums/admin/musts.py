"""Admin of the monthly musts 三必做: record an activity (through forums.services.must_record),
and the street admin's table: one row per community for a chosen month, the three kinds done or
not, a month that ended with a kind missing flagged in red; exported per street to Excel."""

import datetime

from django.contrib import admin
from django.db.models import CharField, Exists, OuterRef, Value
from django.http import Http404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.scope import Level, actor_scope
from board.apis._base import xlsx_response
from core.admin import ScopedModelAdmin, ServiceAdminMixin, ServiceModelForm
from grids.models import Street

from .. import selectors, services
from ..exports import musts_xlsx
from ..filters import MONTH_RE
from ..models import Meeting, MonthlyMusts, MustActivity, MustKind
from ..scope import staff_forum_q

MUST_FIELDS = ("community", "kind", "held_on", "title", "note", "meeting", "activity", "topic")


class MustActivityAdminForm(ServiceModelForm):
    class Meta:
        model = MustActivity
        fields = MUST_FIELDS

    def call_service(self):
        if self.instance.pk:
            return self.instance
        data = {name: self.cleaned_data.get(name) for name in MUST_FIELDS}
        data["note"] = data["note"] or ""
        return services.must_record(actor=self.actor, **data)


@admin.register(MustActivity)
class MustActivityAdmin(ServiceAdminMixin, ScopedModelAdmin):
    form = MustActivityAdminForm
    scope_level = Level.ORG
    list_display = ("title", "community", "kind", "held_on", "month_label", "meeting", "topic")
    list_filter = ("kind", "month")
    search_fields = ("title", "community__name")
    date_hierarchy = "held_on"
    raw_id_fields = ("activity", "topic")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("community", "meeting", "topic")

    def get_readonly_fields(self, request, obj=None):
        return (*MUST_FIELDS, "month", "recorded_by") if obj is not None else ()

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("held_on", timezone.localdate())
        return initial

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "community":
            field.queryset = actor_scope(request.user).filter(field.queryset, Level.PEOPLE)
        elif db_field.name == "meeting":
            field.queryset = Meeting.objects.held().filter(
                staff_forum_q(request.user, prefix="forum__", level=Level.PEOPLE),
                forum__community__isnull=False,
            )
        return field

    @admin.display(description=_("所属月份"), ordering="month")
    def month_label(self, obj):
        return selectors.month_key(obj.month)


def _months_back(n=12):
    day = timezone.localdate().replace(day=1)
    months = []
    for _i in range(n):
        months.append(selectors.month_key(day))
        day = (day - datetime.timedelta(days=1)).replace(day=1)
    return months


def chosen_month(request) -> str:
    month = request.GET.get("month", "")
    return month if MONTH_RE.match(month) else selectors.month_key(timezone.localdate())


class MonthFilter(admin.SimpleListFilter):
    title = _("月份")
    parameter_name = "month"

    def lookups(self, request, model_admin):
        return [(m, m) for m in _months_back()]

    def queryset(self, request, queryset):
        return queryset  # the month is applied by the admin's annotations

    def choices(self, changelist):
        current = self.value() or selectors.month_key(timezone.localdate())
        for value, label in self.lookup_choices:
            yield {
                "selected": current == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }


class StateFilter(admin.SimpleListFilter):
    title = _("完成情况")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("complete", _("已完成")),
            ("missed", _("缺项（已结束）")),
            ("open", _("进行中")),
        ]

    def queryset(self, request, queryset):
        all_done = {kind: True for kind in MustKind.values}
        ended = selectors.month_ended(chosen_month(request))
        if self.value() == "complete":
            return queryset.filter(**all_done)
        if self.value() == "missed":
            return queryset.exclude(**all_done) if ended else queryset.none()
        if self.value() == "open":
            return queryset.none() if ended else queryset.exclude(**all_done)
        return queryset


@admin.register(MonthlyMusts)
class MonthlyMustsAdmin(ScopedModelAdmin):
    scope_level = Level.ORG
    list_display = ("name", "street", "month", "moral", "deliberation", "policy", "state", "record")
    list_filter = (MonthFilter, StateFilter, "street")
    search_fields = ("name",)
    list_display_links = None
    change_list_template = "admin/forums/monthlymusts/change_list.html"

    def get_queryset(self, request):
        key = chosen_month(request)
        month = selectors.month_date(key)
        done = {
            kind: Exists(
                MustActivity.objects.filter(community=OuterRef("pk"), month=month, kind=kind)
            )
            for kind in MustKind.values
        }
        return (
            super()
            .get_queryset(request)
            .select_related("street")
            .annotate(musts_month=Value(key, output_field=CharField()), **done)
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _mark(self, done):
        if done:
            return mark_safe('<span style="color:#1e7e34">✓</span>')
        return mark_safe('<span style="color:#6c757d">✗</span>')

    @admin.display(description=_("月份"))
    def month(self, obj):
        return obj.musts_month

    @admin.display(description=MustKind.MORAL_REVIEW.label)
    def moral(self, obj):
        return self._mark(obj.moral_review)

    @admin.display(description=MustKind.DELIBERATION.label)
    def deliberation(self, obj):
        return self._mark(obj.deliberation)

    @admin.display(description=MustKind.POLICY_TALK.label)
    def policy(self, obj):
        return self._mark(obj.policy_talk)

    @admin.display(description=_("完成情况"))
    def state(self, obj):
        if all(getattr(obj, kind) for kind in MustKind.values):
            return format_html('<span style="color:#1e7e34">{}</span>', gettext("已完成"))
        if selectors.month_ended(obj.musts_month):
            return format_html('<strong style="color:#ba2121">{}</strong>', gettext("缺项"))
        return gettext("进行中")

    @admin.display(description=_("登记"))
    def record(self, obj):
        url = reverse("admin:forums_mustactivity_add") + f"?community={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, gettext("登记活动"))

    def changelist_view(self, request, extra_context=None):
        streets = Street.objects.filter(
            pk__in=selectors.musts_communities(actor=request.user).values("street_id")
        )
        extra_context = {
            **(extra_context or {}),
            "musts_month": chosen_month(request),
            "musts_streets": streets,
        }
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        return [
            path(
                "export/",
                self.admin_site.admin_view(self.export_view),
                name="forums_monthlymusts_export",
            ),
            *super().get_urls(),
        ]

    def export_view(self, request):
        if not request.user.has_perm("forums.export_musts"):
            raise Http404
        month = chosen_month(request)
        streets = selectors.musts_streets(actor=request.user)
        street_id = request.GET.get("street", "")
        street = streets.filter(pk=street_id).first() if street_id.isdigit() else streets.first()
        if street is None:
            raise Http404
        communities = list(selectors.musts_communities(actor=request.user, street=street))
        content = musts_xlsx(
            title=gettext("%(street)s 每月三必做") % {"street": street.name},
            communities=communities,
            month=month,
            statuses=selectors.musts_status(communities, [month]),
        )
        return xlsx_response(content, f"musts-{street.pk}-{month}.xlsx")
