"""REST API of forums 议事平台 and their members.

Each view: input serializer → selector within scope (out of scope is a 404) → rules permission
→ one service → output serializer. Residents read the forums of their community and street
(without the member list); staff read within scope and the writers manage them.
"""

from django.http import Http404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from accounts.scope import Level
from board.apis._base import BoardApi, EventOut, RefOut, ScopedPrimaryKeyField, choice_field
from grids.models import Community, Street
from residents.models import Resident

from .. import selectors, services
from ..filters import ForumFilter
from ..models import Forum, ForumMember, Represents

# ---------------------------------------------------------------------------------------------
# Output


class ForumMemberOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    organisation = serializers.CharField()
    role = serializers.CharField()
    role_display = serializers.CharField(source="get_role_display")
    represents = serializers.CharField()
    represents_display = serializers.CharField(source="get_represents_display")
    resident = serializers.IntegerField(source="resident_id", allow_null=True)
    account = serializers.IntegerField(source="account_id", allow_null=True)
    joined_on = serializers.DateField()
    left_on = serializers.DateField(allow_null=True)


class ForumOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    kind_display = serializers.CharField(source="get_kind_display")
    name = serializers.CharField()
    description = serializers.CharField()
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display")
    street = RefOut()
    community = RefOut(allow_null=True, help_text=_("为空表示街道层面的议事平台"))
    established_on = serializers.DateField()
    dissolved_on = serializers.DateField(allow_null=True)
    dissolve_reason = serializers.CharField()
    member_count = serializers.IntegerField(help_text=_("现任成员数"))
    held_count = serializers.IntegerField(help_text=_("已召开会议数"))


class ForumDetailOut(ForumOut):
    members = ForumMemberOut(
        many=True,
        source="members_out",
        allow_null=True,
        help_text=_("成员名单（仅街道、社区、网格工作人员可见；其他为 null）"),
    )
    events = EventOut(
        many=True, source="events_out", allow_null=True, help_text=_("动态（仅工作人员可见）")
    )
    actions = serializers.ListField(child=serializers.CharField())


# ---------------------------------------------------------------------------------------------
# Input


class ForumIn(serializers.Serializer):
    community = ScopedPrimaryKeyField(
        queryset=Community.objects.select_related("street"),
        level=Level.PEOPLE,
        required=False,
        allow_null=True,
        default=None,
    )
    street = ScopedPrimaryKeyField(
        queryset=Street.objects.all(),
        level=Level.PEOPLE,
        required=False,
        allow_null=True,
        default=None,
        help_text=_("街道层面的议事平台：不填居民区，填街道"),
    )
    kind = choice_field(Forum.Kind.choices)
    name = serializers.CharField(max_length=80)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    established_on = serializers.DateField(required=False, allow_null=True, default=None)


class ForumUpdateIn(serializers.Serializer):
    name = serializers.CharField(max_length=80, required=False)
    description = serializers.CharField(required=False, allow_blank=True)


class ForumDissolveIn(serializers.Serializer):
    reason = serializers.CharField(max_length=200)
    dissolved_on = serializers.DateField(required=False, allow_null=True, default=None)


class ForumMemberIn(serializers.Serializer):
    resident = ScopedPrimaryKeyField(
        queryset=Resident.objects.select_related("community"),
        level=Level.PEOPLE,
        required=False,
        allow_null=True,
        default=None,
        help_text=_("本居民区登记在册的居民；代表单位的成员不填，填姓名和单位"),
    )
    name = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    organisation = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )
    role = choice_field(ForumMember.Role.choices, default=ForumMember.Role.MEMBER)
    represents = choice_field(Represents.choices, default=Represents.RESIDENTS)
    joined_on = serializers.DateField(required=False, allow_null=True, default=None)


class ForumMemberLeaveIn(serializers.Serializer):
    left_on = serializers.DateField(required=False, allow_null=True, default=None)


# ---------------------------------------------------------------------------------------------
# Views


def forum_actions(user, forum) -> list[str]:
    actions = []
    if forum.status == Forum.Status.ACTIVE and user.has_perm("forums.change_forum", forum):
        actions += ["update", "dissolve", "add_member", "schedule_meeting"]
    return actions


class ForumApi(BoardApi):
    queryset = Forum.objects.none()  # for the schema's path parameter
    subject = "forum"
    detail_serializer = ForumDetailOut

    def get_forum(self):
        forum = selectors.forum_get(actor=self.request.user, pk=self.kwargs["pk"])
        if forum is None:
            raise Http404
        return forum

    get_subject = get_forum

    def detail(self, forum, code=status.HTTP_200_OK):
        user = self.request.user
        forum = selectors.forum_get(actor=user, pk=forum.pk)
        staff = user.has_perm("forums.view_forum", forum)
        names = user.has_perm("forums.view_forummember", forum)
        forum.members_out = list(forum.members.all()) if names else None
        forum.events_out = list(forum.events.all()) if staff else None
        forum.actions = forum_actions(user, forum)
        return Response(ForumDetailOut(forum).data, status=code)


class ForumListApi(ForumApi):
    filter_backends = [DjangoFilterBackend]
    filterset_class = ForumFilter
    serializer_class = ForumOut

    def filter_queryset(self, queryset):
        return queryset  # filtered by the selector; the backend is here for the schema

    @extend_schema(
        summary=_("议事平台列表（居民：本居民区及本街道的；工作人员：管辖范围内）"),
        responses=ForumOut(many=True),
    )
    def get(self, request):
        qs = selectors.forum_list(actor=request.user, filters=request.query_params)
        return self.paginated(qs, ForumOut)

    @extend_schema(summary=_("新建议事平台"), request=ForumIn, responses={201: ForumDetailOut})
    def post(self, request):
        self.require("forums.add_forum")
        forum = services.forum_create(actor=request.user, **self.parse(ForumIn))
        return self.detail(forum, status.HTTP_201_CREATED)


class ForumDetailApi(ForumApi):
    @extend_schema(summary=_("议事平台详情（工作人员含成员名单）"), responses=ForumDetailOut)
    def get(self, request, pk):
        return self.detail(self.get_forum())

    @extend_schema(summary=_("修改名称或简介"), request=ForumUpdateIn, responses=ForumDetailOut)
    def patch(self, request, pk):
        forum = self.get_forum()
        self.require("forums.change_forum", forum)
        services.forum_update(
            actor=request.user, forum=forum, **self.parse(ForumUpdateIn, partial=True)
        )
        return self.detail(forum)


class ForumDissolveApi(ForumApi):
    @extend_schema(
        summary=_("撤销议事平台（须填写原因；待召开的会议一并取消）"),
        request=ForumDissolveIn,
        responses=ForumDetailOut,
    )
    def post(self, request, pk):
        forum = self.get_forum()
        self.require("forums.dissolve_forum", forum)
        services.forum_dissolve(actor=request.user, forum=forum, **self.parse(ForumDissolveIn))
        return self.detail(forum)


class ForumMemberAddApi(ForumApi):
    @extend_schema(
        summary=_("添加成员（居民，或代表单位的人员）"),
        request=ForumMemberIn,
        responses={201: ForumDetailOut},
    )
    def post(self, request, pk):
        forum = self.get_forum()
        self.require("forums.add_forummember", forum)
        services.forum_member_add(actor=request.user, forum=forum, **self.parse(ForumMemberIn))
        return self.detail(forum, status.HTTP_201_CREATED)


class ForumMemberLeaveApi(ForumApi):
    @extend_schema(summary=_("成员退出"), request=ForumMemberLeaveIn, responses=ForumDetailOut)
    def post(self, request, pk, member_pk):
        forum = self.get_forum()
        self.require("forums.change_forummember", forum)
        member = next((m for m in forum.members.all() if m.pk == member_pk), None)
        if member is None:
            raise Http404
        services.forum_member_leave(
            actor=request.user, member=member, **self.parse(ForumMemberLeaveIn)
        )
        return self.detail(forum)


urlpatterns = [
    path("forums/", ForumListApi.as_view(), name="forum-list"),
    path("forums/<int:pk>/", ForumDetailApi.as_view(), name="forum-detail"),
    path("forums/<int:pk>/dissolve/", ForumDissolveApi.as_view(), name="forum-dissolve"),
    path("forums/<int:pk>/members/", ForumMemberAddApi.as_view(), name="forum-member-add"),
    path(
        "forums/<int:pk>/members/<int:member_pk>/leave/",
        ForumMemberLeaveApi.as_view(),
        name="forum-member-leave",
    ),
]
