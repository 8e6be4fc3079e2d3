"""The workers' admin for the people's-conditions database.

Every save goes through residents.services: the admin form runs the service once the form and
the model validated (`ServiceModelForm`), shows its refusal as form errors, and the admin's own
save steps become no-ops. Opening a resident's change page writes the access log; the full ID
number is shown only through the reveal page, which asks for a reason and logs it.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts.scope import Level, actor_scope
from core.admin import ReadOnlyAdminMixin, ScopedModelAdmin, ServiceAdminMixin, ServiceModelForm
from core.exceptions import ApplicationError

from . import idcard, selectors, services
from .admin_import import ResidentImportExportMixin
from .filters import ResidentFilter
from .models import Household, Resident, ResidentAccessLog, Tag, TagFamily


def client_ip(request):
    return request.META.get("REMOTE_ADDR") or None


def _text_color(background: str) -> str:
    """Black or white text, whichever reads better on the chip colour (WCAG luminance)."""

    def channel(hex_pair):
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(background[i : i + 2]) for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#000000" if luminance > 0.179 else "#FFFFFF"


def tag_chip(tag):
    # The tag's name is always written inside the chip: colour is never the only signal.
    return format_html(
        '<span class="resident-tag" title="{}" style="background:{};color:{};padding:1px 6px;'
        'border-radius:8px;margin:1px;display:inline-block;white-space:nowrap">{}</span>',
        tag.get_family_display(),
        tag.color,
        _text_color(tag.color),
        tag.name,
    )


# ---------------------------------------------------------------------------------------------
# Forms whose save is a service call


class HistoryAccessMixin:
    """Change history: street admins of the record's street and superusers only, read-only."""

    history_permission = None

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_queryset(request).filter(pk=object_id).first()
        if obj is None:
            raise Http404
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            # A revert would write past the services; history is for reading.
            raise PermissionDenied
        if self.get_queryset(request).filter(pk=object_id).first() is None:
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)

    def has_view_history_or_change_history_permission(self, request, obj=None):
        return request.user.has_perm(self.history_permission, obj)

    def has_view_history_permission(self, request, obj=None):
        return request.user.has_perm(self.history_permission, obj)

    def has_change_history_permission(self, request, obj=None):
        return False


# ---------------------------------------------------------------------------------------------
# Residents


class TagsAllFilter(admin.SimpleListFilter):
    """Residents carrying every selected tag; a click adds the tag to the set or removes it."""

    title = _("标签（可多选，同时具有）")
    parameter_name = "tags_all"

    def _selected(self):
        return {int(v) for v in (self.value() or "").split(",") if v.isdigit()}

    def lookups(self, request, model_admin):
        tags = selectors.tag_queryset(actor=request.user).order_by("family", "sort_order", "name")
        return [(tag.pk, f"{tag.get_family_display()}·{tag.name}") for tag in tags]

    def queryset(self, request, queryset):
        for tag_id in sorted(self._selected()):
            queryset = queryset.filter(tags=tag_id)
        return queryset

    def choices(self, changelist):
        selected = self._selected()
        yield {
            "selected": not selected,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": _("全部"),
        }
        for pk, title in self.lookup_choices:
            toggled = selected ^ {pk}
            if toggled:
                value = ",".join(str(i) for i in sorted(toggled))
                query = changelist.get_query_string({self.parameter_name: value})
            else:
                query = changelist.get_query_string(remove=[self.parameter_name])
            yield {"selected": pk in selected, "query_string": query, "display": title}


class TagFamilyFilter(admin.SimpleListFilter):
    title = _("标签类别")
    parameter_name = "tag_family"

    def lookups(self, request, model_admin):
        return TagFamily.choices

    def queryset(self, request, queryset):
        if self.value():
            return ResidentFilter({"tag_family": self.value()}, queryset=queryset).qs
        return queryset


RESIDENT_FORM_FIELDS = [
    "name", "gender", "birth_date", "phone", "community", "grid", "building", "room",
    "household", "relation_to_head", "status", "tags", "notes",
]  # fmt: skip
HOUSEHOLD_FORM_FIELDS = ["community", "grid", "building", "room", "address", "phone", "notes"]
TAG_FORM_FIELDS = ["street", "family", "name", "color", "description", "sort_order"]


class ResidentAdminForm(ServiceModelForm):
    new_id_number = forms.CharField(
        label=_("录入/更正身份证号"),
        required=False,
        max_length=32,
        help_text=_("只在录入或更正时填写；保存后仅显示脱敏号码。"),
    )
    clear_id_number = forms.BooleanField(
        label=_("清除身份证号"), required=False, help_text=_("误录时勾选，保存后清除。")
    )

    # The model fields the service takes; the admin builds its form class from the fieldsets,
    # whose Meta lists the form-only fields too, so this list is kept apart.
    service_fields = RESIDENT_FORM_FIELDS

    class Meta:
        model = Resident
        fields = RESIDENT_FORM_FIELDS

    service_field_map = {"id_number": "new_id_number"}

    def clean_new_id_number(self):
        number = idcard.normalize_id_number(self.cleaned_data["new_id_number"])
        if number:
            idcard.validate_id_number(number)
        return number

    def call_service(self):
        fields = [f for f in self.service_fields if f in self.fields]
        if self.instance.pk is None:
            values = {f: self.cleaned_data.get(f) for f in fields}
            values["tags"] = list(values.get("tags") or [])
            for key in ("gender", "relation_to_head", "room", "phone", "notes"):
                values[key] = values.get(key) or ""
            values["id_number"] = self.cleaned_data.get("new_id_number", "")
            return services.resident_create(actor=self.actor, **values)
        values = self.changed_values(fields)
        if "tags" in values:
            values["tags"] = list(values["tags"])
        if self.cleaned_data.get("new_id_number"):
            values["id_number"] = self.cleaned_data["new_id_number"]
        elif self.cleaned_data.get("clear_id_number"):
            values["id_number"] = ""
        if not values:
            return self.instance
        return services.resident_update(actor=self.actor, resident=self.instance, **values)


@admin.register(Resident)
class ResidentAdmin(
    ResidentImportExportMixin, ServiceAdminMixin, HistoryAccessMixin, SimpleHistoryAdmin,
    ScopedModelAdmin,
):  # fmt: skip
    form = ResidentAdminForm
    history_permission = "residents.view_history_resident"
    list_display = [
        "name", "gender", "id_number_masked", "phone_display", "community", "grid", "building",
        "room", "status", "tag_chips",
    ]  # fmt: skip
    list_filter = [
        TagsAllFilter,
        TagFamilyFilter,
        ("community", admin.RelatedOnlyFieldListFilter),
        ("grid", admin.RelatedOnlyFieldListFilter),
        ("building", admin.RelatedOnlyFieldListFilter),
        "status",
    ]
    list_select_related = ["community", "grid", "building"]
    search_fields = ["name", "=phone", "=room"]
    search_help_text = _("按姓名、电话、室号搜索；输入完整18位身份证号可精确查找。")
    readonly_fields = ["id_number_masked", "account"]
    fieldsets = [
        (None, {"fields": ["name", "gender", "birth_date", "id_number_masked",
                           "new_id_number", "clear_id_number", "phone"]}),
        (_("居住"), {"fields": ["community", "grid", "building", "room", "household",
                              "relation_to_head", "status"]}),
        (_("标签与备注"), {"fields": ["tags", "notes"]}),
        (_("账号"), {"fields": ["account"]}),
    ]  # fmt: skip
    filter_horizontal = ["tags"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(selectors.tags_prefetch())

    @admin.display(description=_("联系电话"))
    def phone_display(self, obj):
        return obj.phone_masked

    @admin.display(description=_("标签"))
    def tag_chips(self, obj):
        return format_html_join("", "{}", ((tag_chip(tag),) for tag in obj.tags.all()))

    def get_search_results(self, request, queryset, search_term):
        number = idcard.normalize_id_number(search_term)
        if len(number) == 18:
            try:
                idcard.validate_id_number(number)
            except forms.ValidationError:
                pass
            else:
                # Exact match through the blind index; nothing is decrypted to search.
                return queryset.filter(id_number_index=services.id_number_index(number)), False
        return super().get_search_results(request, queryset, search_term)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name in ("community", "grid", "building") and field is not None:
            # A grid leader holds no whole community, yet files residents of their grid in it:
            # the places offered are the organisation units the actor works in.
            field.queryset = actor_scope(request.user).filter(
                db_field.remote_field.model.objects.all(), Level.ORG
            )
        return field

    def get_urls(self):
        urls = [
            path(
                "<path:object_id>/reveal-id/",
                self.admin_site.admin_view(self.reveal_id_view),
                name="residents_resident_reveal_id",
            )
        ]
        return urls + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        resident = self.get_queryset(request).filter(pk=object_id).first()
        extra_context = dict(extra_context or {})
        if resident is not None and self.has_view_permission(request, resident):
            if request.method == "GET":
                services.resident_record_view(
                    actor=request.user, resident=resident, channel="admin", ip=client_ip(request)
                )
            extra_context["can_reveal_id"] = bool(resident.id_number_index) and (
                request.user.has_perm("residents.reveal_id_number_resident", resident)
            )
            extra_context["can_view_history"] = request.user.has_perm(
                self.history_permission, resident
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def reveal_id_view(self, request, object_id):
        resident = self.get_queryset(request).filter(pk=object_id).first()
        if resident is None:
            raise Http404
        if not request.user.has_perm("residents.reveal_id_number_resident", resident):
            raise PermissionDenied
        form = RevealIdForm(request.POST or None)
        number = None
        if request.method == "POST" and form.is_valid():
            try:
                number = services.resident_reveal_id_number(
                    actor=request.user,
                    resident=resident,
                    reason=form.cleaned_data["reason"],
                    channel="admin",
                    ip=client_ip(request),
                )
            except ApplicationError as exc:
                form.add_error("reason" if "reason" in exc.fields else None, exc.message)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("查看完整身份证号"),
            "opts": self.opts,
            "original": resident,
            "form": form,
            "id_number": number,
            "change_url": reverse("admin:residents_resident_change", args=[resident.pk]),
        }
        return TemplateResponse(request, "admin/residents/resident/reveal_id.html", context)

    def delete_model(self, request, obj):
        services.resident_delete(actor=request.user, resident=obj)

    def delete_queryset(self, request, queryset):
        for resident in queryset:
            services.resident_delete(actor=request.user, resident=resident)


class RevealIdForm(forms.Form):
    reason = forms.CharField(
        label=_("查看事由"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("如“为居民办理高龄津贴核对身份”。事由与查看人、时间一并记入查阅记录。"),
    )


# ---------------------------------------------------------------------------------------------
# Households


class HouseholdMemberInline(admin.TabularInline):
    """The household's members, read-only: a member is edited on their own resident page."""

    model = Resident
    fk_name = "household"
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ["name", "relation_to_head", "id_number_masked", "phone_display", "status"]
    readonly_fields = fields
    verbose_name = _("成员")
    verbose_name_plural = _("户成员")

    @admin.display(description=_("联系电话"))
    def phone_display(self, obj):
        return obj.phone_masked

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("residents.view_household", obj)


class HouseholdAdminForm(ServiceModelForm):
    service_fields = HOUSEHOLD_FORM_FIELDS

    class Meta:
        model = Household
        fields = HOUSEHOLD_FORM_FIELDS

    def call_service(self):
        fields = [f for f in self.service_fields if f in self.fields]
        if self.instance.pk is None:
            values = {f: self.cleaned_data.get(f) for f in fields}
            return services.household_create(actor=self.actor, **values)
        values = self.changed_values(fields)
        if not values:
            return self.instance
        return services.household_update(actor=self.actor, household=self.instance, **values)


@admin.register(Household)
class HouseholdAdmin(ServiceAdminMixin, HistoryAccessMixin, SimpleHistoryAdmin, ScopedModelAdmin):
    form = HouseholdAdminForm
    history_permission = "residents.view_history_household"
    inlines = [HouseholdMemberInline]
    list_display = ["__str__", "community", "grid", "building", "room", "address", "phone_display"]
    list_select_related = ["community", "grid", "building"]
    list_filter = [
        ("community", admin.RelatedOnlyFieldListFilter),
        ("grid", admin.RelatedOnlyFieldListFilter),
        ("building", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["room", "address"]

    @admin.display(description=_("家庭电话"))
    def phone_display(self, obj):
        return obj.phone_masked

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name in ("community", "grid", "building") and field is not None:
            field.queryset = actor_scope(request.user).filter(
                db_field.remote_field.model.objects.all(), Level.ORG
            )
        return field

    def delete_model(self, request, obj):
        services.household_delete(actor=request.user, household=obj)

    def delete_queryset(self, request, queryset):
        for household in queryset:
            services.household_delete(actor=request.user, household=household)


# ---------------------------------------------------------------------------------------------
# Tags


class TagAdminForm(ServiceModelForm):
    service_fields = TAG_FORM_FIELDS

    class Meta:
        model = Tag
        fields = TAG_FORM_FIELDS
        widgets = {"color": forms.TextInput(attrs={"type": "color"})}

    def call_service(self):
        if self.instance.pk is None:
            return services.tag_create(
                actor=self.actor, **{f: self.cleaned_data[f] for f in self.service_fields}
            )
        values = self.changed_values(["family", "name", "color", "description", "sort_order"])
        if not values:
            return self.instance
        return services.tag_update(actor=self.actor, tag=self.instance, **values)


@admin.register(Tag)
class TagAdmin(ServiceAdminMixin, ScopedModelAdmin):
    form = TagAdminForm
    list_display = ["chip", "family", "street", "description", "sort_order", "resident_count"]
    list_filter = ["family", ("street", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["street"]
    search_fields = ["name", "description"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(resident_count=Count("residents"))

    def get_readonly_fields(self, request, obj=None):
        # The street of an existing tag is fixed: residents of that street carry it.
        return ["street"] if obj is not None else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "street" and field is not None:
            scope = actor_scope(request.user)
            if not scope.is_global:
                field.queryset = field.queryset.filter(pk__in=scope.street_ids)
        return field

    @admin.display(description=_("标签"), ordering="name")
    def chip(self, obj):
        return tag_chip(obj)

    @admin.display(description=_("居民数"), ordering="resident_count")
    def resident_count(self, obj):
        return obj.resident_count

    def delete_model(self, request, obj):
        services.tag_delete(actor=request.user, tag=obj)

    def delete_queryset(self, request, queryset):
        for tag in queryset:
            services.tag_delete(actor=request.user, tag=tag)


# ---------------------------------------------------------------------------------------------
# Access log


@admin.register(ResidentAccessLog)
class ResidentAccessLogAdmin(ReadOnlyAdminMixin, ScopedModelAdmin):
    list_display = ["at", "user", "action", "resident_link", "community", "reason", "channel",
                    "ip_address"]  # fmt: skip
    list_filter = ["action", "channel", ("community", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["resident_name", "user__username", "user__real_name", "reason"]
    date_hierarchy = "at"
    list_select_related = ["user", "community"]

    def get_queryset(self, request):
        return selectors.access_log_queryset(actor=request.user)

    @admin.display(description=_("居民"))
    def resident_link(self, obj):
        if obj.resident_id is None:
            return format_html("{} {}", obj.resident_name, gettext("（记录已删除）"))
        url = reverse("admin:residents_resident_change", args=[obj.resident_id])
        return format_html('<a href="{}">{}</a>', url, obj.resident_name)

    def has_module_permission(self, request):
        return request.user.has_perm("residents.view_residentaccesslog")

    def get_actions(self, request):
        return {}
