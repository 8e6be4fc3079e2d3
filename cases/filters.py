"""django-filter FilterSets of the cases lists; a bad value is a 400 naming the field."""

import django_filters as df
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.exceptions import ApplicationError

from .models import GridEvent


def apply_filters(filterset_class, filters, queryset):
    filterset = filterset_class(filters or {}, queryset=queryset)
    if not filterset.is_valid():
        fields = {k: [str(m) for m in v] for k, v in filterset.errors.items()}
        first = next(iter(fields.values()))[0]
        raise ApplicationError(first, code="invalid", fields=fields)
    return filterset.qs


class GridEventFilter(df.FilterSet):
    state = df.MultipleChoiceFilter(choices=GridEvent.State.choices, label=_("状态"))
    source = df.ChoiceFilter(choices=GridEvent.Source.choices, label=_("来源"))
    department = df.NumberFilter(field_name="department_id", label=_("处置部门"))
    category = df.NumberFilter(field_name="category_id", label=_("类别"))
    community = df.NumberFilter(field_name="community_id", label=_("居民区"))
    grid = df.NumberFilter(field_name="grid_id", label=_("微网格"))
    overdue = df.BooleanFilter(method="filter_overdue", label=_("已超时"))
    filed_after = df.DateTimeFilter(field_name="filed_at", lookup_expr="gte", label=_("上报起"))
    filed_before = df.DateTimeFilter(field_name="filed_at", lookup_expr="lt", label=_("上报止"))
    q = df.CharFilter(field_name="description", lookup_expr="icontains", label=_("描述包含"))

    class Meta:
        model = GridEvent
        fields = []

    def filter_overdue(self, queryset, name, value):
        overdue = GridEvent.objects.overdue(now=timezone.now()).values("pk")
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)


class WeeklyFigureFilter(df.FilterSet):
    community = df.NumberFilter(field_name="community_id", label=_("居民区"))
    grid = df.NumberFilter(field_name="grid_id", label=_("微网格"))
    filed_after = df.DateFilter(field_name="filed_at", lookup_expr="date__gte", label=_("起始日期"))
    filed_before = df.DateFilter(
        field_name="filed_at", lookup_expr="date__lte", label=_("截止日期")
    )

    class Meta:
        model = GridEvent
        fields = []
