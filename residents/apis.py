"""REST API of the people's-conditions database (staff only, scoped).

Each view: input serializer → selector within scope → rules permission → one service → output
serializer. Lists are filtered by the selectors (django-filter FilterSets in filters.py); the
views declare the same FilterSet with DjangoFilterBackend only so that the OpenAPI schema lists
the parameters, and `filter_queryset` is a no-op to keep the filter from being applied twice.

Output never carries a clear ID number; lists carry masked phones. The detail view shows the
clear phone (people-level staff only reach it) and writes the access log.
"""

from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from accounts.scope import Level, actor_scope
from core.exceptions import ApplicationError
from core.pagination import PagePagination
from core.permissions import RulesPermission
from grids.models import Building, Community, MicroGrid, Street

from . import selectors, services
from .filters import HouseholdFilter, ResidentAccessLogFilter, ResidentFilter, TagFilter
from .models import Household, Resident, Tag, TagFamily


def client_ip(request):
    return request.META.get("REMOTE_ADDR") or None


class ScopedPrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """An id that must name a row the caller can see; any other id reads as non-existent."""

    def __init__(self, *, level=Level.ORG, **kwargs):
        self.level = level
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        user = request.user if request else None
        return actor_scope(user).filter(super().get_queryset(), self.level)


# ---------------------------------------------------------------------------------------------
# Output serializers


class UnitRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class TagOutput(serializers.Serializer):
    id = serializers.IntegerField()
    street = serializers.IntegerField(source="street_id")
    family = serializers.CharField()
    family_display = serializers.CharField(source="get_family_display")
    name = serializers.CharField()
    color = serializers.CharField()
    description = serializers.CharField()
    sort_order = serializers.IntegerField()


class TagRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    family = serializers.CharField()
    name = serializers.CharField()
    color = serializers.CharField()


class ResidentListOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    gender = serializers.CharField()
    birth_date = serializers.DateField(allow_null=True)
    id_number_masked = serializers.CharField()
    phone_masked = serializers.CharField()
    community = UnitRefSerializer()
    grid = UnitRefSerializer(allow_null=True)
    building = UnitRefSerializer(allow_null=True)
    room = serializers.CharField()
    household = serializers.IntegerField(source="household_id", allow_null=True)
    relation_to_head = serializers.CharField()
    status = serializers.CharField()
    tags = TagRefSerializer(many=True, source="tags.all")


class ResidentDetailOutput(ResidentListOutput):
    phone = serializers.CharField()
    notes = serializers.CharField()
    account = serializers.IntegerField(source="account_id", allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class HouseholdMemberOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    relation_to_head = serializers.CharField()
    status = serializers.CharField()


class HouseholdListOutput(serializers.Serializer):
    id = serializers.IntegerField()
    community = UnitRefSerializer()
    grid = UnitRefSerializer(allow_null=True)
    building = UnitRefSerializer(allow_null=True)
    room = serializers.CharField()
    address = serializers.CharField()
    phone_masked = serializers.CharField()
    members = HouseholdMemberOutput(many=True, source="members.all")


class HouseholdDetailOutput(HouseholdListOutput):
    phone = serializers.CharField()
    notes = serializers.CharField()


class UserRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="get_full_name")


class AccessLogOutput(serializers.Serializer):
    id = serializers.IntegerField()
    at = serializers.DateTimeField()
    user = UserRefSerializer()
    resident = serializers.IntegerField(source="resident_id", allow_null=True)
    resident_name = serializers.CharField()
    community = UnitRefSerializer()
    action = serializers.CharField()
    reason = serializers.CharField()
    channel = serializers.CharField()
    ip_address = serializers.IPAddressField(allow_null=True)


# ---------------------------------------------------------------------------------------------
# Input serializers


class TagCreateInput(serializers.Serializer):
    street = ScopedPrimaryKeyField(queryset=Street.objects.all(), level=Level.PEOPLE)
    family = serializers.ChoiceField(choices=TagFamily.choices, default=TagFamily.IDENTITY)
    name = serializers.CharField(max_length=32)
    color = serializers.RegexField(r"^#[0-9A-Fa-f]{6}$", default="#1F6FEB")
    description = serializers.CharField(max_length=200, allow_blank=True, default="")
    sort_order = serializers.IntegerField(min_value=0, max_value=32767, default=0)


class TagUpdateInput(TagCreateInput):
    street = None
    family = serializers.ChoiceField(choices=TagFamily.choices, required=False)
    name = serializers.CharField(max_length=32, required=False)
    color = serializers.RegexField(r"^#[0-9A-Fa-f]{6}$", required=False)
    description = serializers.CharField(max_length=200, allow_blank=True, required=False)
    sort_order = serializers.IntegerField(min_value=0, max_value=32767, required=False)


class PlaceInput(serializers.Serializer):
    community = ScopedPrimaryKeyField(queryset=Community.objects.all())
    grid = ScopedPrimaryKeyField(queryset=MicroGrid.objects.all(), required=False, allow_null=True)
    building = ScopedPrimaryKeyField(
        queryset=Building.objects.all(), required=False, allow_null=True
    )
    room = serializers.CharField(max_length=16, required=False, allow_blank=True)


class ResidentCreateInput(PlaceInput):
    name = serializers.CharField(max_length=32)
    id_number = serializers.CharField(
        max_length=32, required=False, allow_blank=True, help_text=_("18位身份证号；只写不读")
    )
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    gender = serializers.ChoiceField(
        choices=Resident.Gender.choices, required=False, allow_blank=True
    )
    birth_date = serializers.DateField(required=False, allow_null=True)
    household = ScopedPrimaryKeyField(
        queryset=Household.objects.all(), level=Level.PEOPLE, required=False, allow_null=True
    )
    relation_to_head = serializers.ChoiceField(
        choices=Resident.Relation.choices, required=False, allow_blank=True
    )
    status = serializers.ChoiceField(choices=Resident.Status.choices, required=False)
    tags = ScopedPrimaryKeyField(
        queryset=Tag.objects.all(), level=Level.PEOPLE, many=True, required=False
    )
    notes = serializers.CharField(required=False, allow_blank=True)


class ResidentUpdateInput(ResidentCreateInput):
    community = ScopedPrimaryKeyField(queryset=Community.objects.all(), required=False)
    name = serializers.CharField(max_length=32, required=False)


class HouseholdCreateInput(PlaceInput):
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True)


class HouseholdUpdateInput(HouseholdCreateInput):
    community = ScopedPrimaryKeyField(queryset=Community.objects.all(), required=False)


class RevealInput(serializers.Serializer):
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=_("查看完整身份证号的事由（必填，记入查阅记录）"),
    )


class RevealOutput(serializers.Serializer):
    id_number = serializers.CharField()


class LookupInput(serializers.Serializer):
    id_number = serializers.CharField(max_length=32)


class CountRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    count = serializers.IntegerField()


class TagCountRowSerializer(CountRowSerializer):
    family = serializers.CharField()


class StatsOutput(serializers.Serializer):
    total = serializers.IntegerField()
    communities = CountRowSerializer(many=True)
    tags = TagCountRowSerializer(many=True)


# ---------------------------------------------------------------------------------------------
# Views


class ScopedListMixin:
    # Pagination, and a filter backend for the schema only: the selector does the filtering.

    pagination_class = PagePagination
    filter_backends = [DjangoFilterBackend]
    permission_classes = [RulesPermission]

    def filter_queryset(self, queryset):
        return queryset

    def paginated(self, queryset, output_class):
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(output_class(page, many=True).data)


class TagListCreateApi(ScopedListMixin, GenericAPIView):
    """居民标签：本街道工作人员可查看，街道管理员可新建。"""

    filterset_class = TagFilter
    serializer_class = TagOutput
    permission_required = {"get": "residents.view_tag", "post": "residents.add_tag"}

    def get_queryset(self):
        return selectors.tag_list(actor=self.request.user, filters=self.request.query_params)

    @extend_schema(summary="居民标签列表", responses=TagOutput(many=True))
    def get(self, request):
        return self.paginated(self.get_queryset(), TagOutput)

    @extend_schema(
        summary="新建居民标签（街道管理员）", request=TagCreateInput, responses=TagOutput
    )
    def post(self, request):
        data = TagCreateInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        tag = services.tag_create(actor=request.user, **data.validated_data)
        return Response(TagOutput(tag).data, status=status.HTTP_201_CREATED)


class TagDetailApi(GenericAPIView):
    """单个居民标签：街道管理员可修改颜色、说明等。"""

    permission_classes = [RulesPermission]
    serializer_class = TagOutput
    permission_required = {"get": "residents.view_tag", "patch": "residents.change_tag"}

    def get_object(self):
        tag = selectors.tag_get(actor=self.request.user, pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, tag)
        return tag

    @extend_schema(summary="居民标签详情")
    def get(self, request, pk):
        return Response(TagOutput(self.get_object()).data)

    @extend_schema(
        summary="修改居民标签（街道管理员）", request=TagUpdateInput, responses=TagOutput
    )
    def patch(self, request, pk):
        tag = self.get_object()
        data = TagUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        tag = services.tag_update(actor=request.user, tag=tag, **data.validated_data)
        return Response(TagOutput(tag).data)


class HouseholdListCreateApi(ScopedListMixin, GenericAPIView):
    """户：管辖范围内的户及其成员。"""

    filterset_class = HouseholdFilter
    serializer_class = HouseholdListOutput
    permission_required = {"get": "residents.view_household", "post": "residents.add_household"}

    def get_queryset(self):
        return selectors.household_list(actor=self.request.user, filters=self.request.query_params)

    @extend_schema(summary="户列表", responses=HouseholdListOutput(many=True))
    def get(self, request):
        return self.paginated(self.get_queryset(), HouseholdListOutput)

    @extend_schema(summary="新建户", request=HouseholdCreateInput, responses=HouseholdDetailOutput)
    def post(self, request):
        data = HouseholdCreateInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        household = services.household_create(actor=request.user, **data.validated_data)
        household = selectors.household_get(actor=request.user, pk=household.pk)
        return Response(HouseholdDetailOutput(household).data, status=status.HTTP_201_CREATED)


class HouseholdDetailApi(GenericAPIView):
    """单个户。"""

    permission_classes = [RulesPermission]
    serializer_class = HouseholdDetailOutput
    permission_required = {
        "get": "residents.view_household",
        "patch": "residents.change_household",
    }

    def get_object(self):
        household = selectors.household_get(actor=self.request.user, pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, household)
        return household

    @extend_schema(summary="户详情")
    def get(self, request, pk):
        return Response(HouseholdDetailOutput(self.get_object()).data)

    @extend_schema(summary="修改户", request=HouseholdUpdateInput, responses=HouseholdDetailOutput)
    def patch(self, request, pk):
        household = self.get_object()
        data = HouseholdUpdateInput(data=request.data, partial=True, context={"request": request})
        data.is_valid(raise_exception=True)
        services.household_update(actor=request.user, household=household, **data.validated_data)
        household = selectors.household_get(actor=request.user, pk=household.pk)
        return Response(HouseholdDetailOutput(household).data)


class ResidentListCreateApi(ScopedListMixin, GenericAPIView):
    """居民：管辖范围内的居民，电话与身份证号脱敏。"""

    filterset_class = ResidentFilter
    serializer_class = ResidentListOutput
    permission_required = {"get": "residents.view_resident", "post": "residents.add_resident"}

    def get_queryset(self):
        return selectors.resident_list(actor=self.request.user, filters=self.request.query_params)

    @extend_schema(
        summary="居民列表",
        description="按标签（多个标签为“同时具有”）、标签类别、居民区、微网格、楼组、状态、姓名、"
        "身份证号（精确）筛选。电话与身份证号均为脱敏显示。",
        responses=ResidentListOutput(many=True),
    )
    def get(self, request):
        return self.paginated(self.get_queryset(), ResidentListOutput)

    @extend_schema(summary="新建居民", request=ResidentCreateInput, responses=ResidentDetailOutput)
    def post(self, request):
        data = ResidentCreateInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        resident = services.resident_create(actor=request.user, **data.validated_data)
        resident = selectors.resident_get(actor=request.user, pk=resident.pk)
        return Response(ResidentDetailOutput(resident).data, status=status.HTTP_201_CREATED)


class ResidentDetailApi(GenericAPIView):
    """单个居民的完整信息；每次查看记入查阅记录。"""

    permission_classes = [RulesPermission]
    serializer_class = ResidentDetailOutput
    permission_required = {"get": "residents.view_resident", "patch": "residents.change_resident"}

    def get_object(self):
        resident = selectors.resident_get(actor=self.request.user, pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, resident)
        return resident

    @extend_schema(summary="居民详情（记入查阅记录）")
    def get(self, request, pk):
        resident = self.get_object()
        services.resident_record_view(
            actor=request.user, resident=resident, channel="api", ip=client_ip(request)
        )
        return Response(ResidentDetailOutput(resident).data)

    @extend_schema(
        summary="修改居民信息", request=ResidentUpdateInput, responses=ResidentDetailOutput
    )
    def patch(self, request, pk):
        resident = self.get_object()
        data = ResidentUpdateInput(data=request.data, partial=True, context={"request": request})
        data.is_valid(raise_exception=True)
        services.resident_update(actor=request.user, resident=resident, **data.validated_data)
        resident = selectors.resident_get(actor=request.user, pk=resident.pk)
        return Response(ResidentDetailOutput(resident).data)


class ResidentRevealIdApi(GenericAPIView):
    """查看完整身份证号：须填写事由，记入查阅记录。"""

    permission_classes = [RulesPermission]
    serializer_class = RevealOutput
    permission_required = "residents.reveal_id_number_resident"

    @extend_schema(
        summary="查看完整身份证号（须填写事由，记入查阅记录）",
        request=RevealInput,
        responses={200: RevealOutput, 400: OpenApiResponse(description="未填写事由")},
    )
    def post(self, request, pk):
        resident = selectors.resident_get(actor=request.user, pk=pk)
        self.check_object_permissions(request, resident)
        data = RevealInput(data=request.data)
        data.is_valid(raise_exception=True)
        number = services.resident_reveal_id_number(
            actor=request.user,
            resident=resident,
            reason=data.validated_data.get("reason", ""),
            channel="api",
            ip=client_ip(request),
        )
        return Response({"id_number": number})


class ResidentLookupApi(GenericAPIView):
    """按身份证号精确查找（密文索引，不解密）。"""

    permission_classes = [RulesPermission]
    serializer_class = ResidentListOutput
    permission_required = "residents.lookup_resident"

    @extend_schema(
        summary="按身份证号精确查找居民",
        parameters=[OpenApiParameter("id_number", str, required=True, description="18位身份证号")],
        responses={200: ResidentListOutput, 404: OpenApiResponse(description="管辖范围内无此人")},
    )
    def get(self, request):
        data = LookupInput(data=request.query_params)
        data.is_valid(raise_exception=True)
        resident = services.resident_find_by_id_number(
            actor=request.user, id_number=data.validated_data["id_number"]
        )
        if resident is None:
            raise ApplicationError(_("管辖范围内没有该身份证号的居民。"), code="not_found")
        resident = selectors.resident_get(actor=request.user, pk=resident.pk)
        return Response(ResidentListOutput(resident).data)


class ResidentStatsApi(GenericAPIView):
    """居民数量统计：按居民区、按标签，仅数量不含姓名。"""

    permission_classes = [RulesPermission]
    serializer_class = StatsOutput
    permission_required = "residents.view_stats_resident"

    @extend_schema(summary="居民统计（仅数量，区领导可用）", responses=StatsOutput)
    def get(self, request):
        return Response(StatsOutput(selectors.resident_stats(actor=request.user)).data)


class ResidentAccessLogListApi(ScopedListMixin, GenericAPIView):
    """居民信息查阅记录：街道管理员查阅本街道。"""

    filterset_class = ResidentAccessLogFilter
    serializer_class = AccessLogOutput
    permission_required = "residents.view_residentaccesslog"

    def get_queryset(self):
        return selectors.access_log_list(actor=self.request.user, filters=self.request.query_params)

    @extend_schema(summary="居民信息查阅记录（街道管理员）", responses=AccessLogOutput(many=True))
    def get(self, request):
        return self.paginated(self.get_queryset(), AccessLogOutput)
