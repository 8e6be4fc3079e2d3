"""django-filter FilterSets for the projects lists (applied by the selectors)."""

import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from .models import FundPool, Project, ProjectMember


class ProjectFilter(django_filters.FilterSet):
    stage = django_filters.ChoiceFilter(choices=Project.Stage.choices, label=_("阶段"))
    community = django_filters.NumberFilter(field_name="community_id", label=_("居民区"))
    grid = django_filters.NumberFilter(field_name="grid_id", label=_("微网格"))
    mine = django_filters.BooleanFilter(method="filter_mine", label=_("我参与的"))
    topic = django_filters.NumberFilter(field_name="topic_id", label=_("来源议题"))

    class Meta:
        model = Project
        fields = []

    def filter_mine(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        if user is None:
            return queryset.none() if value else queryset
        membership = Exists(ProjectMember.objects.filter(project_id=OuterRef("pk"), user=user))
        return queryset.filter(membership) if value else queryset.exclude(membership)


class FundPoolFilter(django_filters.FilterSet):
    community = django_filters.NumberFilter(field_name="community_id", label=_("居民区"))
    year = django_filters.NumberFilter(label=_("年度"))

    class Meta:
        model = FundPool
        fields = []
