import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Category, Topic


class TopicFilter(django_filters.FilterSet):
    state = django_filters.MultipleChoiceFilter(choices=Topic.State.choices, label=_("状态"))
    category = django_filters.ModelChoiceFilter(queryset=Category.objects.all(), label=_("类别"))
    grid = django_filters.NumberFilter(field_name="grid_id", label=_("微网格"))
    community = django_filters.NumberFilter(field_name="community_id", label=_("居民区"))
    mine = django_filters.BooleanFilter(method="filter_mine", label=_("我提出的"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("已超时未回应"))
    awaiting_response = django_filters.BooleanFilter(
        method="filter_awaiting", label=_("待首次回应")
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("raised_at", "raised_at"),
            ("first_response_due_at", "first_response_due_at"),
            ("hand_count", "hand_count"),
        ),
        label=_("排序"),
    )

    class Meta:
        model = Topic
        fields = ["state", "category", "grid", "community"]

    def filter_mine(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        if value is None or user is None:
            return queryset
        mine = queryset.filter(raised_by_id=user.pk)
        return mine if value else queryset.exclude(raised_by_id=user.pk)

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = Topic.objects.overdue(now=timezone.now()).values("pk")
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)

    def filter_awaiting(self, queryset, name, value):
        if value is None:
            return queryset
        if value:
            return queryset.filter(state=Topic.State.RAISED, first_responded_at__isnull=True)
        return queryset.exclude(state=Topic.State.RAISED, first_responded_at__isnull=True)
