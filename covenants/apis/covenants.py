"""REST API of covenants 规约/公约: browse (residents: their community's covenants past the
draft; staff: in scope), draft, and the workflow's verb endpoints.

Each view: input serializer → selector within scope (out of scope is a 404) → rules
permission → one service → output serializer. Details list the actions the caller may take.
"""

from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from board.apis._base import (
    BoardApi,
    EmptyIn,
    EventOut,
    ReasonIn,
    RefOut,
    ScopedPrimaryKeyField,
    choice_field,
)
from board.models.common import target_label
from grids.models import Building, Community, Compound
from projects.models import Project
from proposals.models import Topic

from .. import selectors, services
from ..filters import CovenantFilter
from ..models import Covenant, Origin, SigningMethod, ThresholdBasis, VersionState
from ..models.covenants import AUDIENCES

# ---------------------------------------------------------------------------------------------
# Output


class CovenantVersionOut(serializers.Serializer):
    number = serializers.IntegerField()
    state = serializers.CharField()
    state_display = serializers.CharField(source="get_state_display")
    text = serializers.CharField(help_text=_("已清理的 HTML 正文"))
    change_summary = serializers.CharField()
    discussion_opens_at = serializers.DateTimeField(allow_null=True)
    discussion_closes_at = serializers.DateTimeField(allow_null=True)
    signing_method = serializers.CharField()
    signing_method_display = serializers.CharField(source="get_signing_method_display")
    threshold = serializers.CharField(source="threshold_label")
    signing_opens_at = serializers.DateTimeField(allow_null=True)
    signing_closes_at = serializers.DateTimeField(allow_null=True)
    eligible_households = serializers.IntegerField(allow_null=True)
    yes_count = serializers.IntegerField(allow_null=True)
    no_count = serializers.IntegerField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    effective_on = serializers.DateField(allow_null=True)
    ended_at = serializers.DateTimeField(allow_null=True)
    cancel_reason = serializers.CharField()


class CovenantEventOut(EventOut):
    version_number = serializers.IntegerField(allow_null=True)


class CovenantListOut(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    audience = serializers.CharField()
    audience_display = serializers.CharField(source="get_audience_display")
    target = serializers.CharField()
    community = RefOut()
    origin = serializers.CharField()
    origin_display = serializers.CharField(source="get_origin_display")
    status = serializers.CharField(help_text=_("规约状态：有版本生效时为 in_force"))
    status_display = serializers.CharField(source="get_status_display")
    stage = serializers.CharField(help_text=_("最新版本的状态（修订稿讨论、签署中也在此）"))
    stage_display = serializers.CharField()
    version_number = serializers.IntegerField()
    discussion_closes_at = serializers.DateTimeField(allow_null=True)
    signing_closes_at = serializers.DateTimeField(allow_null=True)
    signing_method = serializers.CharField()
    effective_on = serializers.DateField(allow_null=True, help_text=_("生效版本的生效日期"))
    yes_so_far = serializers.IntegerField(help_text=_("最新版本已签署/赞成户数"))
    no_so_far = serializers.IntegerField()
    comment_count = serializers.IntegerField()
    collects_funds = serializers.BooleanField()
    my_household_signed = serializers.BooleanField(help_text=_("本户已签署或表决最新版本"))
    can_sign = serializers.BooleanField(help_text=_("调用者此刻可为本户签署"))
    sign_refusal = serializers.CharField(help_text=_("不能签署的原因（可签署时为空）"))


class CovenantProgressOut(serializers.Serializer):
    version = serializers.IntegerField()
    method = serializers.CharField()
    eligible = serializers.IntegerField()
    yes = serializers.IntegerField()
    no = serializers.IntegerField()
    turnout = serializers.IntegerField()
    threshold = serializers.CharField()
    threshold_numerator = serializers.IntegerField()
    threshold_denominator = serializers.IntegerField()
    threshold_basis = serializers.CharField()
    needed = serializers.IntegerField(help_text=_("达到门槛所需的同意户数"))
    met = serializers.BooleanField()


class CovenantFundOut(serializers.Serializer):
    pledged = serializers.DecimalField(max_digits=14, decimal_places=2)
    received = serializers.DecimalField(max_digits=14, decimal_places=2)
    households = serializers.IntegerField()


class CovenantDetailOut(CovenantListOut):
    compound = RefOut(allow_null=True)
    building = RefOut(allow_null=True)
    project = RefOut(allow_null=True)
    topic = RefOut(allow_null=True)
    fund_purpose = serializers.CharField()
    repealed_at = serializers.DateTimeField(allow_null=True)
    repeal_reason = serializers.CharField()
    versions = CovenantVersionOut(many=True, source="versions.all")
    events = CovenantEventOut(many=True, source="events.all")
    progress = CovenantProgressOut(allow_null=True)
    fund = CovenantFundOut(allow_null=True, help_text=_("预收资金公开总数（不含各户金额）"))
    actions = serializers.ListField(child=serializers.CharField())


# ---------------------------------------------------------------------------------------------
# Input


def _ref(queryset):
    return ScopedPrimaryKeyField(queryset=queryset, required=False, allow_null=True)


class CovenantIn(serializers.Serializer):
    audience = choice_field(AUDIENCES, default="community")
    community = _ref(Community.objects.select_related("street"))
    compound = _ref(Compound.objects.select_related("community__street"))
    building = _ref(Building.objects.select_related("community__street"))
    title = serializers.CharField(max_length=100)
    text = serializers.CharField(help_text=_("规约正文（HTML，保留简单格式）"))
    origin = choice_field(Origin.choices, default=Origin.WORKER)
    project = _ref(Project.objects.all())
    topic = _ref(Topic.objects.all())
    collects_funds = serializers.BooleanField(default=False)
    fund_purpose = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )


class CovenantDraftIn(serializers.Serializer):
    title = serializers.CharField(max_length=100, required=False)
    text = serializers.CharField(required=False)
    change_summary = serializers.CharField(max_length=300, required=False, allow_blank=True)
    collects_funds = serializers.BooleanField(required=False)
    fund_purpose = serializers.CharField(max_length=200, required=False, allow_blank=True)


class CovenantDiscussionIn(serializers.Serializer):
    closes_at = serializers.DateTimeField(help_text=_("讨论截止时间"))


class CovenantSigningIn(serializers.Serializer):
    closes_at = serializers.DateTimeField(help_text=_("签署截止时间"))
    method = choice_field(SigningMethod.choices, default=SigningMethod.SIGN_ON)
    threshold_basis = choice_field(ThresholdBasis.choices, default=ThresholdBasis.ELIGIBLE)
    threshold_numerator = serializers.IntegerField(min_value=1, max_value=100, default=2)
    threshold_denominator = serializers.IntegerField(min_value=1, max_value=100, default=3)


class CovenantDecideIn(serializers.Serializer):
    effective_on = serializers.DateField(required=False, allow_null=True, default=None)


class CovenantAmendIn(serializers.Serializer):
    text = serializers.CharField()
    change_summary = serializers.CharField(max_length=300)


# ---------------------------------------------------------------------------------------------
# Per-row presentation (no queries: counts annotated, scope and home cached on the user)


def prepare(user, covenant, now=None):
    now = now or timezone.now()
    covenant.target = target_label(covenant)
    version = covenant.current_version
    covenant.stage = version.state
    covenant.stage_display = version.get_state_display()
    covenant.version_number = version.number
    covenant.discussion_closes_at = version.discussion_closes_at
    covenant.signing_closes_at = version.signing_closes_at
    covenant.signing_method = version.signing_method
    in_force = covenant.in_force_version
    covenant.effective_on = in_force.effective_on if in_force is not None else None
    covenant.sign_refusal = services.sign_refusal(user, covenant, now=now, version=version)
    if not covenant.sign_refusal and covenant.my_household_signed:
        covenant.sign_refusal = str(_("您家已签署或表决过。"))
    covenant.can_sign = not covenant.sign_refusal
    return covenant


def covenant_actions(user, covenant) -> list[str]:
    version = covenant.current_version
    actions = []
    if user.has_perm("covenants.move_covenant", covenant):
        state = version.state
        if state == VersionState.DRAFT:
            actions += ["update", "open_discussion", "cancel"]
        elif state == VersionState.DISCUSSION:
            actions += ["open_signing", "cancel"]
        elif state == VersionState.SIGNING:
            actions += ["decide", "paper_signature"]
        if covenant.status == Covenant.Status.IN_FORCE and state not in (
            VersionState.DRAFT,
            VersionState.DISCUSSION,
            VersionState.SIGNING,
        ):
            actions += ["amend", "repeal"]
        if covenant.collects_funds and covenant.status in (
            Covenant.Status.SIGNING,
            Covenant.Status.IN_FORCE,
        ):
            actions += ["pledge", "receipt"]
    if user.has_perm("covenants.export_covenant", covenant):
        actions += ["export", "view_signatures", "view_fund_households"]
    if version.state == VersionState.DISCUSSION and user.has_perm(
        "covenants.comment_covenant", covenant
    ):
        actions.append("comment")
    if covenant.can_sign:
        actions.append("sign")
    return actions


# ---------------------------------------------------------------------------------------------
# Views


class CovenantApi(BoardApi):
    queryset = Covenant.objects.none()  # for the schema's path parameter

    def get_covenant(self):
        return selectors.covenant_get(actor=self.request.user, pk=self.kwargs["pk"])

    def detail(self, covenant, code=status.HTTP_200_OK):
        user = self.request.user
        covenant = prepare(user, selectors.covenant_get(actor=user, pk=covenant.pk))
        covenant.progress = selectors.signing_progress(covenant)
        covenant.fund = selectors.fund_totals(covenant) if covenant.collects_funds else None
        covenant.actions = covenant_actions(user, covenant)
        return Response(CovenantDetailOut(covenant).data, status=code)


class CovenantListApi(CovenantApi):
    filter_backends = [DjangoFilterBackend]
    filterset_class = CovenantFilter
    serializer_class = CovenantListOut

    def filter_queryset(self, queryset):
        return queryset  # filtered by the selector; the backend is here for the schema

    @extend_schema(
        summary=_("规约列表（居民：本居民区非草稿的规约；工作人员：管辖范围内）"),
        description=_(
            "Covenants: residents see their community's covenants past the draft, staff those "
            "in scope. `my_household_signed`, `can_sign` and `sign_refusal` are the caller's."
        ),
        responses=CovenantListOut(many=True),
    )
    def get(self, request):
        user, now = request.user, timezone.now()
        qs = selectors.covenant_list(actor=user, filters=request.query_params)
        return self.paginated(qs, CovenantListOut, prepare=lambda c: prepare(user, c, now))

    @extend_schema(
        summary=_("起草规约（草稿，含第 1 版正文）"),
        request=CovenantIn,
        responses={201: CovenantDetailOut},
    )
    def post(self, request):
        self.require("covenants.add_covenant")
        data = self.parse(CovenantIn)
        data["text_html"] = data.pop("text")
        covenant = services.covenant_create(actor=request.user, **data)
        return self.detail(covenant, status.HTTP_201_CREATED)


class CovenantDetailApi(CovenantApi):
    @extend_schema(
        summary=_("规约详情：各版本正文、公开记录、签署进度、预收资金总数"),
        responses=CovenantDetailOut,
    )
    def get(self, request, pk):
        return self.detail(self.get_covenant())

    @extend_schema(
        summary=_("修改草稿（标题、正文、修订说明、预收资金）"),
        request=CovenantDraftIn,
        responses=CovenantDetailOut,
    )
    def patch(self, request, pk):
        covenant = self.get_covenant()
        self.require("covenants.change_covenant", covenant)
        services.covenant_update_draft(
            actor=request.user, covenant=covenant, **self.parse(CovenantDraftIn, partial=True)
        )
        return self.detail(covenant)


class CovenantVersionsApi(CovenantApi):
    @extend_schema(
        summary=_("规约的全部版本及正文（新的在前；每一版永久可查）"),
        responses=CovenantVersionOut(many=True),
    )
    def get(self, request, pk):
        covenant = self.get_covenant()
        return Response(CovenantVersionOut(covenant.versions.all(), many=True).data)


class CovenantTimelineApi(CovenantApi):
    @extend_schema(
        summary=_("规约的公开记录（每一步：谁、何时、做了什么、为什么）"),
        responses=CovenantEventOut(many=True),
    )
    def get(self, request, pk):
        covenant = self.get_covenant()
        return Response(CovenantEventOut(covenant.events.all(), many=True).data)


def _step(name, perm, input_class, call, summary, rename=None):
    class View(CovenantApi):
        @extend_schema(summary=summary, request=input_class, responses=CovenantDetailOut)
        def post(self, request, pk):
            covenant = self.get_covenant()
            self.require(perm, covenant)
            data = self.parse(input_class)
            for old, new in (rename or {}).items():
                data[new] = data.pop(old)
            call(actor=request.user, covenant=covenant, **data)
            return self.detail(covenant)

    View.__name__ = View.__qualname__ = name
    return View


MOVE = "covenants.move_covenant"
STEPS = [
    ("discussion", "CovenantDiscussionApi", MOVE, CovenantDiscussionIn,
     services.covenant_open_discussion, _("发起公开讨论（设定讨论截止时间）"), None),
    ("signing", "CovenantSigningApi", MOVE, CovenantSigningIn, services.covenant_open_signing,
     _("开始按户签署或表决（记录方式与门槛）"), None),
    ("decide", "CovenantDecideApi", MOVE, CovenantDecideIn, services.covenant_decide,
     _("结束签署并按门槛判定生效或未通过"), None),
    ("amend", "CovenantAmendApi", "covenants.change_covenant", CovenantAmendIn,
     services.covenant_amend, _("修订已生效的规约（新版本草稿）"), {"text": "text_html"}),
    ("repeal", "CovenantRepealApi", MOVE, ReasonIn, services.covenant_repeal,
     _("废止已生效的规约（须填写原因）"), None),
    ("cancel", "CovenantCancelApi", MOVE, ReasonIn, services.covenant_cancel,
     _("撤销草稿或讨论中的版本（须填写原因）"), None),
]  # fmt: skip

urlpatterns = [
    path("covenants/", CovenantListApi.as_view(), name="covenant-list"),
    path("covenants/<int:pk>/", CovenantDetailApi.as_view(), name="covenant-detail"),
    path("covenants/<int:pk>/versions/", CovenantVersionsApi.as_view(), name="covenant-versions"),
    path("covenants/<int:pk>/timeline/", CovenantTimelineApi.as_view(), name="covenant-timeline"),
] + [
    path(
        f"covenants/<int:pk>/{verb}/",
        _step(name, perm, input_class, call, summary, rename).as_view(),
        name=f"covenant-{verb}",
    )
    for verb, name, perm, input_class, call, summary, rename in STEPS
]

__all__ = ["EmptyIn", "urlpatterns"]
