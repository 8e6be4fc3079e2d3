"""Admin plumbing shared by every app: scoped querysets, scoped choices, rules permissions."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from rules.contrib.admin import ObjectPermissionsModelAdmin

from accounts.scope import Level, actor_scope


class ScopedModelAdmin(ObjectPermissionsModelAdmin):
    """A ModelAdmin whose rows and foreign-key choices are limited to the user's scope.

    Permissions come from django-rules (`<app>.<action>_<model>`, checked with the object), the
    rows from the one scope mechanism at `scope_level`.
    """

    scope_level = Level.PEOPLE
    list_per_page = 50

    def get_queryset(self, request):
        return actor_scope(request.user).filter(super().get_queryset(request), self.scope_level)

    def _scoped_choices(self, request, queryset):
        if hasattr(queryset.model, "scope_paths"):
            level = self.scope_level if self.scope_level is not Level.ORG else Level.PEOPLE
            return actor_scope(request.user).filter(queryset, level)
        return queryset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = self._scoped_choices(request, field.queryset)
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = self._scoped_choices(request, field.queryset)
        return field


class ReadOnlyAdminMixin:
    """For logs and ledgers: nobody adds, edits or deletes rows from the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.site_header = _("街道微网格治理门户")
admin.site.site_title = _("街道微网格治理门户")
admin.site.index_title = _("工作台")
