"""Intermediate forms of the admin actions (input for one service call)."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scope import Level, actor_scope

from ..models import ContractFee, PropertyArea


class ActionForm(forms.Form):
    def __init__(self, *args, request=None, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)


class EndedOnForm(ActionForm):
    ended_on = forms.DateField(label=_("终止日期"), initial=timezone.localdate)


class ContractEndForm(EndedOnForm):
    reason = forms.CharField(label=_("终止原因"), max_length=200)


class FeesMixin(forms.Form):
    residential = forms.DecimalField(
        label=_("住宅（元/平方米·月）"), max_digits=6, decimal_places=2, required=False
    )
    commercial = forms.DecimalField(
        label=_("商业（元/平方米·月）"), max_digits=6, decimal_places=2, required=False
    )

    def fees(self):
        """{kind: fee} of the filled fields (the service checks them, at least one)."""
        return {
            kind: self.cleaned_data[kind]
            for kind in (ContractFee.PropertyKind.RESIDENTIAL, ContractFee.PropertyKind.COMMERCIAL)
            if self.cleaned_data.get(kind) is not None
        }


class DecideForm(FeesMixin, ActionForm):
    starts_on = forms.DateField(label=_("合同开始"), initial=timezone.localdate)
    ends_on = forms.DateField(
        label=_("合同到期"),
        initial=lambda: timezone.localdate() + datetime.timedelta(days=3 * 365),
    )


class MergeAreasForm(ActionForm):
    name = forms.CharField(label=_("合并后区域名称"), max_length=64)
    merged_on = forms.DateField(label=_("合并日期"), initial=timezone.localdate)
    reason = forms.CharField(label=_("合并原因"), widget=forms.Textarea(attrs={"rows": 3}))


class MergeCommitteesForm(ActionForm):
    area = forms.ModelChoiceField(
        label=_("合并后业委会所属区域"), queryset=PropertyArea.objects.none()
    )
    merged_on = forms.DateField(label=_("合并日期"), initial=timezone.localdate)
    term_starts_on = forms.DateField(label=_("新业委会任期开始"))
    term_ends_on = forms.DateField(label=_("新业委会任期届满"))
    reason = forms.CharField(label=_("合并原因"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = actor_scope(self.request.user).filter(
            PropertyArea.objects.filter(status=PropertyArea.Status.ACTIVE), Level.PEOPLE
        )


class OpenVotingForm(ActionForm):
    closes_at = forms.DateTimeField(
        label=_("投票截止"), required=False, help_text=_("留空则用原定截止时间")
    )
