"""django-filter FilterSets of the forums' lists; a bad value is a 400 naming the field."""

import re

import django_filters as df
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Decision, Forum, Meeting, MustActivity, MustKind

MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class MonthField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        if value and not MONTH_RE.match(value):
            raise forms.ValidationError(_("月份格式应为 YYYY-MM。"))
        return value


class MonthFilter(df.CharFilter):
    field_class = MonthField


class ForumFilter(df.FilterSet):
    kind = df.ChoiceFilter(choices=Forum.Kind.choices, label=_("类型"))
    status = df.ChoiceFilter(choices=Forum.Status.choices, label=_("状态"))
    street = df.NumberFilter(field_name="street_id", label=_("街道"))
    community = df.NumberFilter(field_name="community_id", label=_("居民区"))
    q = df.CharFilter(field_name="name", lookup_expr="icontains", label=_("名称包含"))

    class Meta:
        model = Forum
        fields = []


class MeetingFilter(df.FilterSet):
    forum = df.NumberFilter(field_name="forum_id", label=_("议事平台"))
    kind = df.ChoiceFilter(field_name="forum__kind", choices=Forum.Kind.choices, label=_("类型"))
    status = df.ChoiceFilter(choices=Meeting.Status.choices, label=_("状态"))
    community = df.NumberFilter(field_name="forum__community_id", label=_("居民区"))
    street = df.NumberFilter(field_name="forum__street_id", label=_("街道"))
    held_after = df.IsoDateTimeFilter(
        field_name="held_at", lookup_expr="gte", label=_("召开时间起")
    )
    held_before = df.IsoDateTimeFilter(
        field_name="held_at", lookup_expr="lt", label=_("召开时间止")
    )
    topic = df.NumberFilter(field_name="decisions__topic_id", label=_("关联议题"), distinct=True)

    class Meta:
        model = Meeting
        fields = []


class DecisionFilter(df.FilterSet):
    follow_up = df.ChoiceFilter(choices=Decision.FollowUp.choices, label=_("落实情况"))
    topic = df.NumberFilter(field_name="topic_id", label=_("关联议题"))

    class Meta:
        model = Decision
        fields = []


class MustActivityFilter(df.FilterSet):
    community = df.NumberFilter(field_name="community_id", label=_("居民区"))
    street = df.NumberFilter(field_name="community__street_id", label=_("街道"))
    kind = df.ChoiceFilter(choices=MustKind.choices, label=_("类别"))
    month = MonthFilter(method="filter_month", label=_("月份（YYYY-MM）"))

    class Meta:
        model = MustActivity
        fields = []

    def filter_month(self, queryset, name, value):
        from .selectors import month_date

        return queryset.filter(month=month_date(value))
