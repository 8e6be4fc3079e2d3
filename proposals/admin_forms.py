"""The small forms behind the workers' action buttons in the admin. Each is parsed here and
handed to one service; the service's errors come back as messages on the same form."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grids.models import Building, Community, MicroGrid
from residents.models import Resident

from .models import Category, Deliberation, Topic


class TextForm(forms.Form):
    text = forms.CharField(label=_("回应内容"), widget=forms.Textarea(attrs={"rows": 4}))


class SolveForm(forms.Form):
    text = forms.CharField(label=_("如何解决"), widget=forms.Textarea(attrs={"rows": 4}))


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("公开理由"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("将公开显示给居民"),
    )


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(label=_("合并到"), queryset=Topic.objects.none())
    note = forms.CharField(label=_("说明"), required=False)

    def __init__(self, *args, topic, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = (
            Topic.objects.filter(community_id=topic.community_id)
            .exclude(pk=topic.pk)
            .exclude(state=Topic.State.MERGED)
            .order_by("-raised_at")
        )


class OpenForHandsForm(forms.Form):
    deadline = forms.DateTimeField(
        label=_("举手截止时间"),
        required=False,
        help_text=_("留空则按街道默认天数"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    threshold = forms.IntegerField(
        label=_("立项举手数"),
        required=False,
        help_text=_("留空则按居民区/街道设定"),
    )
    note = forms.CharField(label=_("说明"), required=False)


class AdoptForm(forms.Form):
    title = forms.CharField(label=_("项目名称"), max_length=100)
    plan = forms.CharField(label=_("实施方案"), required=False, widget=forms.Textarea)
    note = forms.CharField(label=_("说明"), required=False)


class PartyBranchHandForm(forms.Form):
    note = forms.CharField(label=_("说明"), required=False)


class DeliberationForm(forms.Form):
    round = forms.ChoiceField(label=_("议事轮次"), choices=Deliberation.Round.choices)
    held_on = forms.DateField(
        label=_("会议日期"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    place = forms.CharField(label=_("地点"), max_length=100)
    attendance = forms.IntegerField(label=_("参会人数"))
    attendees = forms.CharField(
        label=_("参会人员"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    minutes = forms.CharField(label=_("会议纪要"), widget=forms.Textarea)
    outcome = forms.CharField(label=_("议事结果"), widget=forms.Textarea(attrs={"rows": 3}))


class NoteForm(forms.Form):
    text = forms.CharField(label=_("内部备注"), widget=forms.Textarea(attrs={"rows": 3}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=200)


class RestoreForm(forms.Form):
    note = forms.CharField(label=_("审核说明"), required=False)


class TopicEntryForm(forms.Form):
    """A worker enters a topic heard on a visit, at the board, the box or a patrol."""

    community = forms.ModelChoiceField(label=_("居民区"), queryset=Community.objects.none())
    category = forms.ModelChoiceField(label=_("类别"), queryset=Category.objects.none())
    title = forms.CharField(label=_("标题"), max_length=80)
    body = forms.CharField(label=_("内容"), widget=forms.Textarea)
    source = forms.ChoiceField(
        label=_("来源"),
        choices=[c for c in Topic.Source.choices if c[0] != Topic.Source.APP],
    )
    grid = forms.ModelChoiceField(
        label=_("微网格"), queryset=MicroGrid.objects.none(), required=False
    )
    building = forms.ModelChoiceField(
        label=_("楼组"), queryset=Building.objects.none(), required=False
    )
    on_behalf_of = forms.ModelChoiceField(
        label=_("代为提出的居民编号"),
        queryset=Resident.objects.none(),
        required=False,
        widget=forms.TextInput,
        help_text=_("居民档案编号；不填则为匿名来源"),
    )

    def __init__(self, *args, scope, **kwargs):
        from accounts.scope import Level

        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = scope.filter(Community.objects.all(), Level.PEOPLE)
        self.fields["category"].queryset = scope.filter(
            Category.objects.filter(is_active=True), Level.PEOPLE
        )
        self.fields["grid"].queryset = scope.filter(MicroGrid.objects.all(), Level.PEOPLE)
        self.fields["building"].queryset = scope.filter(Building.objects.all(), Level.PEOPLE)
        self.fields["on_behalf_of"].queryset = scope.filter(Resident.objects.all(), Level.PEOPLE)
