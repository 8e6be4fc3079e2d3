"""Admin of a street's departments, event categories and department staff. The street's
admins keep them (saves go through cases.services); the grid side and department staff read
their streets' rows."""

from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.scope import actor_scope
from core.admin import ScopedModelAdmin, ServiceAdminMixin, ServiceModelForm

from .. import selectors, services
from ..models import Department, DepartmentStaff, EventCategory


class DepartmentForm(ServiceModelForm):
    class Meta:
        model = Department
        fields = (
            "street",
            "kind",
            "name",
            "contact_person",
            "phone",
            "address",
            "categories",
            "communities",
            "is_active",
        )

    def call_service(self):
        department = self.instance
        return services.department_save(
            actor=self.actor,
            department=department,
            categories=self.cleaned_data.get("categories"),
            communities=self.cleaned_data.get("communities"),
        )

    def _save_m2m(self):
        """Set by the service."""


class StreetScopedAdmin(ServiceAdminMixin, ScopedModelAdmin):
    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "department":
            field.queryset = selectors.department_queryset(actor=request.user)
        if db_field.name == "default_department":
            field.queryset = selectors.department_queryset(actor=request.user)
        if db_field.name == "user":
            # A department's staff are usually accounts of no community (made for the job):
            # those, and the accounts of the admin's own streets; never a superuser.
            streets = actor_scope(request.user).street_ids
            field.queryset = User.objects.filter(
                Q(claimed_community__isnull=True) | Q(claimed_community__street_id__in=streets),
                is_superuser=False,
                is_active=True,
            )
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "categories":
            field.queryset = selectors.category_queryset(actor=request.user)
        return field


@admin.register(Department)
class DepartmentAdmin(StreetScopedAdmin):
    form = DepartmentForm
    list_display = ("name", "kind", "street", "contact_person", "phone", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name",)
    filter_horizontal = ("categories", "communities")

    def get_queryset(self, request):
        return selectors.department_queryset(actor=request.user)


class CategoryForm(ServiceModelForm):
    class Meta:
        model = EventCategory
        fields = ("street", "name", "handling_hours", "default_department", "is_active")

    def call_service(self):
        return services.category_save(actor=self.actor, category=self.instance)


@admin.register(EventCategory)
class EventCategoryAdmin(StreetScopedAdmin):
    form = CategoryForm
    list_display = ("name", "street", "handling_hours", "default_department", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name",)

    def get_queryset(self, request):
        return selectors.category_queryset(actor=request.user)


class StaffForm(ServiceModelForm):
    class Meta:
        model = DepartmentStaff
        fields = ("department", "user", "is_active")
        help_texts = {"is_active": _("离岗时取消勾选；记录保留，不删除")}

    def call_service(self):
        return services.department_staff_save(actor=self.actor, membership=self.instance)


@admin.register(DepartmentStaff)
class DepartmentStaffAdmin(StreetScopedAdmin):
    form = StaffForm
    list_display = ("user", "department", "is_active")
    list_filter = ("is_active", "department")
    autocomplete_fields = ()
    raw_id_fields = ("user",)

    def get_queryset(self, request):
        return DepartmentStaff.objects.filter(
            department__in=selectors.department_queryset(actor=request.user)
        ).select_related("department", "user")
