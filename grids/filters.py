"""django-filter FilterSets, one per list endpoint."""

import django_filters as df
from django.utils.translation import gettext_lazy as _

from .models import (
    Building,
    Community,
    CommunityType,
    Compound,
    DiaryEntry,
    District,
    GridPlace,
    GridResource,
    GridRole,
    GridRoleKind,
    MicroGrid,
    Pairing,
    PatrolProblem,
    PatrolRecord,
    PracticalDeed,
    Street,
    VisitRecord,
)


class DistrictFilter(df.FilterSet):
    name = df.CharFilter(lookup_expr="icontains", label=_("名称包含"))

    class Meta:
        model = District
        fields = ["name", "code"]


class StreetFilter(df.FilterSet):
    name = df.CharFilter(lookup_expr="icontains", label=_("名称包含"))

    class Meta:
        model = Street
        fields = ["district", "name", "code"]


class CommunityTypeFilter(df.FilterSet):
    class Meta:
        model = CommunityType
        fields = ["street"]


class CommunityFilter(df.FilterSet):
    district = df.NumberFilter(field_name="street__district", label=_("区"))
    name = df.CharFilter(lookup_expr="icontains", label=_("名称包含"))

    class Meta:
        model = Community
        fields = ["street", "district", "community_type", "kind", "name", "code"]


class MicroGridFilter(df.FilterSet):
    street = df.NumberFilter(field_name="community__street", label=_("街道"))
    name = df.CharFilter(lookup_expr="icontains", label=_("名称包含"))

    class Meta:
        model = MicroGrid
        fields = ["community", "street", "name", "code"]


class BuildingFilter(df.FilterSet):
    name = df.CharFilter(lookup_expr="icontains", label=_("名称包含"))

    class Meta:
        model = Building
        fields = ["grid", "community", "compound", "name"]


class CompoundFilter(df.FilterSet):
    street = df.NumberFilter(field_name="community__street", label=_("街道"))
    name = df.CharFilter(lookup_expr="icontains", label=_("名称包含"))

    class Meta:
        model = Compound
        fields = ["community", "street", "name", "is_active"]


class GridWorkFilter(df.FilterSet):
    """Filters shared by every grid-work list: by grid, community and street."""

    community = df.NumberFilter(field_name="grid__community", label=_("居民区"))
    street = df.NumberFilter(field_name="grid__community__street", label=_("街道"))


class GridRoleFilter(GridWorkFilter):
    kind = df.ChoiceFilter(choices=GridRoleKind.choices, label=_("角色"))
    current = df.BooleanFilter(method="filter_current", label=_("仅现任"))

    class Meta:
        model = GridRole
        fields = ["grid", "community", "street", "building", "kind", "current"]

    def filter_current(self, queryset, name, value):
        if value is None:
            return queryset
        current = queryset.current()
        return current if value else queryset.exclude(pk__in=current.values("pk"))


class GridPlaceFilter(GridWorkFilter):
    name = df.CharFilter(lookup_expr="icontains", label=_("名称包含"))

    class Meta:
        model = GridPlace
        fields = ["grid", "community", "street", "kind", "name"]


class GridResourceFilter(df.FilterSet):
    grid = df.NumberFilter(field_name="grids", label=_("微网格"), distinct=True)
    name = df.CharFilter(lookup_expr="icontains", label=_("名称包含"))

    class Meta:
        model = GridResource
        fields = ["community", "grid", "kind", "is_active", "name"]


class VisitFilter(GridWorkFilter):
    visited_from = df.DateFilter(field_name="visited_on", lookup_expr="gte", label=_("走访日期起"))
    visited_to = df.DateFilter(field_name="visited_on", lookup_expr="lte", label=_("走访日期止"))

    class Meta:
        model = VisitRecord
        fields = ["grid", "community", "street", "visitor", "household"]


class DiaryFilter(GridWorkFilter):
    written_from = df.DateFilter(field_name="written_on", lookup_expr="gte", label=_("日期起"))
    written_to = df.DateFilter(field_name="written_on", lookup_expr="lte", label=_("日期止"))

    class Meta:
        model = DiaryEntry
        fields = ["grid", "community", "street", "author"]


class PairingFilter(GridWorkFilter):
    active = df.BooleanFilter(field_name="until", lookup_expr="isnull", label=_("仍在结对"))

    class Meta:
        model = Pairing
        fields = ["grid", "community", "street", "household", "active"]


class DeedFilter(GridWorkFilter):
    done_from = df.DateFilter(field_name="done_on", lookup_expr="gte", label=_("完成日期起"))
    done_to = df.DateFilter(field_name="done_on", lookup_expr="lte", label=_("完成日期止"))

    class Meta:
        model = PracticalDeed
        fields = ["grid", "community", "street"]


class PatrolFilter(GridWorkFilter):
    patrolled_from = df.DateFilter(
        field_name="patrolled_on", lookup_expr="gte", label=_("巡查日期起")
    )
    patrolled_to = df.DateFilter(
        field_name="patrolled_on", lookup_expr="lte", label=_("巡查日期止")
    )

    class Meta:
        model = PatrolRecord
        fields = ["grid", "community", "street", "patroller"]


class PatrolProblemFilter(GridWorkFilter):
    class Meta:
        model = PatrolProblem
        fields = ["grid", "community", "street", "patrol", "status", "cleared_within_week"]
