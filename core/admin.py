"""Admin plumbing shared by every app: scoped querysets, scoped choices, rules permissions."""

from django import forms
from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from rules.contrib.admin import ObjectPermissionsModelAdmin

from accounts.scope import Level, actor_scope
from core.exceptions import ApplicationError


class ScopedModelAdmin(ObjectPermissionsModelAdmin):
    """A ModelAdmin whose rows and foreign-key choices are limited to the user's scope.

    Permissions come from django-rules (`<app>.<action>_<model>`, checked with the object), the
    rows from the one scope mechanism at `scope_level`.
    """

    scope_level = Level.PEOPLE
    list_per_page = 50

    def has_module_permission(self, request):
        # The rules backend answers object and model permissions, not Django's module
        # permissions: without this, staff who are not superusers see an empty admin index.
        return self.has_view_permission(request) or self.has_add_permission(request)

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


class ServiceModelForm(forms.ModelForm):
    """A ModelForm whose save is one service call.

    The service runs at the very end of validation (after the model's own checks), so a
    refusal becomes form errors and the page is shown again; on success the saved object
    replaces `instance`, and the admin's save_model / save_m2m have nothing left to do.
    """

    actor = None  # set by the admin's get_form for the request

    def call_service(self):
        raise NotImplementedError

    def _post_clean(self):
        super()._post_clean()
        self.service_called = False
        if self.errors:
            return
        try:
            result = self.call_service()
        except ApplicationError as exc:
            self._add_application_error(exc)
            return
        self.service_called = True
        if result is not None:
            self.instance = result

    def _add_application_error(self, exc):
        if not exc.fields:
            self.add_error(None, exc.message)
            return
        for field, reasons in exc.fields.items():
            target = self.service_field_map.get(field, field)
            self.add_error(target if target in self.fields else None, reasons)

    service_field_map = {}

    def changed_values(self, names):
        return {name: self.cleaned_data[name] for name in names if name in self.changed_data}


class ServiceAdminMixin:
    """Admin plumbing for ServiceModelForm: hand the form the actor, skip the admin's own saves."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    def save_model(self, request, obj, form, change):
        """Saved by the service during validation (ServiceModelForm)."""

    def save_related(self, request, form, formsets, change):
        # Inlines here are read-only; the form's many-to-many fields were set by the service.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form
        if getattr(form, "service_called", False):
            # The form passed and the service wrote, but the page is shown again (an inline
            # failed): undo the write so that what the worker sees is what is stored.
            transaction.set_rollback(True)
        return super().render_change_form(request, context, add, change, form_url, obj)


admin.site.site_header = _("街道微网格治理门户")
admin.site.site_title = _("街道微网格治理门户")
admin.site.index_title = _("工作台")
