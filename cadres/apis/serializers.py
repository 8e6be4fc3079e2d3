"""Input and output serializers of the cadres' review API. Parsing only: the rules are the
services'. No output serializer puts a participant beside a score."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from board.apis._base import EventOut, RefOut, ScopedPrimaryKeyField, choice_field
from grids.models import Community

from ..models import Body
from ..services import EARLIEST_YEAR

# ---------------------------------------------------------------------------------------------
# Output


class CadreListingOut(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    name = serializers.CharField()
    body = serializers.CharField()
    body_display = serializers.CharField(source="get_body_display")
    post = serializers.CharField()


class RatingChoiceOut(serializers.Serializer):
    value = serializers.IntegerField()
    label = serializers.CharField()


class CadreRoundListOut(serializers.Serializer):
    id = serializers.IntegerField()
    community = RefOut()
    year = serializers.IntegerField()
    title = serializers.CharField()
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    status = serializers.CharField(help_text="draft/open/closed/published/cancelled")
    status_display = serializers.CharField(source="get_status_display")
    cadre_count = serializers.IntegerField()
    participant_count = serializers.IntegerField(help_text=_("参与人数（结束时定格）"))
    has_taken_part = serializers.BooleanField(help_text=_("本人已参与（不含任何评分）"))


class CadreRoundOut(CadreRoundListOut):
    description = serializers.CharField()
    opened_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    published_at = serializers.DateTimeField(allow_null=True)
    cancelled_at = serializers.DateTimeField(allow_null=True)
    cancel_reason = serializers.CharField()
    eligible_count = serializers.IntegerField(allow_null=True)
    cadres = CadreListingOut(many=True, source="cadres.all")
    choices = RatingChoiceOut(many=True, help_text=_("评价选项：3 满意，2 基本满意，1 不满意"))
    can_take_part = serializers.BooleanField()
    reason_code = serializers.CharField(
        allow_null=True,
        help_text="signed_out/not_verified/no_resident/other_community/taken_part/"
        "not_open/upcoming/ended",
    )
    reason = serializers.CharField(allow_null=True, help_text=_("不能参与的原因"))
    min_participants = serializers.IntegerField(help_text=_("少于此人数不公布任何结果"))
    results_note = serializers.CharField(allow_null=True, help_text=_("结果暂不可查看的原因"))
    events = EventOut(many=True, source="public_events")
    actions = serializers.ListField(child=serializers.CharField())


class CadreScoreSummaryOut(serializers.Serializer):
    satisfied = serializers.IntegerField()
    basically_satisfied = serializers.IntegerField()
    unsatisfied = serializers.IntegerField()
    total = serializers.IntegerField(help_text=_("评价人次"))
    mean = serializers.FloatField(allow_null=True, help_text=_("平均分（1–3）"))
    satisfied_share = serializers.FloatField(allow_null=True, help_text=_("满意率（%）"))
    approval_share = serializers.FloatField(allow_null=True, help_text=_("满意及基本满意率（%）"))


class CadreBodySummaryOut(CadreScoreSummaryOut):
    body = serializers.CharField()
    body_display = serializers.CharField()


class CadreAggregatesOut(serializers.Serializer):
    round = serializers.IntegerField()
    participants = serializers.IntegerField()
    bodies = CadreBodySummaryOut(many=True)
    overall = CadreScoreSummaryOut()


class CadreResultOut(CadreScoreSummaryOut):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    name = serializers.CharField()
    body = serializers.CharField()
    body_display = serializers.CharField()
    post = serializers.CharField()


class CadreResultsOut(CadreAggregatesOut):
    cadres = CadreResultOut(many=True)


class CadreSubmittedOut(serializers.Serializer):
    round = serializers.IntegerField()
    has_taken_part = serializers.BooleanField()


# ---------------------------------------------------------------------------------------------
# Input


class CadreRoundIn(serializers.Serializer):
    community = ScopedPrimaryKeyField(queryset=Community.objects.select_related("street"))
    year = serializers.IntegerField(min_value=EARLIEST_YEAR, max_value=9999)
    title = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    description = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default=""
    )
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()


class CadreIn(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    body = choice_field(Body.choices)
    post = serializers.CharField(max_length=50, help_text=_("如书记、主任、委员"))


class CadreScoreIn(serializers.Serializer):
    cadre = serializers.IntegerField(help_text=_("干部 id"))
    value = serializers.IntegerField(help_text=_("3 满意，2 基本满意，1 不满意"))


class CadreScoresIn(serializers.Serializer):
    scores = CadreScoreIn(many=True, help_text=_("本轮每位干部一项，一次提交"))
