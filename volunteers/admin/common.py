"""Plumbing the volunteers admin pages share: read-only inlines, Excel responses, one service
call per selected row, and the steps that must ask for a reason first (cancelling an activity,
rejecting hours) — as an admin action over selected rows and as a button on one row's page."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from core.exceptions import ApplicationError

from .. import exports

REASON_TEMPLATE = "admin/volunteers/reason_form.html"


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


def xlsx_response(content, filename):
    response = HttpResponse(content, content_type=exports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


def run_per_row(modeladmin, request, queryset, call, done_message):
    """Call one service per selected row; report successes and each refusal.

    `done_message` is a function of the number of rows done (an ngettext of the caller)."""
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


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("原因"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("必填，最多 200 字；会告知相关居民或记入审核说明。"),
    )

    def __init__(self, *args, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if label is not None:
            self.fields["reason"].label = label

    def add_service_error(self, exc: ApplicationError):
        """A refusal from the service, shown on the form: on the reason when it names it."""
        reasons = (exc.fields or {}).get("reason")
        if reasons:
            self.add_error("reason", reasons)
        else:
            self.add_error(None, exc.message)


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
    return TemplateResponse(request, REASON_TEMPLATE, context)


def reason_action(
    modeladmin, request, queryset, *, title, intro, label, call, done_message, back_url
):
    """Django's intermediate-page pattern (as delete_selected does it): the action's first POST
    shows a reason form for the selected rows; the second, with `apply`, calls one service per
    row with the reason. No reason, no call: the form is shown again with its error."""
    form = ReasonForm(request.POST if "apply" in request.POST else None, label=label)
    if form.is_bound and form.is_valid():
        reason = form.cleaned_data["reason"]
        run_per_row(modeladmin, request, queryset, lambda obj: call(obj, reason), done_message)
        return None  # the admin goes back to the change list
    return _render(
        modeladmin,
        request,
        title=title,
        intro=intro,
        form=form,
        objects=list(queryset),
        back_url=back_url,
        action=request.POST.get("action"),
    )


def reason_view(modeladmin, request, obj, *, title, intro, label, call, done_message, back_url):
    """The same step for one row, from a button on its page."""
    form = ReasonForm(request.POST if request.method == "POST" else None, label=label)
    if form.is_bound and form.is_valid():
        try:
            call(obj, form.cleaned_data["reason"])
        except ApplicationError as exc:
            form.add_service_error(exc)
        else:
            modeladmin.message_user(request, done_message, messages.SUCCESS)
            return HttpResponseRedirect(back_url)
    return _render(
        modeladmin,
        request,
        title=title,
        intro=intro,
        form=form,
        objects=[obj],
        back_url=back_url,
    )
