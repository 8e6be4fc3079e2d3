"""Admin plumbing of reporting upward: read-only inlines, one service call per selected row,
and the intermediate form page (a reason or result note before a move; the mark-items form)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse

from core.exceptions import ApplicationError

FORM_TEMPLATE = "admin/reporting/step_form.html"


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

    def has_view_permission(self, request, obj=None):
        return True  # the parent row is already in the user's scope


def run_per_row(modeladmin, request, queryset, call, done_message):
    """One service call per selected row; report the successes and each refusal."""
    done = 0
    for obj in queryset:
        try:
            call(obj)
        except ApplicationError as exc:
            modeladmin.message_user(request, f"{obj}：{exc.message}", messages.WARNING)
        else:
            done += 1
    if done:
        modeladmin.message_user(request, done_message(done), messages.SUCCESS)
    return done


def _render(modeladmin, request, *, title, intro, form, objects, back_url, action=None):
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": modeladmin.model._meta,
        "title": title,
        "intro": intro,
        "form": form,
        "objects": objects,
        "back_url": back_url,
        "action_name": action,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, FORM_TEMPLATE, context)


def _add_service_error(form, exc):
    for field, reasons in (exc.fields or {}).items():
        if field in form.fields:
            form.add_error(field, reasons)
            return
    form.add_error(None, exc.message)


class ReasonForm(forms.Form):
    def __init__(self, *args, label, max_length, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"] = forms.CharField(
            label=label, max_length=max_length, widget=forms.Textarea(attrs={"rows": 3})
        )
