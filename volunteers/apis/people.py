"""REST API of who serves: volunteer profiles (register, my hours), service teams and their
members, in-service party members' reports; and the plumbing every volunteers view shares.

Each view: input serializer → selector within scope (out of scope is a 404) → rules permission
→ one service → output serializer. Details list the actions the caller may take now. The URL
patterns are declared in volunteers.apis.activities.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from accounts.models import User
from accounts.scope import Level, actor_scope
from core.exceptions import ApplicationError
from core.pagination import PagePagination
from core.permissions import RulesPermission
from grids.models import Community

from ..models import PartyMemberReport, ServiceTeam, VolunteerProfile
from ..selectors import activities as selectors
from ..services import people as people_services

# Years the service records can be asked for (database date functions need a sane range).
MIN_YEAR, MAX_YEAR = 2000, 2100

# ---------------------------------------------------------------------------------------------
# Fields


class ScopedPrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """An id that must name a row the caller can see; any other id reads as non-existent."""

    def __init__(self, *, level=Level.PEOPLE, **kwargs):
        self.level = level
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        user = request.user if request else None
        return actor_scope(user).filter(super().get_queryset(), self.level)


class ResidentAccountField(serializers.PrimaryKeyRelatedField):
    """A user id that names a verified resident of a community the caller serves."""

    def get_queryset(self):
        request = self.context.get("request")
        scope = actor_scope(request.user if request else None)
        qs = User.objects.filter(is_active=True, resident__isnull=False)
        if scope.is_global:
            return qs
        return qs.filter(resident__community_id__in=scope.people_community_ids)


# ---------------------------------------------------------------------------------------------
# Output serializers


class VolunteerRefOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class VolunteerUserOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="get_full_name")


class PartyReportOutput(serializers.Serializer):
    id = serializers.IntegerField()
    community = VolunteerRefOutput()
    employer_party_org = serializers.CharField()
    reported_on = serializers.DateField()


class VolunteerProfileOutput(serializers.Serializer):
    id = serializers.IntegerField()
    user = VolunteerUserOutput()
    community = VolunteerRefOutput()
    skills = serializers.CharField()
    availability = serializers.CharField()
    is_active = serializers.BooleanField()
    approved_hours = serializers.DecimalField(max_digits=9, decimal_places=2)
    approved_count = serializers.IntegerField()
    created_at = serializers.DateTimeField()


class YearHoursOutput(serializers.Serializer):
    year = serializers.IntegerField()
    hours = serializers.DecimalField(max_digits=9, decimal_places=2)
    count = serializers.IntegerField()


class MyVolunteerOutput(serializers.Serializer):
    profile = VolunteerProfileOutput(allow_null=True)
    party_report = PartyReportOutput(allow_null=True)
    total_hours = serializers.DecimalField(max_digits=9, decimal_places=2)
    total_count = serializers.IntegerField()
    by_year = YearHoursOutput(many=True)
    actions = serializers.ListField(child=serializers.CharField())


class ServiceTeamOutput(serializers.Serializer):
    id = serializers.IntegerField()
    community = VolunteerRefOutput()
    name = serializers.CharField()
    description = serializers.CharField()
    leader = VolunteerUserOutput(source="leader.user", allow_null=True, default=None)
    is_active = serializers.BooleanField()
    members_count = serializers.IntegerField()
    is_member = serializers.BooleanField()


class TeamMemberOutput(serializers.Serializer):
    id = serializers.IntegerField()
    user = VolunteerUserOutput(source="profile.user")
    joined_on = serializers.DateField()


class ServiceTeamDetailOutput(ServiceTeamOutput):
    members = TeamMemberOutput(many=True)
    actions = serializers.ListField(child=serializers.CharField())


class PartyServiceOutput(serializers.Serializer):
    """What a community sees of its in-service party members: a name and a year's service."""

    id = serializers.IntegerField()
    name = serializers.CharField(source="profile.user.get_full_name")
    community = VolunteerRefOutput()
    year_count = serializers.IntegerField()
    year_hours = serializers.DecimalField(max_digits=9, decimal_places=2)


class PartyReportStaffOutput(PartyServiceOutput):
    employer_party_org = serializers.CharField()
    reported_on = serializers.DateField()


# ---------------------------------------------------------------------------------------------
# Input serializers


class VolunteerRegisterInput(serializers.Serializer):
    user = ResidentAccountField(
        queryset=User.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("工作人员为居民登记时填写；留空为本人登记"),
    )
    skills = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    availability = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )


class VolunteerUpdateInput(serializers.Serializer):
    skills = serializers.CharField(max_length=200, required=False, allow_blank=True)
    availability = serializers.CharField(max_length=200, required=False, allow_blank=True)


class TeamUpdateInput(serializers.Serializer):
    name = serializers.CharField(max_length=64, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    leader = ScopedPrimaryKeyField(
        queryset=VolunteerProfile.objects.all(), required=False, allow_null=True
    )
    is_active = serializers.BooleanField(required=False)


class TeamCreateInput(serializers.Serializer):
    community = ScopedPrimaryKeyField(queryset=Community.objects.all())
    name = serializers.CharField(max_length=64)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    leader = ScopedPrimaryKeyField(
        queryset=VolunteerProfile.objects.all(), required=False, allow_null=True, default=None
    )


class PartyReportInput(serializers.Serializer):
    employer_party_org = serializers.CharField(max_length=100)
    reported_on = serializers.DateField(required=False, allow_null=True, default=None)


# ---------------------------------------------------------------------------------------------
# Views


class VolunteersApi(GenericAPIView):
    """Base: authentication up front; rules permissions on the object once fetched in scope,
    so that an out-of-scope object answers 404 to everyone."""

    permission_classes = [RulesPermission]
    permission_required = None

    def paginated(self, queryset, serializer_class):
        page = self.paginate_queryset(queryset)
        data = serializer_class(page, many=True, context={"request": self.request}).data
        return self.get_paginated_response(data)

    def require(self, perm, obj=None):
        if not self.request.user.has_perm(perm, obj):
            self.permission_denied(self.request)

    def parse(self, input_class):
        data = input_class(data=self.request.data, context={"request": self.request})
        data.is_valid(raise_exception=True)
        return data.validated_data


# Volunteers


class VolunteerListApi(VolunteersApi):
    pagination_class = PagePagination
    serializer_class = VolunteerProfileOutput
    queryset = VolunteerProfile.objects.none()

    @extend_schema(
        summary=_("志愿者名册（工作人员）"),
        responses=VolunteerProfileOutput(many=True),
        parameters=[
            OpenApiParameter("community", OpenApiTypes.INT, description=str(_("居民区"))),
            OpenApiParameter("active", OpenApiTypes.BOOL, description=str(_("仅在册"))),
        ],
    )
    def get(self, request):
        self.require("volunteers.view_volunteerprofile")
        qs = selectors.volunteer_list(actor=request.user, filters=request.query_params)
        return self.paginated(qs, VolunteerProfileOutput)

    @extend_schema(
        summary=_("登记为志愿者（本人，或工作人员为居民登记）"),
        request=VolunteerRegisterInput,
        responses={201: VolunteerProfileOutput},
    )
    def post(self, request):
        data = self.parse(VolunteerRegisterInput)
        profile = people_services.volunteer_register(actor=request.user, **data)
        profile = selectors.volunteer_list(actor=request.user).filter(
            pk=profile.pk
        ).first() or _annotated_own(profile)
        return Response(VolunteerProfileOutput(profile).data, status=status.HTTP_201_CREATED)


def _annotated_own(profile):
    """A resident's own profile (outside any staff scope) with its hours for the output."""
    hours = selectors.volunteer_hours(user=profile.user)
    profile.approved_hours = hours["total_hours"]
    profile.approved_count = hours["total_count"]
    return profile


class VolunteerMeApi(VolunteersApi):
    @extend_schema(summary=_("我的志愿者信息与服务时长"), responses=MyVolunteerOutput)
    def get(self, request):
        return Response(self.render(request.user))

    @extend_schema(
        summary=_("修改我的志愿者信息"), request=VolunteerUpdateInput, responses=MyVolunteerOutput
    )
    def patch(self, request):
        profile = selectors.my_profile(user=request.user)
        if profile is None:
            raise ApplicationError(_("请先登记为志愿者。"), code="not_found")
        data = self.parse(VolunteerUpdateInput)
        people_services.volunteer_update(actor=request.user, profile=profile, **data)
        return Response(self.render(request.user))

    def render(self, user):
        profile = selectors.my_profile(user=user)
        hours = selectors.volunteer_hours(user=user)
        actions = []
        if profile is None:
            if user.has_perm("volunteers.register_volunteer"):
                actions.append("register")
        else:
            profile.approved_hours = hours["total_hours"]
            profile.approved_count = hours["total_count"]
            actions += ["update", "party_report"]
        report = getattr(profile, "party_report", None) if profile else None
        return MyVolunteerOutput(
            {"profile": profile, "party_report": report, **hours, "actions": actions}
        ).data


# Teams


class TeamApi(VolunteersApi):
    queryset = ServiceTeam.objects.none()

    def detail(self, team, code=status.HTTP_200_OK):
        user = self.request.user
        team = selectors.team_get(actor=user, pk=team.pk)
        team.members = list(selectors.team_members(team=team))
        actions = []
        if user.has_perm("volunteers.manage_serviceteam", team):
            actions.append("update")
        if user.has_perm("volunteers.join_serviceteam", team):
            actions.append("leave" if team.is_member else "join")
        team.actions = actions
        return Response(ServiceTeamDetailOutput(team).data, status=code)


class TeamListApi(TeamApi):
    pagination_class = PagePagination
    serializer_class = ServiceTeamOutput

    @extend_schema(
        summary=_("服务队列表"),
        responses=ServiceTeamOutput(many=True),
        parameters=[OpenApiParameter("community", OpenApiTypes.INT)],
    )
    def get(self, request):
        return self.paginated(
            selectors.team_list(actor=request.user, filters=request.query_params),
            ServiceTeamOutput,
        )

    @extend_schema(
        summary=_("新建服务队"), request=TeamCreateInput, responses={201: ServiceTeamDetailOutput}
    )
    def post(self, request):
        self.require("volunteers.add_serviceteam")
        data = self.parse(TeamCreateInput)
        team = people_services.team_create(actor=request.user, **data)
        return self.detail(team, status.HTTP_201_CREATED)


class TeamDetailApi(TeamApi):
    @extend_schema(summary=_("服务队详情"), responses=ServiceTeamDetailOutput)
    def get(self, request, pk):
        return self.detail(selectors.team_get(actor=request.user, pk=pk))

    @extend_schema(
        summary=_("修改服务队（含队长）"),
        request=TeamUpdateInput,
        responses=ServiceTeamDetailOutput,
    )
    def patch(self, request, pk):
        team = selectors.team_get(actor=request.user, pk=pk)
        self.require("volunteers.manage_serviceteam", team)
        data = self.parse(TeamUpdateInput)
        people_services.team_update(actor=request.user, team=team, **data)
        return self.detail(team)


class TeamJoinApi(TeamApi):
    @extend_schema(summary=_("加入服务队"), request=None, responses=ServiceTeamDetailOutput)
    def post(self, request, pk):
        team = selectors.team_get(actor=request.user, pk=pk)
        self.require("volunteers.join_serviceteam", team)
        people_services.team_join(actor=request.user, team=team)
        return self.detail(team)


class TeamLeaveApi(TeamApi):
    @extend_schema(summary=_("退出服务队"), request=None, responses=ServiceTeamDetailOutput)
    def post(self, request, pk):
        team = selectors.team_get(actor=request.user, pk=pk)
        people_services.team_leave(actor=request.user, team=team)
        return self.detail(team)


# Party members


class PartyReportApi(VolunteersApi):
    pagination_class = PagePagination
    queryset = PartyMemberReport.objects.none()
    serializer_class = PartyServiceOutput

    @extend_schema(
        summary=_("在职党员报到及年度服务"),
        description=str(
            _("居民看到本居民区报到党员的姓名与年度服务次数、时长；工作人员另见单位党组织。")
        ),
        responses=PartyReportStaffOutput(many=True),
        parameters=[
            OpenApiParameter("year", OpenApiTypes.INT, description=str(_("年度，默认今年"))),
            OpenApiParameter("community", OpenApiTypes.INT),
        ],
    )
    def get(self, request):
        try:
            year = int(request.query_params.get("year") or timezone.localdate().year)
        except ValueError:
            year = None
        if year is None or not MIN_YEAR <= year <= MAX_YEAR:
            raise ApplicationError(
                _("年度无效。"), code="invalid", fields={"year": _("年度无效。")}
            )
        staff = request.user.has_perm("volunteers.view_partymemberreport")
        qs = selectors.party_member_reports(
            actor=request.user,
            year=year,
            level=Level.PEOPLE if staff else Level.PUBLIC,
            filters=request.query_params,
        )
        return self.paginated(qs, PartyReportStaffOutput if staff else PartyServiceOutput)

    @extend_schema(
        summary=_("在职党员到居民区报到"),
        request=PartyReportInput,
        responses={201: PartyReportOutput},
    )
    def post(self, request):
        data = self.parse(PartyReportInput)
        profile = selectors.my_profile(user=request.user)
        if profile is None:
            raise ApplicationError(
                _("请先登记为志愿者。"), code="invalid", fields={"profile": _("请先登记为志愿者。")}
            )
        report = people_services.party_member_report(actor=request.user, profile=profile, **data)
        return Response(PartyReportOutput(report).data, status=status.HTTP_201_CREATED)
