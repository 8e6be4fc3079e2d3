"""django-filter FilterSets for the residents lists (applied by the selectors)."""

import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from . import idcard
from .models import Household, Resident, ResidentAccessLog, Tag, TagFamily


class ResidentFilter(django_filters.FilterSet):
    tags = django_filters.ModelMultipleChoiceFilter(
        queryset=Tag.objects.all(),
        conjoined=True,  # AND: a resident must carry every tag asked for
        label=_("标签（同时具有所选全部标签）"),
    )
    tag_family = django_filters.ChoiceFilter(
        choices=TagFamily.choices, method="filter_tag_family", label=_("标签类别")
    )
    community = django_filters.NumberFilter(field_name="community_id", label=_("居民区"))
    grid = django_filters.NumberFilter(field_name="grid_id", label=_("微网格"))
    building = django_filters.NumberFilter(field_name="building_id", label=_("楼组"))
    household = django_filters.NumberFilter(field_name="household_id", label=_("所属户"))
    status = django_filters.ChoiceFilter(choices=Resident.Status.choices, label=_("居住状态"))
    name = django_filters.CharFilter(lookup_expr="icontains", label=_("姓名包含"))
    id_number = django_filters.CharFilter(
        method="filter_id_number",
        validators=[idcard.validate_id_number],
        label=_("身份证号（精确匹配）"),
    )

    class Meta:
        model = Resident
        fields = []

    def filter_tag_family(self, queryset, name, value):
        # EXISTS rather than a join, so a resident with two tags of the family is listed once.
        through = Resident.tags.through
        return queryset.filter(
            Exists(through.objects.filter(resident_id=OuterRef("pk"), tag__family=value))
        )

    def filter_id_number(self, queryset, name, value):
        from .services import id_number_index

        return queryset.filter(id_number_index=id_number_index(value))


class HouseholdFilter(django_filters.FilterSet):
    community = django_filters.NumberFilter(field_name="community_id", label=_("居民区"))
    grid = django_filters.NumberFilter(field_name="grid_id", label=_("微网格"))
    building = django_filters.NumberFilter(field_name="building_id", label=_("楼组"))
    room = django_filters.CharFilter(label=_("室号"))
    address = django_filters.CharFilter(lookup_expr="icontains", label=_("地址包含"))

    class Meta:
        model = Household
        fields = []


class TagFilter(django_filters.FilterSet):
    street = django_filters.NumberFilter(field_name="street_id", label=_("街道"))
    family = django_filters.ChoiceFilter(choices=TagFamily.choices, label=_("类别"))
    name = django_filters.CharFilter(lookup_expr="icontains", label=_("标签名包含"))

    class Meta:
        model = Tag
        fields = []


class ResidentAccessLogFilter(django_filters.FilterSet):
    community = django_filters.NumberFilter(field_name="community_id", label=_("居民区"))
    resident = django_filters.NumberFilter(field_name="resident_id", label=_("居民"))
    user = django_filters.NumberFilter(field_name="user_id", label=_("查看人"))
    action = django_filters.ChoiceFilter(choices=ResidentAccessLog.Action.choices, label=_("操作"))
    at_after = django_filters.IsoDateTimeFilter(
        field_name="at", lookup_expr="gte", label=_("起始时间")
    )
    at_before = django_filters.IsoDateTimeFilter(
        field_name="at", lookup_expr="lt", label=_("截止时间")
    )

    class Meta:
        model = ResidentAccessLog
        fields = []
