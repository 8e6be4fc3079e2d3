"""REST API of the points side: my points and ledger, the street's rules, rewards, redemptions,
staff adjustments and the leaders' totals.

Each view: input serializer → selector within scope (out of scope is a 404) → rules permission
→ one service → output serializer. Insufficient points or stock answer 409 with the numbers.
"""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from accounts.scope import Level, actor_scope
from core.pagination import FeedPagination, PagePagination
from core.permissions import RulesPermission
from grids.models import Community, GridResource

from ..models import PointsAccount, PointsEntry, Redemption, Reward
from ..selectors import points as selectors
from ..services import points as services

RECENT_ENTRIES = 10
REWARD_KIND_HELP = "goods 实物 / service 服务 / voucher 优惠券"

# ---------------------------------------------------------------------------------------------
# Output serializers


class PointsRefOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class PointsAccountOutput(serializers.Serializer):
    id = serializers.IntegerField()
    street = PointsRefOutput()
    community = PointsRefOutput()
    balance = serializers.IntegerField()


class StaffAccountOutput(PointsAccountOutput):
    user_id = serializers.IntegerField()
    user_name = serializers.CharField(source="user.get_full_name")


class PointsEntryOutput(serializers.Serializer):
    id = serializers.IntegerField()
    account_id = serializers.IntegerField()
    kind = serializers.CharField()
    kind_display = serializers.CharField(source="get_kind_display")
    points = serializers.IntegerField()
    balance_after = serializers.IntegerField()
    reason = serializers.CharField()
    period = serializers.CharField()
    attendance_id = serializers.IntegerField(allow_null=True)
    activity_title = serializers.CharField(
        source="attendance.activity.title", allow_null=True, default=None
    )
    redemption_id = serializers.IntegerField(allow_null=True)
    reward_name = serializers.CharField(
        source="redemption.reward.name", allow_null=True, default=None
    )
    created_at = serializers.DateTimeField()


class PointsMeOutput(serializers.Serializer):
    accounts = PointsAccountOutput(many=True)
    recent_entries = PointsEntryOutput(many=True)


class PointsPolicyOutput(serializers.Serializer):
    title = serializers.CharField()
    text = serializers.CharField()
    daily_cap = serializers.IntegerField(allow_null=True)
    expiry_months = serializers.IntegerField(allow_null=True)
    published_at = serializers.DateTimeField(allow_null=True)


class PointsRuleOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    activity_kind = serializers.CharField()
    category = serializers.CharField()
    points_per_hour = serializers.IntegerField()
    points_per_attendance = serializers.IntegerField()
    bonus_points = serializers.IntegerField()
    max_points_per_attendance = serializers.IntegerField(allow_null=True)
    is_default = serializers.BooleanField()
    is_active = serializers.BooleanField()


class PolicyPageOutput(serializers.Serializer):
    street = PointsRefOutput()
    policy = PointsPolicyOutput(allow_null=True)
    rules = PointsRuleOutput(many=True)


class RewardOutput(serializers.Serializer):
    id = serializers.IntegerField()
    community = PointsRefOutput()
    provider = PointsRefOutput(allow_null=True)
    kind = serializers.CharField()
    kind_display = serializers.CharField(source="get_kind_display")
    name = serializers.CharField()
    description = serializers.CharField()
    points_cost = serializers.IntegerField()
    stock = serializers.IntegerField()
    is_active = serializers.BooleanField()


class RedemptionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    reward = PointsRefOutput()
    community_id = serializers.IntegerField(source="reward.community_id")
    user_id = serializers.IntegerField()
    user_name = serializers.CharField(source="user.get_full_name")
    quantity = serializers.IntegerField()
    points = serializers.IntegerField()
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display")
    handed_over_at = serializers.DateTimeField(allow_null=True)
    cancelled_at = serializers.DateTimeField(allow_null=True)
    cancelled_reason = serializers.CharField()
    created_at = serializers.DateTimeField()


class VolunteerStatsRowOutput(serializers.Serializer):
    community = PointsRefOutput(source="*")
    street = PointsRefOutput()
    registered_volunteers = serializers.IntegerField()
    active_volunteers = serializers.IntegerField()
    hours_approved = serializers.DecimalField(max_digits=12, decimal_places=2)
    points_issued = serializers.IntegerField()
    points_redeemed = serializers.IntegerField()


class VolunteerStatsOutput(serializers.Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    communities = VolunteerStatsRowOutput(many=True)


# ---------------------------------------------------------------------------------------------
# Input serializers


class StreetQueryInput(serializers.Serializer):
    street = serializers.IntegerField(required=False, min_value=1)


class RewardFilterInput(serializers.Serializer):
    community = serializers.IntegerField(required=False, min_value=1)
    kind = serializers.CharField(required=False, help_text=REWARD_KIND_HELP)

    def validate_kind(self, value):
        if value not in Reward.Kind.values:
            raise serializers.ValidationError(_("类型无效。"))
        return value


class RewardCreateInput(serializers.Serializer):
    community = serializers.PrimaryKeyRelatedField(queryset=Community.objects.all())
    name = serializers.CharField(max_length=64)
    points_cost = serializers.IntegerField(min_value=1)
    stock = serializers.IntegerField(min_value=0, max_value=1000000)
    # The service validates the kind (400 naming the field); a plain string here keeps the
    # schema free of a second enum called "kind" next to the activities' one.
    kind = serializers.CharField(default=Reward.Kind.GOODS, help_text=REWARD_KIND_HELP)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    provider = serializers.PrimaryKeyRelatedField(
        queryset=GridResource.objects.all(), required=False, allow_null=True, default=None
    )
    is_active = serializers.BooleanField(default=True)

    def validate_community(self, community):
        user = self.context["request"].user
        if not actor_scope(user).covers(community, Level.PEOPLE):
            raise serializers.ValidationError(_("居民区不存在或不在您的管辖范围。"))
        return community


class RewardUpdateInput(serializers.Serializer):
    name = serializers.CharField(max_length=64, required=False)
    points_cost = serializers.IntegerField(min_value=1, required=False)
    stock = serializers.IntegerField(min_value=0, max_value=1000000, required=False)
    kind = serializers.CharField(required=False, help_text=REWARD_KIND_HELP)

    def validate_kind(self, value):
        if value not in Reward.Kind.values:
            raise serializers.ValidationError(_("类型无效。"))
        return value

    description = serializers.CharField(required=False, allow_blank=True)
    provider = serializers.PrimaryKeyRelatedField(
        queryset=GridResource.objects.all(), required=False, allow_null=True
    )
    is_active = serializers.BooleanField(required=False)


class RedeemInput(serializers.Serializer):
    quantity = serializers.IntegerField(min_value=1, max_value=100, default=1)


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class RequiredReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class AdjustInput(serializers.Serializer):
    points = serializers.IntegerField(min_value=-100000, max_value=100000)
    reason = serializers.CharField(max_length=200)

    def validate_points(self, value):
        if value == 0:
            raise serializers.ValidationError(_("调整积分不能为 0。"))
        return value


class RedemptionFilterInput(serializers.Serializer):
    mine = serializers.BooleanField(required=False, default=False)
    status = serializers.ChoiceField(choices=Redemption.Status.choices, required=False)
    reward = serializers.IntegerField(required=False, min_value=1)


class AccountFilterInput(serializers.Serializer):
    community = serializers.IntegerField(required=False, min_value=1)
    q = serializers.CharField(required=False, max_length=50)


class VolunteerStatsInput(serializers.Serializer):
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)

    def validate(self, attrs):
        default_from, default_to = selectors.default_period()
        attrs.setdefault("date_from", default_from)
        attrs.setdefault("date_to", default_to)
        if attrs["date_to"] < attrs["date_from"]:
            raise serializers.ValidationError({"to": [_("结束日期不能早于开始日期。")]})
        if (attrs["date_to"] - attrs["date_from"]).days > 3660:
            raise serializers.ValidationError({"from": [_("统计期间不能超过十年。")]})
        return attrs


def _query(serializer_class, request):
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _body(serializer_class, request):
    serializer = serializer_class(data=request.data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


# ---------------------------------------------------------------------------------------------
# Views


class PointsApi(GenericAPIView):
    permission_classes = [RulesPermission]
    permission_required = None


class PointsMeApi(PointsApi):
    @extend_schema(
        responses=PointsMeOutput,
        summary="我的积分：各街道余额与最近流水",
        tags=["points"],
    )
    def get(self, request):
        accounts = selectors.account_list_mine(user=request.user)
        entries = selectors.entry_list_mine(user=request.user)[:RECENT_ENTRIES]
        data = {"accounts": list(accounts), "recent_entries": list(entries)}
        return Response(PointsMeOutput(data).data)


class PointsLedgerApi(PointsApi):
    pagination_class = FeedPagination
    serializer_class = PointsEntryOutput
    queryset = PointsEntry.objects.none()

    @extend_schema(
        parameters=[StreetQueryInput],
        responses=PointsEntryOutput(many=True),
        summary="我的积分流水（游标分页）",
        tags=["points"],
    )
    def get(self, request):
        params = _query(StreetQueryInput, request)
        qs = selectors.entry_list_mine(user=request.user, street_id=params.get("street"))
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(PointsEntryOutput(page, many=True).data)


class PointsPolicyApi(PointsApi):
    @extend_schema(
        parameters=[StreetQueryInput],
        responses=PolicyPageOutput,
        summary="街道积分管理办法及规则",
        tags=["points"],
    )
    def get(self, request):
        params = _query(StreetQueryInput, request)
        street = selectors.policy_street_for(actor=request.user, street_id=params.get("street"))
        data = {
            "street": street,
            "policy": selectors.policy_get(actor=request.user, street=street),
            "rules": list(selectors.rule_list(actor=request.user, street=street)),
        }
        return Response(PolicyPageOutput(data).data)


class RewardListApi(PointsApi):
    pagination_class = PagePagination
    serializer_class = RewardOutput
    queryset = Reward.objects.none()
    permission_required = {"get": None, "post": "volunteers.manage_rewards"}

    @extend_schema(
        parameters=[RewardFilterInput],
        responses=RewardOutput(many=True),
        summary="兑换奖励列表（本居民区）",
        tags=["points"],
    )
    def get(self, request):
        filters = _query(RewardFilterInput, request)
        qs = selectors.reward_list(actor=request.user, filters=filters)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(RewardOutput(page, many=True).data)

    @extend_schema(
        request=RewardCreateInput,
        responses={201: RewardOutput},
        summary="新增兑换奖励",
        tags=["points"],
    )
    def post(self, request):
        data = _body(RewardCreateInput, request)
        reward = services.reward_create(actor=request.user, **data)
        return Response(RewardOutput(reward).data, status=status.HTTP_201_CREATED)


class RewardDetailApi(PointsApi):
    permission_required = {"get": None, "patch": "volunteers.manage_rewards"}

    @extend_schema(responses=RewardOutput, summary="兑换奖励详情", tags=["points"])
    def get(self, request, pk):
        return Response(RewardOutput(selectors.reward_get(actor=request.user, pk=pk)).data)

    @extend_schema(
        request=RewardUpdateInput, responses=RewardOutput, summary="修改兑换奖励", tags=["points"]
    )
    def patch(self, request, pk):
        reward = selectors.reward_get(actor=request.user, pk=pk)
        self.check_object_permissions(request, reward)
        data = _body(RewardUpdateInput, request)
        reward = services.reward_update(actor=request.user, reward=reward, **data)
        return Response(RewardOutput(selectors.reward_get(actor=request.user, pk=reward.pk)).data)


class RewardRedeemApi(PointsApi):
    @extend_schema(
        request=RedeemInput,
        responses={201: RedemptionOutput},
        summary="兑换奖励（积分不足或库存不足返回 409）",
        tags=["points"],
    )
    def post(self, request, pk):
        reward = selectors.reward_get(actor=request.user, pk=pk)
        data = _body(RedeemInput, request)
        redemption = services.reward_redeem(actor=request.user, reward=reward, **data)
        redemption = selectors.redemption_get(actor=request.user, pk=redemption.pk)
        return Response(RedemptionOutput(redemption).data, status=status.HTTP_201_CREATED)


class RedemptionListApi(PointsApi):
    pagination_class = PagePagination
    serializer_class = RedemptionOutput
    queryset = Redemption.objects.none()

    @extend_schema(
        parameters=[RedemptionFilterInput],
        responses=RedemptionOutput(many=True),
        summary="兑换单：我的，或工作人员所辖居民区的",
        tags=["points"],
    )
    def get(self, request):
        filters = _query(RedemptionFilterInput, request)
        qs = selectors.redemption_list(
            actor=request.user, mine=filters.pop("mine"), filters=filters
        )
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(RedemptionOutput(page, many=True).data)


class RedemptionHandOverApi(PointsApi):
    permission_required = "volunteers.hand_over_redemption"

    @extend_schema(request=None, responses=RedemptionOutput, summary="兑换单领取", tags=["points"])
    def post(self, request, pk):
        redemption = selectors.redemption_get(actor=request.user, pk=pk)
        self.check_object_permissions(request, redemption)
        services.redemption_hand_over(actor=request.user, redemption=redemption)
        redemption = selectors.redemption_get(actor=request.user, pk=pk)
        return Response(RedemptionOutput(redemption).data)


class RedemptionCancelApi(PointsApi):
    @extend_schema(
        request=ReasonInput,
        responses=RedemptionOutput,
        summary="取消兑换单（退回积分与库存）",
        tags=["points"],
    )
    def post(self, request, pk):
        redemption = selectors.redemption_get(actor=request.user, pk=pk)
        data = _body(ReasonInput, request)
        services.redemption_cancel(actor=request.user, redemption=redemption, **data)
        redemption = selectors.redemption_get(actor=request.user, pk=pk)
        return Response(RedemptionOutput(redemption).data)


class PointsAccountListApi(PointsApi):
    pagination_class = PagePagination
    serializer_class = StaffAccountOutput
    queryset = PointsAccount.objects.none()
    permission_required = "volunteers.view_ledger"

    @extend_schema(
        parameters=[AccountFilterInput],
        responses=StaffAccountOutput(many=True),
        summary="积分账户（工作人员，所辖范围）",
        tags=["points"],
    )
    def get(self, request):
        filters = _query(AccountFilterInput, request)
        qs = selectors.account_list(actor=request.user, filters=filters)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(StaffAccountOutput(page, many=True).data)


class PointsAccountAdjustApi(PointsApi):
    permission_required = "volunteers.adjust_points"

    @extend_schema(
        request=AdjustInput,
        responses={201: PointsEntryOutput},
        summary="人工调整积分（须填写原因）",
        tags=["points"],
    )
    def post(self, request, pk):
        account = selectors.account_get(actor=request.user, pk=pk)
        self.check_object_permissions(request, account)
        data = _body(AdjustInput, request)
        entry = services.points_adjust(actor=request.user, account=account, **data)
        entry = PointsEntry.objects.select_related(
            "attendance__activity", "redemption__reward"
        ).get(pk=entry.pk)
        return Response(PointsEntryOutput(entry).data, status=status.HTTP_201_CREATED)


class VolunteerStatsApi(PointsApi):
    permission_required = "volunteers.view_volunteer_stats"

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "from", OpenApiTypes.DATE, description="开始日期（含），默认今年1月1日"
            ),
            OpenApiParameter("to", OpenApiTypes.DATE, description="结束日期（含），默认今天"),
        ],
        responses=VolunteerStatsOutput,
        summary="各居民区志愿服务统计（仅数字）",
        tags=["points"],
    )
    def get(self, request):
        params = {
            key: request.query_params[name]
            for name, key in (("from", "date_from"), ("to", "date_to"))
            if name in request.query_params
        }
        serializer = VolunteerStatsInput(data=params)
        if not serializer.is_valid():
            errors = {
                {"date_from": "from", "date_to": "to"}.get(k, k): v
                for k, v in serializer.errors.items()
            }
            raise serializers.ValidationError(errors)
        period = serializer.validated_data
        rows = selectors.volunteer_stats(actor=request.user, **period)
        data = {**period, "communities": list(rows)}
        return Response(VolunteerStatsOutput(data).data)


urlpatterns = [
    path("points/me/", PointsMeApi.as_view(), name="points-me"),
    path("points/me/ledger/", PointsLedgerApi.as_view(), name="points-ledger"),
    path("points/policy/", PointsPolicyApi.as_view(), name="points-policy"),
    path("rewards/", RewardListApi.as_view(), name="reward-list"),
    path("rewards/<int:pk>/", RewardDetailApi.as_view(), name="reward-detail"),
    path("rewards/<int:pk>/redeem/", RewardRedeemApi.as_view(), name="reward-redeem"),
    path("redemptions/", RedemptionListApi.as_view(), name="redemption-list"),
    path(
        "redemptions/<int:pk>/hand-over/",
        RedemptionHandOverApi.as_view(),
        name="redemption-hand-over",
    ),
    path("redemptions/<int:pk>/cancel/", RedemptionCancelApi.as_view(), name="redemption-cancel"),
    path("points-accounts/", PointsAccountListApi.as_view(), name="points-account-list"),
    path(
        "points-accounts/<int:pk>/adjust/",
        PointsAccountAdjustApi.as_view(),
        name="points-account-adjust",
    ),
    path("volunteer-stats/", VolunteerStatsApi.as_view(), name="volunteer-stats"),
]
