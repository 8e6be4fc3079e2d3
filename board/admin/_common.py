"""Admin plumbing of the board: one service call per selected row, the small forms behind
actions that need a reason, and the xlsx response."""

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.exceptions import ApplicationError


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("原因"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("将公开显示给居民"),
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
        # The parent row is already in the user's scope.
        return True


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


def reason_action(modeladmin, request, queryset, *, title, call, done_message):
    """An admin action that first asks for a reason (an intermediate page), then calls one
    service per selected row with it."""
    form = ReasonForm(request.POST if "apply" in request.POST else None)
    if "apply" in request.POST and form.is_valid():
        reason = form.cleaned_data["reason"]
        run_per_row(modeladmin, request, queryset, lambda obj: call(obj, reason), done_message)
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": modeladmin.model._meta,
        "title": title,
        "form": form,
        "queryset": queryset,
        "action": request.POST.get("action", ""),
        "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
        "submit_label": gettext("确定"),
    }
    return TemplateResponse(request, "admin/board/reason_action.html", context)
