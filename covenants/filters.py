"""django-filter FilterSet of the covenants' list; a bad value is a 400 naming the field."""

import django_filters as df
from django.utils.translation import gettext_lazy as _

from .models import Covenant, VersionState
from .models.covenants import AUDIENCES


class CovenantFilter(df.FilterSet):
    state = df.MultipleChoiceFilter(
        field_name="status", choices=Covenant.Status.choices, label=_("规约状态（可多选）")
    )
    stage = df.ChoiceFilter(
        field_name="current_version__state",
        choices=VersionState.choices,
        label=_("最新版本状态（修订稿在讨论或签署时也算）"),
    )
    audience = df.ChoiceFilter(choices=AUDIENCES, label=_("适用范围"))
    community = df.NumberFilter(field_name="community_id", label=_("居民区"))
    compound = df.NumberFilter(field_name="compound_id", label=_("小区"))
    building = df.NumberFilter(field_name="building_id", label=_("楼组"))
    q = df.CharFilter(field_name="title", lookup_expr="icontains", label=_("标题包含"))

    class Meta:
        model = Covenant
        fields = []
