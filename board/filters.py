"""django-filter FilterSets of the board's lists; a bad value is a 400 naming the field."""

import django_filters as df
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.exceptions import ApplicationError

from .models import Audience, Consultation, Notice


def apply_filters(filterset_class, filters, queryset):
    filterset = filterset_class(filters or {}, queryset=queryset)
    if not filterset.is_valid():
        fields = {k: [str(m) for m in v] for k, v in filterset.errors.items()}
        first = next(iter(fields.values()))[0]
        raise ApplicationError(first, code="invalid", fields=fields)
    return filterset.qs


class NoticeFilter(df.FilterSet):
    phase = df.ChoiceFilter(choices=Notice.Phase.choices, method="filter_phase", label=_("状态"))
    audience = df.ChoiceFilter(choices=Audience.choices, label=_("发布范围"))
    street = df.NumberFilter(field_name="street_id", label=_("街道"))
    community = df.NumberFilter(field_name="community_id", label=_("居民区"))
    compound = df.NumberFilter(field_name="compound_id", label=_("小区"))
    building = df.NumberFilter(field_name="building_id", label=_("楼组"))
    pinned = df.BooleanFilter(label=_("置顶"))
    requires_ack = df.BooleanFilter(label=_("需确认"))
    q = df.CharFilter(field_name="title", lookup_expr="icontains", label=_("标题包含"))

    class Meta:
        model = Notice
        fields = []

    def filter_phase(self, queryset, name, value):
        now = timezone.now()
        Phase = Notice.Phase
        if value == Phase.DRAFT:
            return queryset.filter(status=Notice.Status.DRAFT)
        if value == Phase.WITHDRAWN:
            return queryset.filter(status=Notice.Status.WITHDRAWN)
        if value == Phase.SCHEDULED:
            return queryset.scheduled(now=now)
        if value == Phase.EXPIRED:
            return queryset.expired(now=now)
        return queryset.live(now=now)


class ConsultationFilter(df.FilterSet):
    phase = df.ChoiceFilter(
        choices=Consultation.Phase.choices, method="filter_phase", label=_("状态")
    )
    kind = df.ChoiceFilter(choices=Consultation.Kind.choices, label=_("类型"))
    one_per = df.ChoiceFilter(choices=Consultation.OnePer.choices, label=_("参与单位"))
    community = df.NumberFilter(field_name="community_id", label=_("居民区"))
    compound = df.NumberFilter(field_name="compound_id", label=_("小区"))
    building = df.NumberFilter(field_name="building_id", label=_("楼组"))
    q = df.CharFilter(field_name="title", lookup_expr="icontains", label=_("标题包含"))

    class Meta:
        model = Consultation
        fields = []

    def filter_phase(self, queryset, name, value):
        now = timezone.now()
        Phase = Consultation.Phase
        if value == Phase.DRAFT:
            return queryset.filter(status=Consultation.Status.DRAFT)
        if value == Phase.CANCELLED:
            return queryset.filter(status=Consultation.Status.CANCELLED)
        if value == Phase.UPCOMING:
            return queryset.upcoming(now=now)
        if value == Phase.CLOSED:
            return queryset.closed(now=now)
        return queryset.open(now=now)
