"""REST API of meetings 会议: schedule, update, hold (minutes, attendance, decisions), cancel,
and the follow-up of decisions.

Residents read the held meetings of the forums of their community and street: minutes and
decisions, the attendance as counts only (names are staff-only), no internal timeline.
"""

from django.http import Http404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from accounts.scope import Level
from board.apis._base import (
    BoardApi,
    EventOut,
    ReasonIn,
    RefOut,
    ScopedPrimaryKeyField,
    choice_field,
)
from proposals.models import Topic

from .. import selectors, services
from ..filters import MeetingFilter
from ..models import Decision, Forum, Meeting, Represents

# ---------------------------------------------------------------------------------------------
# Output


class ForumTopicRefOut(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class ForumBriefOut(RefOut):
    kind = serializers.CharField()
    kind_display = serializers.CharField(source="get_kind_display")
    community = RefOut(allow_null=True)


class ForumDecisionOut(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    text = serializers.CharField()
    topic = ForumTopicRefOut(allow_null=True)
    follow_up = serializers.CharField()
    follow_up_display = serializers.CharField(source="get_follow_up_display")
    follow_up_note = serializers.CharField()


class ForumAttendanceOut(serializers.Serializer):
    name = serializers.CharField()
    member = serializers.IntegerField(source="member_id", allow_null=True)
    represents = serializers.CharField()
    represents_display = serializers.CharField(source="get_represents_display")
    present = serializers.BooleanField()
    is_guest = serializers.BooleanField()


class ForumMeetingOut(serializers.Serializer):
    id = serializers.IntegerField()
    forum = ForumBriefOut()
    title = serializers.CharField()
    held_at = serializers.DateTimeField(help_text=_("计划时间；已召开时为实际时间"))
    place = serializers.CharField()
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display")
    present_count = serializers.IntegerField(help_text=_("出席人数（含列席嘉宾）"))
    absent_count = serializers.IntegerField(help_text=_("缺席成员数"))
    decision_count = serializers.IntegerField()
    cancel_reason = serializers.CharField()


class ForumMeetingDetailOut(ForumMeetingOut):
    agenda = serializers.CharField()
    minutes = serializers.CharField(help_text=_("已清理的 HTML"))
    minutes_recorded_at = serializers.DateTimeField(allow_null=True)
    cancelled_at = serializers.DateTimeField(allow_null=True)
    decisions = ForumDecisionOut(many=True, source="decisions.all")
    attendance = ForumAttendanceOut(
        many=True,
        source="attendance_out",
        allow_null=True,
        help_text=_("出席名单（仅街道、社区、网格工作人员可见；其他为 null）"),
    )
    events = EventOut(
        many=True, source="events_out", allow_null=True, help_text=_("动态（仅工作人员可见）")
    )
    actions = serializers.ListField(child=serializers.CharField())


# ---------------------------------------------------------------------------------------------
# Input


class ForumField(serializers.PrimaryKeyRelatedField):
    """A forum the caller sees as staff (a resident's id reads as non-existent)."""

    def get_queryset(self):
        request = self.context["request"]
        return selectors.forum_list(actor=request.user).filter(status=Forum.Status.ACTIVE)


class ForumMeetingIn(serializers.Serializer):
    forum = ForumField(queryset=Forum.objects.none())
    title = serializers.CharField(max_length=100)
    held_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=100)
    agenda = serializers.CharField(max_length=2000)


class ForumMeetingUpdateIn(serializers.Serializer):
    title = serializers.CharField(max_length=100, required=False)
    held_at = serializers.DateTimeField(required=False)
    place = serializers.CharField(max_length=100, required=False)
    agenda = serializers.CharField(max_length=2000, required=False)


class ForumGuestIn(serializers.Serializer):
    name = serializers.CharField(max_length=60)
    represents = choice_field(Represents.choices, default=Represents.OTHER)


class ForumDecisionIn(serializers.Serializer):
    text = serializers.CharField(max_length=500)
    topic = ScopedPrimaryKeyField(
        queryset=Topic.objects.select_related("community__street", "grid"),
        level=Level.ORG,
        required=False,
        allow_null=True,
        default=None,
        help_text=_("同一居民区的议题编号"),
    )


class ForumMeetingHoldIn(serializers.Serializer):
    minutes = serializers.CharField(help_text=_("会议纪要（简单 HTML，脚本会被清除）"))
    held_at = serializers.DateTimeField(
        required=False, allow_null=True, default=None, help_text=_("实际召开时间，默认计划时间")
    )
    present_members = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        default=list,
        help_text=_("出席的成员编号；其余现任成员记为缺席"),
    )
    guests = ForumGuestIn(many=True, required=False, default=list)
    decisions = ForumDecisionIn(many=True, required=False, default=list)


class ForumFollowUpIn(serializers.Serializer):
    follow_up = choice_field(
        [c for c in Decision.FollowUp.choices if c[0] != Decision.FollowUp.PENDING]
    )
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


# ---------------------------------------------------------------------------------------------
# Views


def meeting_actions(user, meeting) -> list[str]:
    actions = []
    if meeting.status == Meeting.Status.SCHEDULED and user.has_perm(
        "forums.change_meeting", meeting
    ):
        actions += ["update", "hold", "cancel"]
    if meeting.status == Meeting.Status.HELD and user.has_perm(
        "forums.follow_up_decision", meeting
    ):
        actions.append("follow_up")
    return actions


class MeetingApi(BoardApi):
    queryset = Meeting.objects.none()
    subject = "meeting"
    detail_serializer = ForumMeetingDetailOut

    def get_meeting(self):
        meeting = selectors.meeting_get(actor=self.request.user, pk=self.kwargs["pk"])
        if meeting is None:
            raise Http404
        return meeting

    def detail(self, meeting, code=status.HTTP_200_OK):
        user = self.request.user
        meeting = selectors.meeting_get(actor=user, pk=meeting.pk)
        self.require("forums.read_meeting", meeting)
        staff = user.has_perm("forums.view_meeting", meeting)
        names = user.has_perm("forums.view_attendance_meeting", meeting)
        meeting.attendance_out = list(meeting.attendance.all()) if names else None
        meeting.events_out = list(meeting.events.all()) if staff else None
        meeting.actions = meeting_actions(user, meeting)
        return Response(ForumMeetingDetailOut(meeting).data, status=code)


class MeetingListApi(MeetingApi):
    filter_backends = [DjangoFilterBackend]
    filterset_class = MeetingFilter
    serializer_class = ForumMeetingOut

    def filter_queryset(self, queryset):
        return queryset

    @extend_schema(
        summary=_("会议列表（居民：本居民区已召开的；工作人员：管辖范围内全部）"),
        responses=ForumMeetingOut(many=True),
    )
    def get(self, request):
        qs = selectors.meeting_list(actor=request.user, filters=request.query_params)
        return self.paginated(qs, ForumMeetingOut)

    @extend_schema(
        summary=_("安排会议"), request=ForumMeetingIn, responses={201: ForumMeetingDetailOut}
    )
    def post(self, request):
        self.require("forums.add_meeting")
        data = self.parse(ForumMeetingIn)
        self.require("forums.add_meeting", data["forum"])
        meeting = services.meeting_create(actor=request.user, **data)
        return self.detail(meeting, status.HTTP_201_CREATED)


class MeetingDetailApi(MeetingApi):
    @extend_schema(
        summary=_("会议详情（纪要与决定；出席名单仅工作人员可见）"), responses=ForumMeetingDetailOut
    )
    def get(self, request, pk):
        return self.detail(self.get_meeting())

    @extend_schema(
        summary=_("修改待召开的会议"), request=ForumMeetingUpdateIn, responses=ForumMeetingDetailOut
    )
    def patch(self, request, pk):
        meeting = self.get_meeting()
        self.require("forums.change_meeting", meeting)
        data = self.parse(ForumMeetingUpdateIn, partial=True)
        services.meeting_update(actor=request.user, meeting=meeting, **data)
        return self.detail(meeting)


class MeetingHoldApi(MeetingApi):
    @extend_schema(
        summary=_("记录会议召开：纪要、出席、决定（决定可关联议题）"),
        request=ForumMeetingHoldIn,
        responses=ForumMeetingDetailOut,
    )
    def post(self, request, pk):
        meeting = self.get_meeting()
        self.require("forums.hold_meeting", meeting)
        services.meeting_hold(actor=request.user, meeting=meeting, **self.parse(ForumMeetingHoldIn))
        return self.detail(meeting)


class MeetingCancelApi(MeetingApi):
    @extend_schema(
        summary=_("取消会议（须填写原因）"), request=ReasonIn, responses=ForumMeetingDetailOut
    )
    def post(self, request, pk):
        meeting = self.get_meeting()
        self.require("forums.cancel_meeting", meeting)
        services.meeting_cancel(actor=request.user, meeting=meeting, **self.parse(ReasonIn))
        return self.detail(meeting)


class DecisionFollowUpApi(MeetingApi):
    queryset = Decision.objects.none()

    @extend_schema(
        summary=_("更新决定的落实情况（不再落实须说明原因）"),
        request=ForumFollowUpIn,
        responses=ForumMeetingDetailOut,
    )
    def post(self, request, pk):
        decision = selectors.decision_queryset(actor=request.user).filter(pk=pk).first()
        if decision is None:
            raise Http404
        self.require("forums.follow_up_decision", decision)
        services.decision_follow_up(
            actor=request.user, decision=decision, **self.parse(ForumFollowUpIn)
        )
        return self.detail(decision.meeting)


urlpatterns = [
    path("forum-meetings/", MeetingListApi.as_view(), name="forum-meeting-list"),
    path("forum-meetings/<int:pk>/", MeetingDetailApi.as_view(), name="forum-meeting-detail"),
    path("forum-meetings/<int:pk>/hold/", MeetingHoldApi.as_view(), name="forum-meeting-hold"),
    path(
        "forum-meetings/<int:pk>/cancel/", MeetingCancelApi.as_view(), name="forum-meeting-cancel"
    ),
    path(
        "forum-decisions/<int:pk>/follow-up/",
        DecisionFollowUpApi.as_view(),
        name="forum-decision-follow-up",
    ),
]
