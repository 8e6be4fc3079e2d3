"""Admin plumbing: an action that asks for input on an intermediate page (board's template)
and calls one service per selected row, reporting each refusal."""

from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils.translation import gettext

from board.admin._common import ReadOnlyInline, reason_action, run_per_row

__all__ = ["ReadOnlyInline", "form_action", "reason_action", "run_per_row"]


def form_action(
    modeladmin, request, queryset, *, form_class, title, call, done_message, once=False
):
    """Ask for `form_class` first; then `call(obj, cleaned_data)` per row (or, with `once`,
    `call(queryset, cleaned_data)` a single time)."""
    form = form_class(request.POST if "apply" in request.POST else None, request=request)
    if "apply" in request.POST and form.is_valid():
        if once:
            run_per_row(
                modeladmin,
                request,
                [queryset],
                lambda qs: call(qs, form.cleaned_data),
                done_message,
            )
        else:
            run_per_row(
                modeladmin,
                request,
                queryset,
                lambda obj: call(obj, form.cleaned_data),
                done_message,
            )
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
