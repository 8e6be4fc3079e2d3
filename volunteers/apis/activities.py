"""REST API of volunteer activities: browse, organise, sign up (waiting list), check in and
out, approve hours. Declares the `urlpatterns` of the whole activities side, the views of
volunteers.apis.people (profiles, teams, party members' reports) included.

Each view: input serializer → selector within scope (out of scope is a 404) → rules permission
→ one service → output serializer. Details list the actions the caller may take now.
"""

from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response

from accounts.models import User
from core.pagination import PagePagination
from grids.models import Community
from projects.models import Project

from ..models import Activity, Attendance, PointsRule, ServiceTeam, SignUp
from ..selectors import activities as selectors
from ..services import activities as services
from .people import (
    PartyReportApi,
    ResidentAccountField,
    ScopedPrimaryKeyField,
    TeamDetailApi,
    TeamJoinApi,
    TeamLeaveApi,
    TeamListApi,
    VolunteerListApi,
    VolunteerMeApi,
    VolunteerRefOutput,
    VolunteersApi,
    VolunteerUserOutput,
)

# ---------------------------------------------------------------------------------------------
# Fields


@extend_schema_field(
    {
        "type": "string",
        # A pattern rather than an enum: drf-spectacular names every enum after its field, and
        # the points API's `kind` would collide with this one until ENUM_NAME_OVERRIDES names
        # both (settings, the lead's file).
        "pattern": "^(" + "|".join(Activity.Kind.values) + ")$",
        "description": "; ".join(f"{v}: {label}" for v, label in Activity.Kind.choices),
    }
)
class ActivityKindField(serializers.ChoiceField):
    """The activity's kind (志愿活动 or 公益岗位)."""

    def __init__(self, **kwargs):
        super().__init__(choices=Activity.Kind.choices, **kwargs)


# ---------------------------------------------------------------------------------------------
# Output serializers


class ActivityListOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.CharField()
    kind_display = serializers.CharField(source="get_kind_display")
    category = serializers.CharField()
    community = VolunteerRefOutput()
    team = VolunteerRefOutput(allow_null=True)
    place = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    signup_deadline = serializers.DateTimeField()
    capacity = serializers.IntegerField()
    confirmed_count = serializers.IntegerField()
    waitlist_count = serializers.IntegerField()
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display")
    my_signup_status = serializers.CharField(allow_null=True)
    my_waitlist_position = serializers.IntegerField(
        allow_null=True, help_text=_("我在候补名单中的位置（1 为下一个递补）；未在候补时为空")
    )
    my_attendance_status = serializers.CharField(allow_null=True)


class ActivityDetailOutput(ActivityListOutput):
    description = serializers.CharField()
    project = serializers.IntegerField(source="project_id", allow_null=True)
    points_rule = VolunteerRefOutput(allow_null=True)
    published_at = serializers.DateTimeField(allow_null=True)
    cancelled_at = serializers.DateTimeField(allow_null=True)
    cancelled_reason = serializers.CharField()
    checkin_code = serializers.CharField(
        allow_null=True, help_text=_("签到码，仅组织活动的工作人员可见")
    )
    actions = serializers.ListField(
        child=serializers.CharField(), help_text=_("调用者此刻可以执行的操作")
    )


class SignUpOutput(serializers.Serializer):
    id = serializers.IntegerField()
    activity = serializers.IntegerField(source="activity_id")
    user = VolunteerUserOutput()
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display")
    waitlisted_at = serializers.DateTimeField(allow_null=True)
    confirmed_at = serializers.DateTimeField(allow_null=True)
    cancelled_at = serializers.DateTimeField(allow_null=True)


class AttendanceOutput(serializers.Serializer):
    id = serializers.IntegerField()
    activity = serializers.IntegerField(source="activity_id")
    user = VolunteerUserOutput()
    method = serializers.CharField()
    checked_in_at = serializers.DateTimeField()
    checked_out_at = serializers.DateTimeField(allow_null=True)
    hours = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display")
    reviewed_at = serializers.DateTimeField(allow_null=True)
    review_note = serializers.CharField()
    actions = serializers.ListField(child=serializers.CharField(), default=list)


class AttendanceDetailOutput(AttendanceOutput):
    expected_points = serializers.IntegerField(
        help_text=_("按积分规则，这次服务可得的积分（未计每日上限）")
    )


def attendance_detail(user, attendance):
    from ..services.points import points_for_attendance

    attendance.actions = attendance_actions(user, attendance)
    attendance.expected_points = points_for_attendance(attendance)
    return AttendanceDetailOutput(attendance).data


# ---------------------------------------------------------------------------------------------
# Input serializers


class ActivityCreateInput(serializers.Serializer):
    community = ScopedPrimaryKeyField(queryset=Community.objects.all())
    title = serializers.CharField(max_length=100)
    place = serializers.CharField(max_length=200)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    signup_deadline = serializers.DateTimeField()
    capacity = serializers.IntegerField(min_value=1, max_value=services.MAX_CAPACITY)
    kind = ActivityKindField(default=Activity.Kind.ACTIVITY)
    category = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    description = serializers.CharField(required=False, allow_blank=True, default="")
    team = ScopedPrimaryKeyField(
        queryset=ServiceTeam.objects.all(), required=False, allow_null=True, default=None
    )
    project = ScopedPrimaryKeyField(
        queryset=Project.objects.all(), required=False, allow_null=True, default=None
    )
    points_rule = ScopedPrimaryKeyField(
        queryset=PointsRule.objects.all(), required=False, allow_null=True, default=None
    )


class ActivityUpdateInput(serializers.Serializer):
    title = serializers.CharField(max_length=100, required=False)
    place = serializers.CharField(max_length=200, required=False)
    starts_at = serializers.DateTimeField(required=False)
    ends_at = serializers.DateTimeField(required=False)
    signup_deadline = serializers.DateTimeField(required=False)
    capacity = serializers.IntegerField(
        min_value=1, max_value=services.MAX_CAPACITY, required=False
    )
    kind = ActivityKindField(required=False)
    category = serializers.CharField(max_length=32, required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)
    team = ScopedPrimaryKeyField(
        queryset=ServiceTeam.objects.all(), required=False, allow_null=True
    )
    project = ScopedPrimaryKeyField(queryset=Project.objects.all(), required=False, allow_null=True)
    points_rule = ScopedPrimaryKeyField(
        queryset=PointsRule.objects.all(), required=False, allow_null=True
    )


class ActivityCancelInput(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class ActivityEmptyInput(serializers.Serializer):
    pass


class CheckInInput(serializers.Serializer):
    code = serializers.CharField(
        required=False, allow_blank=True, help_text=_("志愿者本人签到时填写现场签到码")
    )
    user = ResidentAccountField(
        queryset=User.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("工作人员代为签到时填写志愿者账号"),
    )


class CheckOutInput(serializers.Serializer):
    user = ResidentAccountField(
        queryset=User.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("工作人员代为签退时填写志愿者账号"),
    )


class AttendanceRejectInput(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


# ---------------------------------------------------------------------------------------------
# Actions the caller may take now


def activity_actions(user, activity) -> list[str]:
    now = timezone.now()
    actions = []
    if user.has_perm("volunteers.manage_activity", activity):
        moves = services.TRANSITIONS[activity.status]
        if activity.status in (Activity.Status.DRAFT, Activity.Status.PUBLISHED):
            actions.append("update")
        if Activity.Status.PUBLISHED in moves:
            actions.append("publish")
        if Activity.Status.CANCELLED in moves:
            actions.append("cancel")
        if Activity.Status.FINISHED in moves and now >= activity.starts_at:
            actions.append("finish")
        actions += ["view_attendances", "record_attendance"]
    if user.has_perm("volunteers.signup_activity", activity):
        open_ = activity.status == Activity.Status.PUBLISHED and now < activity.signup_deadline
        if open_ and activity.my_signup_status is None:
            actions.append("signup")
        if open_ and activity.my_signup_status is not None:
            actions.append("cancel_signup")
        on_the_spot = (
            activity.starts_at - services.CHECKIN_MARGIN
            <= now
            <= activity.ends_at + services.CHECKIN_MARGIN
        )
        if (
            on_the_spot
            and activity.status == Activity.Status.PUBLISHED
            and activity.my_signup_status == SignUp.Status.CONFIRMED
            and activity.my_attendance_status is None
        ):
            actions.append("checkin")
        if on_the_spot and activity.my_attendance_status == Attendance.Status.CHECKED_IN:
            actions.append("checkout")
    return actions


def attendance_actions(user, attendance) -> list[str]:
    if not user.has_perm("volunteers.approve_attendance", attendance):
        return []
    if attendance.status == Attendance.Status.CHECKED_OUT:
        return ["approve", "reject"]
    if attendance.status == Attendance.Status.CHECKED_IN:
        return ["checkout", "reject"]
    return []


# ---------------------------------------------------------------------------------------------
# Views


class ActivityApi(VolunteersApi):
    queryset = Activity.objects.none()  # for the schema's path parameter; reads use selectors

    def get_activity(self):
        return selectors.activity_get(actor=self.request.user, pk=self.kwargs["pk"])

    def detail(self, activity, code=status.HTTP_200_OK):
        user = self.request.user
        activity = selectors.activity_get(actor=user, pk=activity.pk)
        activity.actions = activity_actions(user, activity)
        if not user.has_perm("volunteers.manage_activity", activity):
            activity.checkin_code = None
        return Response(ActivityDetailOutput(activity).data, status=code)


class ActivityListApi(ActivityApi):
    pagination_class = PagePagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = selectors.ActivityFilter
    serializer_class = ActivityListOutput

    def filter_queryset(self, queryset):
        return queryset  # filtered by the selector; the backend is here for the schema

    def get_queryset(self):
        return selectors.activity_list(
            actor=self.request.user, filters=self.request.query_params, request=self.request
        )

    @extend_schema(summary=_("志愿活动列表"), responses=ActivityListOutput(many=True))
    def get(self, request):
        return self.paginated(self.get_queryset(), ActivityListOutput)

    @extend_schema(
        summary=_("新建志愿活动（草稿）"),
        request=ActivityCreateInput,
        responses={201: ActivityDetailOutput},
        parameters=[],
    )
    def post(self, request):
        self.require("volunteers.add_activity")
        data = self.parse(ActivityCreateInput)
        activity = services.activity_create(actor=request.user, **data)
        return self.detail(activity, status.HTTP_201_CREATED)


class ActivityDetailApi(ActivityApi):
    @extend_schema(summary=_("志愿活动详情"), responses=ActivityDetailOutput)
    def get(self, request, pk):
        return self.detail(self.get_activity())

    @extend_schema(
        summary=_("修改志愿活动（草稿或报名中）"),
        request=ActivityUpdateInput,
        responses=ActivityDetailOutput,
    )
    def patch(self, request, pk):
        activity = self.get_activity()
        self.require("volunteers.change_activity", activity)
        data = self.parse(ActivityUpdateInput)
        services.activity_update(actor=request.user, activity=activity, **data)
        return self.detail(activity)


def _activity_step(name, input_class, call, summary):
    class View(ActivityApi):
        @extend_schema(summary=summary, request=input_class, responses=ActivityDetailOutput)
        def post(self, request, pk):
            activity = self.get_activity()
            self.require("volunteers.manage_activity", activity)
            data = self.parse(input_class)
            call(actor=request.user, activity=activity, **data)
            return self.detail(activity)

    View.__name__ = View.__qualname__ = name
    return View


ActivityPublishApi = _activity_step(
    "ActivityPublishApi", ActivityEmptyInput, services.activity_publish, _("发布活动")
)
ActivityCancelApi = _activity_step(
    "ActivityCancelApi", ActivityCancelInput, services.activity_cancel, _("取消活动")
)
ActivityFinishApi = _activity_step(
    "ActivityFinishApi", ActivityEmptyInput, services.activity_finish, _("结束活动")
)


class ActivitySignupApi(ActivityApi):
    @extend_schema(summary=_("报名（满员进入候补）"), request=None, responses={201: SignUpOutput})
    def post(self, request, pk):
        activity = self.get_activity()
        self.require("volunteers.signup_activity", activity)
        signup = services.signup_create(actor=request.user, activity=activity)
        return Response(SignUpOutput(signup).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary=_("取消报名"), request=None, responses=SignUpOutput)
    def delete(self, request, pk):
        activity = self.get_activity()
        self.require("volunteers.signup_activity", activity)
        signup = services.signup_cancel(actor=request.user, activity=activity)
        return Response(SignUpOutput(signup).data)


class ActivityCheckInApi(ActivityApi):
    @extend_schema(
        summary=_("签到：志愿者凭签到码，或工作人员代签"),
        request=CheckInInput,
        responses={201: AttendanceOutput},
    )
    def post(self, request, pk):
        activity = self.get_activity()
        data = self.parse(CheckInInput)
        if data.get("user") is not None:
            self.require("volunteers.record_attendance", activity)
        else:
            self.require("volunteers.checkin_activity", activity)
        attendance = services.attendance_check_in(
            actor=request.user, activity=activity, user=data.get("user"), code=data.get("code")
        )
        return Response(AttendanceOutput(attendance).data, status=status.HTTP_201_CREATED)


class ActivityCheckOutApi(ActivityApi):
    @extend_schema(
        summary=_("签退并计算服务时长"), request=CheckOutInput, responses=AttendanceDetailOutput
    )
    def post(self, request, pk):
        activity = self.get_activity()
        data = self.parse(CheckOutInput)
        if data.get("user") is not None:
            self.require("volunteers.record_attendance", activity)
        attendance = services.attendance_check_out(
            actor=request.user, activity=activity, user=data.get("user")
        )
        return Response(attendance_detail(request.user, attendance))


class ActivityPeopleApi(ActivityApi):
    pagination_class = PagePagination

    def get_people_activity(self):
        return selectors.activity_get_for_people(actor=self.request.user, pk=self.kwargs["pk"])


class ActivityAttendancesApi(ActivityPeopleApi):
    serializer_class = AttendanceOutput

    @extend_schema(summary=_("活动签到与时长（工作人员）"), responses=AttendanceOutput(many=True))
    def get(self, request, pk):
        activity = self.get_people_activity()
        self.require("volunteers.view_attendance", activity)
        page = self.paginate_queryset(selectors.attendance_list(activity=activity))
        for attendance in page:
            attendance.actions = attendance_actions(request.user, attendance)
        return self.get_paginated_response(AttendanceOutput(page, many=True).data)


class ActivitySignupsApi(ActivityPeopleApi):
    serializer_class = SignUpOutput

    @extend_schema(summary=_("活动报名名单（工作人员）"), responses=SignUpOutput(many=True))
    def get(self, request, pk):
        activity = self.get_people_activity()
        self.require("volunteers.view_signup", activity)
        return self.paginated(selectors.signup_list(activity=activity), SignUpOutput)


def _attendance_step(name, input_class, call, summary):
    class View(VolunteersApi):
        queryset = Attendance.objects.none()

        @extend_schema(summary=summary, request=input_class, responses=AttendanceDetailOutput)
        def post(self, request, pk):
            attendance = selectors.attendance_get(actor=request.user, pk=pk)
            self.require("volunteers.approve_attendance", attendance)
            data = self.parse(input_class)
            attendance = call(actor=request.user, attendance=attendance, **data)
            return Response(attendance_detail(request.user, attendance))

    View.__name__ = View.__qualname__ = name
    return View


AttendanceApproveApi = _attendance_step(
    "AttendanceApproveApi", ActivityEmptyInput, services.attendance_approve, _("审核通过服务时长")
)
AttendanceRejectApi = _attendance_step(
    "AttendanceRejectApi", AttendanceRejectInput, services.attendance_reject, _("驳回服务时长")
)


urlpatterns = [
    path("volunteer-activities/", ActivityListApi.as_view(), name="volunteer-activity-list"),
    path(
        "volunteer-activities/<int:pk>/",
        ActivityDetailApi.as_view(),
        name="volunteer-activity-detail",
    ),
    path("volunteer-activities/<int:pk>/publish/", ActivityPublishApi.as_view()),
    path("volunteer-activities/<int:pk>/cancel/", ActivityCancelApi.as_view()),
    path("volunteer-activities/<int:pk>/finish/", ActivityFinishApi.as_view()),
    path("volunteer-activities/<int:pk>/signup/", ActivitySignupApi.as_view()),
    path("volunteer-activities/<int:pk>/signups/", ActivitySignupsApi.as_view()),
    path("volunteer-activities/<int:pk>/checkin/", ActivityCheckInApi.as_view()),
    path("volunteer-activities/<int:pk>/checkout/", ActivityCheckOutApi.as_view()),
    path("volunteer-activities/<int:pk>/attendances/", ActivityAttendancesApi.as_view()),
    path("attendances/<int:pk>/approve/", AttendanceApproveApi.as_view()),
    path("attendances/<int:pk>/reject/", AttendanceRejectApi.as_view()),
    path("volunteers/", VolunteerListApi.as_view(), name="volunteer-list"),
    path("volunteers/me/", VolunteerMeApi.as_view(), name="volunteer-me"),
    path("service-teams/", TeamListApi.as_view(), name="service-team-list"),
    path("service-teams/<int:pk>/", TeamDetailApi.as_view(), name="service-team-detail"),
    path("service-teams/<int:pk>/join/", TeamJoinApi.as_view()),
    path("service-teams/<int:pk>/leave/", TeamLeaveApi.as_view()),
    path("party-member-reports/", PartyReportApi.as_view(), name="party-member-reports"),
]
