"""django-filter FilterSets of the lists sent upward; a bad value is a 400 naming the field."""

import django_filters as df
from django.utils.translation import gettext_lazy as _

from core.exceptions import ApplicationError

from .models import ReportItem, UpwardReport


def apply_filters(filterset_class, filters, queryset):
    filterset = filterset_class(filters or {}, queryset=queryset)
    if not filterset.is_valid():
        fields = {k: [str(m) for m in v] for k, v in filterset.errors.items()}
        first = next(iter(fields.values()))[0]
        raise ApplicationError(first, code="invalid", fields=fields)
    return filterset.qs


class ReportFilter(df.FilterSet):
    kind = df.ChoiceFilter(choices=UpwardReport.Kind.choices, label=_("类型"))
    status = df.ChoiceFilter(choices=UpwardReport.Status.choices, label=_("状态"))
    year = df.NumberFilter(label=_("年度"))
    street = df.NumberFilter(field_name="street_id", label=_("街道"))

    class Meta:
        model = UpwardReport
        fields = []


class ItemFilter(df.FilterSet):
    kind = df.ChoiceFilter(
        field_name="report__kind", choices=UpwardReport.Kind.choices, label=_("类型")
    )
    year = df.NumberFilter(field_name="report__year", label=_("年度"))
    street = df.NumberFilter(field_name="report__street_id", label=_("街道"))
    community = df.NumberFilter(field_name="community_id", label=_("居民区"))
    status = df.ChoiceFilter(choices=ReportItem.Status.choices, label=_("状态"))

    class Meta:
        model = ReportItem
        fields = []
