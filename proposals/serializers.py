"""Plain input serializers (parse only; rules live in the services) and read-only output
serializers (every related row is loaded by the selectors)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import Deliberation, Topic
from .selectors import topic_actions

# --- output -------------------------------------------------------------------------------


class TopicUnitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class PhotoSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.SerializerMethodField()

    def get_url(self, obj) -> str:
        return obj.image.url


class ActionsMixin(serializers.Serializer):
    actions = serializers.SerializerMethodField(
        help_text=_(
            "调用者此刻可执行的操作：answer, solve, decline, merge, open_for_hands, adopt, "
            "party_branch_hand, record_deliberation, add_note, confirm_solution, raise_hand, "
            "withdraw_hand, comment, follow, unfollow"
        )
    )

    def get_actions(self, obj) -> list[str]:
        return topic_actions(self.context["request"].user, obj)


class TopicListSerializer(ActionsMixin):
    id = serializers.IntegerField()
    title = serializers.CharField()
    state = serializers.ChoiceField(choices=Topic.State.choices)
    state_display = serializers.CharField(source="get_state_display")
    category = TopicUnitSerializer()
    community = TopicUnitSerializer()
    grid = TopicUnitSerializer(allow_null=True)
    source = serializers.ChoiceField(choices=Topic.Source.choices)
    source_display = serializers.CharField(source="get_source_display")
    raised_at = serializers.DateTimeField()
    first_response_due_at = serializers.DateTimeField()
    first_responded_at = serializers.DateTimeField(allow_null=True)
    responded_on_time = serializers.BooleanField(allow_null=True)
    is_overdue = serializers.BooleanField()
    hand_count = serializers.IntegerField()
    hands_threshold = serializers.IntegerField(allow_null=True)
    hands_deadline = serializers.DateTimeField(allow_null=True)
    party_branch_hand = serializers.SerializerMethodField()
    my_hand = serializers.BooleanField()
    following = serializers.BooleanField()
    mine = serializers.SerializerMethodField()

    def get_party_branch_hand(self, obj) -> bool:
        return obj.party_branch_hand_at is not None

    def get_mine(self, obj) -> bool:
        return obj.raised_by_id is not None and obj.raised_by_id == self.context["request"].user.pk


class EventSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    at = serializers.DateTimeField()
    actor_label = serializers.CharField()
    verb = serializers.CharField()
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    note = serializers.CharField()
    is_public = serializers.BooleanField()


class TopicDetailSerializer(TopicListSerializer):
    body = serializers.CharField()
    building = TopicUnitSerializer(allow_null=True)
    photos = PhotoSerializer(many=True)
    answered_at = serializers.DateTimeField(allow_null=True)
    solved_at = serializers.DateTimeField(allow_null=True)
    solution_confirmed = serializers.BooleanField(allow_null=True)
    confirmed_at = serializers.DateTimeField(allow_null=True)
    declined_at = serializers.DateTimeField(allow_null=True)
    decline_reason = serializers.CharField()
    merged_into = serializers.IntegerField(source="merged_into_id", allow_null=True)
    merged_at = serializers.DateTimeField(allow_null=True)
    opened_for_hands_at = serializers.DateTimeField(allow_null=True)
    party_branch_hand_at = serializers.DateTimeField(allow_null=True)
    adopted_at = serializers.DateTimeField(allow_null=True)
    lapsed_at = serializers.DateTimeField(allow_null=True)
    escalated_at = serializers.DateTimeField(allow_null=True)
    timeline = serializers.SerializerMethodField()

    @extend_schema_field(EventSerializer(many=True))
    def get_timeline(self, obj):
        events = self.context.get("timeline")
        return EventSerializer(events, many=True).data if events is not None else []


class CommentSerializer(serializers.Serializer):
    """Residents see a hidden comment as 已隐藏 with the reason; staff see everything."""

    id = serializers.IntegerField()
    topic = serializers.IntegerField(source="topic_id")
    project = serializers.IntegerField(source="project_id", allow_null=True)
    author_label = serializers.CharField()
    body = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    hidden = serializers.BooleanField()
    auto_hidden = serializers.BooleanField()
    hidden_reason = serializers.SerializerMethodField()
    mine = serializers.SerializerMethodField()

    def _staff(self):
        return self.context.get("moderator", False)

    def get_body(self, obj) -> str:
        if obj.hidden and not self._staff():
            return str(_("已隐藏"))
        return obj.body

    def get_hidden_reason(self, obj) -> str:
        return obj.hidden_reason if obj.hidden else ""

    def get_mine(self, obj) -> bool:
        return obj.author_id == self.context["request"].user.pk


class DeliberationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    round = serializers.ChoiceField(choices=Deliberation.Round.choices)
    round_display = serializers.CharField(source="get_round_display")
    held_on = serializers.DateField()
    place = serializers.CharField()
    attendance = serializers.IntegerField()
    attendees = serializers.CharField()
    minutes = serializers.CharField()
    outcome = serializers.CharField()
    created_at = serializers.DateTimeField()


class CategorySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField()
    street = serializers.IntegerField(source="street_id")


# --- input --------------------------------------------------------------------------------


class TopicCreateInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=80)
    body = serializers.CharField(max_length=4000)
    category = serializers.IntegerField()
    community = serializers.IntegerField(
        required=False, help_text=_("工作人员录入时必填；居民提出时为其所在居民区")
    )
    grid = serializers.IntegerField(required=False)
    building = serializers.IntegerField(required=False)
    source = serializers.ChoiceField(choices=Topic.Source.choices, required=False)
    on_behalf_of = serializers.IntegerField(required=False, help_text=_("代为提出的居民编号"))
    photos = serializers.ListField(
        child=serializers.FileField(), required=False, max_length=9, help_text=_("最多 9 张图片")
    )


class TextInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=4000)


class DeclineInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class MergeInputSerializer(serializers.Serializer):
    into = serializers.IntegerField(help_text=_("合并到的议题编号"))
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class OpenForHandsInputSerializer(serializers.Serializer):
    deadline = serializers.DateTimeField(required=False)
    threshold = serializers.IntegerField(required=False, min_value=1)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class ConfirmSolutionInputSerializer(serializers.Serializer):
    solved = serializers.BooleanField()
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class NoteInputSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class CommentInputSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=2000)


class ReportInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True)


class HideInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class DeliberationInputSerializer(serializers.Serializer):
    round = serializers.ChoiceField(choices=Deliberation.Round.choices)
    held_on = serializers.DateField()
    place = serializers.CharField(max_length=100)
    attendance = serializers.IntegerField(min_value=1)
    attendees = serializers.CharField(required=False, allow_blank=True)
    minutes = serializers.CharField()
    outcome = serializers.CharField(max_length=4000)
