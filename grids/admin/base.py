"""The grids admin's plumbing: every save goes through the services (a dry run in a savepoint
shows a refused change as field errors, then the real save calls the same service)."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import transaction

from accounts.scope import Level
from core.admin import ScopedModelAdmin
from core.exceptions import ApplicationError


class _DryRun(Exception):
    pass


def _add_service_errors(form, exc: ApplicationError):
    if exc.code == "forbidden":
        form.add_error(None, exc.message)
        return
    placed = False
    for field, reasons in exc.fields.items():
        target = field if field in form.fields else None
        for reason in reasons:
            form.add_error(target, reason if target else f"{field}: {reason}")
            placed = True
    if not placed:
        form.add_error(None, exc.message)


class ServiceFormMixin:
    """Runs the admin's service in a rolled-back savepoint during validation."""

    service_admin = None
    admin_request = None

    def _post_clean(self):
        super()._post_clean()
        if self.errors or self.service_admin is None:
            return
        try:
            with transaction.atomic():
                self.service_admin.call_service(self.admin_request, self)
                raise _DryRun
        except _DryRun:
            pass
        except ApplicationError as exc:
            _add_service_errors(self, exc)


def _service_data(form, *, changed_only):
    names = form.changed_data if changed_only else list(form.fields)
    return {name: form.cleaned_data[name] for name in names if name in form.cleaned_data}


class ServiceAdminMixin:
    """Admin saves call `service_create(request, data)` / `service_update(request, obj, data)`."""

    def service_create(self, request, data):
        raise NotImplementedError

    def service_update(self, request, obj, data):
        raise NotImplementedError

    def call_service(self, request, form):
        obj = form.instance
        if obj.pk is None:
            return self.service_create(request, _service_data(form, changed_only=False))
        return self.service_update(request, obj, _service_data(form, changed_only=True))

    def _bind(self, form_class, request):
        return type(
            form_class.__name__,
            (ServiceFormMixin, form_class),
            {"service_admin": self, "admin_request": request},
        )


class ServiceModelAdmin(ServiceAdminMixin, ScopedModelAdmin):
    scope_level = Level.ORG

    def get_form(self, request, obj=None, change=False, **kwargs):
        return self._bind(super().get_form(request, obj, change=change, **kwargs), request)

    def save_model(self, request, obj, form, change):
        try:
            saved = self.call_service(request, form)
        except ApplicationError as exc:
            # Validation already ran the same service; only a race gets here.
            raise PermissionDenied(exc.message) from exc
        # The inlines hold a reference to form.instance: make it the saved row.
        obj.pk = saved.pk
        obj._state.adding = False
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        # Many-to-many fields are the services' business; only the inlines remain.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        # The admin's change message reads these lists, which formset.save() would fill.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline_form in formset.forms:
            if not inline_form.has_changed() or inline_form in formset.deleted_forms:
                continue
            adding = inline_form.instance.pk is None
            try:
                saved = formset.service_admin.call_service(request, inline_form)
            except ApplicationError as exc:
                raise PermissionDenied(exc.message) from exc
            if adding:
                formset.new_objects.append(saved)
            else:
                formset.changed_objects.append((saved, inline_form.changed_data))

    def delete_model(self, request, obj):
        raise PermissionDenied

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class ServiceInline(ServiceAdminMixin, admin.TabularInline):
    extra = 0
    can_delete = False

    def call_service(self, request, form):
        # The inline form also carries the parent key and the row id; the services take
        # the parent as an argument of their own.
        obj = form.instance
        if obj.pk is None:
            data = _service_data(form, changed_only=False)
        else:
            data = _service_data(form, changed_only=True)
        data = {k: v for k, v in data.items() if k in self.fields}
        if obj.pk is None:
            return self.service_create(request, data)
        return self.service_update(request, obj, data)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = self._bind(formset.form, request)
        formset.service_admin = self
        return formset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and hasattr(field.queryset.model, "scope_paths"):
            from accounts.scope import actor_scope

            field.queryset = actor_scope(request.user).filter(field.queryset, Level.PEOPLE)
        return field

    def _perm(self, request, action, obj):
        return request.user.has_perm(f"grids.{action}_{self.opts.model_name}", obj)

    def has_view_permission(self, request, obj=None):
        return self._perm(request, "view", obj)

    def has_add_permission(self, request, obj=None):
        return obj is not None and self._perm(request, "add", obj)

    def has_change_permission(self, request, obj=None):
        return self._perm(request, "change", obj)

    def has_delete_permission(self, request, obj=None):
        return False


# The organisation tree -------------------------------------------------------------------------
