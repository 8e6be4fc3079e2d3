"""The small forms behind the covenants' admin actions, and the action helper that shows
one of them on an intermediate page and then calls one service per selected row."""

from django import forms
from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from board.admin._common import ReasonForm, run_per_row
from residents.models import Resident

from ..models import Signature, SigningMethod, ThresholdBasis

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class DiscussionForm(forms.Form):
    closes_at = forms.DateTimeField(label=_("讨论截止时间"), widget=DATETIME)


class SigningForm(forms.Form):
    closes_at = forms.DateTimeField(label=_("签署截止时间"), widget=DATETIME)
    method = forms.ChoiceField(label=_("通过方式"), choices=SigningMethod.choices)
    threshold_basis = forms.ChoiceField(
        label=_("门槛基数"),
        choices=ThresholdBasis.choices,
        help_text=_("按户签署只能按应参与户数计算"),
    )
    threshold_numerator = forms.IntegerField(label=_("门槛分子"), min_value=1, initial=2)
    threshold_denominator = forms.IntegerField(label=_("门槛分母"), min_value=1, initial=3)


class DecideForm(forms.Form):
    effective_on = forms.DateField(
        label=_("生效日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("留空为今天；未达到门槛时不生效"),
    )


class AmendForm(forms.Form):
    text_html = forms.CharField(label=_("修订后的正文"), widget=forms.Textarea(attrs={"rows": 12}))
    change_summary = forms.CharField(label=_("修订说明"), max_length=300)


class PaperSignatureForm(forms.Form):
    """A paper signature (or vote) of an offline household; `residents` (the worker's people
    scope) is set on a subclass per request."""

    residents = Resident.objects.none()

    resident = forms.ModelChoiceField(
        label=_("居民档案编号"),
        queryset=Resident.objects.none(),
        widget=forms.TextInput,
        help_text=_("代表户签署的家庭成员，在居民档案中查到的编号"),
    )
    choice = forms.ChoiceField(
        label=_("意见"),
        required=False,
        choices=[("", _("按户签署：同意")), *Signature.Choice.choices],
        help_text=_("表决时选择同意或反对"),
    )
    note = forms.CharField(label=_("说明"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].queryset = self.residents


def form_action(modeladmin, request, queryset, *, form_class, title, call, done_message):
    """Ask for the form's values on an intermediate page, then call `call(obj, **values)`
    for each selected row (refusals reported per row)."""
    form = form_class(request.POST if "apply" in request.POST else None)
    if "apply" in request.POST and form.is_valid():
        values = form.cleaned_data
        run_per_row(modeladmin, request, queryset, lambda obj: call(obj, **values), done_message)
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


__all__ = [
    "AmendForm",
    "DecideForm",
    "DiscussionForm",
    "PaperSignatureForm",
    "ReasonForm",
    "SigningForm",
    "form_action",
    "run_per_row",
]
