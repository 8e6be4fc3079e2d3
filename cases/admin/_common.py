"""Admin plumbing of the cases app: one service call per selected row, and the steps that ask
for something first (a reason, a department, evidence photos) — as an admin action over the
selected rows (Django's intermediate-page pattern) and as a button on one event's page."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from core.exceptions import ApplicationError

STEP_TEMPLATE = "admin/cases/step_form.html"


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("原因"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("必填，最多 200 字；记入事件进展。"),
    )


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
        return True  # the parent row is already within the user's sight


def run_per_row(modeladmin, request, queryset, call, done_message):
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
    return done


def add_service_error(form, exc: ApplicationError):
    placed = False
    for field, reasons in (exc.fields or {}).items():
        if field in form.fields:
            form.add_error(field, reasons)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


def _render(modeladmin, request, *, title, form, objects, back_url, action=None):
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": modeladmin.model._meta,
        "title": title,
        "form": form,
        "objects": objects,
        "back_url": back_url,
        "action_name": action,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, STEP_TEMPLATE, context)


def form_action(modeladmin, request, queryset, *, form_class, title, call, done_message, back_url):
    """First POST of the action shows the form for the selected rows; the second, with
    `apply`, calls one service per row with the form's data."""
    form = form_class(request.POST if "apply" in request.POST else None)
    if form.is_bound and form.is_valid():
        run_per_row(
            modeladmin, request, queryset, lambda obj: call(obj, form.cleaned_data), done_message
        )
        return None
    return _render(
        modeladmin,
        request,
        title=title,
        form=form,
        objects=list(queryset),
        back_url=back_url,
        action=request.POST.get("action"),
    )


def form_view(modeladmin, request, obj, *, form, title, call, done_message, back_url):
    """The same step for one row, from a button on its page."""
    if form.is_bound and form.is_valid():
        try:
            call(obj, form.cleaned_data)
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            modeladmin.message_user(request, done_message, messages.SUCCESS)
            return HttpResponseRedirect(back_url)
    return _render(modeladmin, request, title=title, form=form, objects=[obj], back_url=back_url)
