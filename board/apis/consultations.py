"""REST API of consultations 意见征询 and polls: browse, draft with questions, publish, cancel.
Answering, results and exports: board.apis.answers.

Each view: input serializer → selector within scope (out of scope is a 404) → rules permission
→ one service → output serializer. Details list the actions the caller may take now.
"""

from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from accounts.scope import actor_scope
from grids.models import Building, Community, Compound

from .. import selectors, services
from ..filters import ConsultationFilter
from ..models import Audience, Consultation, Question
from ..models.common import target_label
from ..scope import home_in_target, resident_home
from ..services.consultations import MAX_TEXT_LIMIT, TRANSITIONS
from ._base import (
    BoardApi,
    EmptyIn,
    EventOut,
    ReasonIn,
    RefOut,
    ScopedPrimaryKeyField,
    choice_field,
    step_view,
)

CONSULTATION_AUDIENCES = [c for c in Audience.choices if c[0] != Audience.STREET]

# ---------------------------------------------------------------------------------------------
# Output


class OptionOut(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    text = serializers.CharField()


class QuestionOut(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    kind = serializers.CharField()
    kind_display = serializers.CharField(source="get_kind_display")
    text = serializers.CharField()
    required = serializers.BooleanField()
    max_choices = serializers.IntegerField(allow_null=True)
    max_length = serializers.IntegerField(source="text_limit", allow_null=True)
    options = OptionOut(many=True, source="options.all")


class ConsultationListOut(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.CharField()
    kind_display = serializers.CharField(source="get_kind_display")
    audience = serializers.CharField()
    audience_display = serializers.CharField(source="get_audience_display")
    target = serializers.CharField()
    community = RefOut()
    compound = RefOut(allow_null=True)
    building = RefOut(allow_null=True)
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    one_per = serializers.CharField()
    one_per_display = serializers.CharField(source="get_one_per_display")
    results_visibility = serializers.CharField()
    results_visibility_display = serializers.CharField(source="get_results_visibility_display")
    status = serializers.CharField()
    phase = serializers.CharField(help_text=_("draft/upcoming/open/closed/cancelled"))
    phase_display = serializers.CharField()
    response_count = serializers.IntegerField(
        allow_null=True, help_text=_("已参与数；居民在结果可公开时可见")
    )
    my_response = serializers.BooleanField(help_text=_("本人（按户时为本户）已提交"))
    eligible = serializers.BooleanField(help_text=_("本人在参与范围内"))
    results_available = serializers.BooleanField(help_text=_("调用者此刻可查看结果"))


class RespondBlockOut(serializers.Serializer):
    code = serializers.CharField(
        help_text=_(
            "draft/upcoming/closed/cancelled/unverified/no_home/other_unit/no_household/not_allowed"
        )
    )
    message = serializers.CharField()


class ConsultationDetailOut(ConsultationListOut):
    respond_block = RespondBlockOut(
        allow_null=True,
        help_text=_("调用者此刻不能作答的原因（已提交或可以作答时为空）"),
    )
    description = serializers.CharField()
    questions = QuestionOut(many=True, source="questions.all")
    published_at = serializers.DateTimeField(allow_null=True)
    cancelled_at = serializers.DateTimeField(allow_null=True)
    cancel_reason = serializers.CharField()
    events = EventOut(many=True, source="events.all")
    actions = serializers.ListField(child=serializers.CharField())


# ---------------------------------------------------------------------------------------------
# Input


class QuestionIn(serializers.Serializer):
    kind = choice_field(Question.Kind.choices)
    text = serializers.CharField(max_length=300)
    required = serializers.BooleanField(default=True)
    max_choices = serializers.IntegerField(
        min_value=1, required=False, allow_null=True, default=None, help_text=_("多选题最多选几项")
    )
    max_length = serializers.IntegerField(
        min_value=1,
        max_value=MAX_TEXT_LIMIT,
        required=False,
        allow_null=True,
        default=None,
        help_text=_("填写意见题的字数上限"),
    )
    options = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, default=list
    )


def _unit(queryset):
    return ScopedPrimaryKeyField(queryset=queryset, required=False, allow_null=True)


COMMUNITIES = Community.objects.select_related("street")
COMPOUNDS = Compound.objects.select_related("community__street")
BUILDINGS = Building.objects.select_related("community__street")


class ConsultationIn(serializers.Serializer):
    audience = choice_field(CONSULTATION_AUDIENCES, default=Audience.COMMUNITY)
    community = _unit(COMMUNITIES)
    compound = _unit(COMPOUNDS)
    building = _unit(BUILDINGS)
    kind = choice_field(Consultation.Kind.choices, default=Consultation.Kind.CONSULTATION)
    title = serializers.CharField(max_length=100)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    one_per = choice_field(Consultation.OnePer.choices, default=Consultation.OnePer.RESIDENT)
    results_visibility = choice_field(
        Consultation.ResultsVisibility.choices,
        default=Consultation.ResultsVisibility.AFTER_CLOSE,
    )
    questions = QuestionIn(many=True, required=False, default=list)


class ConsultationUpdateIn(serializers.Serializer):
    audience = choice_field(CONSULTATION_AUDIENCES, required=False)
    community = _unit(COMMUNITIES)
    compound = _unit(COMPOUNDS)
    building = _unit(BUILDINGS)
    kind = choice_field(Consultation.Kind.choices, required=False)
    title = serializers.CharField(max_length=100, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    opens_at = serializers.DateTimeField(required=False)
    closes_at = serializers.DateTimeField(required=False)
    one_per = choice_field(Consultation.OnePer.choices, required=False)
    results_visibility = choice_field(Consultation.ResultsVisibility.choices, required=False)
    questions = QuestionIn(many=True, required=False)


# ---------------------------------------------------------------------------------------------
# Per-row presentation (no queries: counts are annotated, scope and home cached on the user)


def prepare(user, consultation, now=None):
    now = now or timezone.now()
    consultation.target = target_label(consultation)
    phase = consultation.phase(now)
    consultation.phase_display = phase.label
    staff = user.has_perm("board.view_consultation", consultation)
    consultation.results_available = staff or (
        consultation.results_public(now)
        and consultation.community_id in _resident_communities(user)
    )
    if not consultation.results_available:
        consultation.response_count = None
    consultation.eligible = home_in_target(resident_home(user), consultation)
    return consultation


def _resident_communities(user):
    return actor_scope(user).resident_community_ids


def consultation_actions(user, consultation) -> list[str]:
    actions = []
    phase = consultation.phase()
    if user.has_perm("board.change_consultation", consultation):
        if consultation.status == Consultation.Status.DRAFT:
            actions += ["update", "publish"]
        if Consultation.Status.CANCELLED in TRANSITIONS[consultation.status] and phase != (
            Consultation.Phase.CLOSED
        ):
            actions.append("cancel")
        if phase == Consultation.Phase.OPEN:
            actions.append("paper_response")
    if user.has_perm("board.view_responses_consultation", consultation):
        actions.append("view_responses")
    if user.has_perm("board.export_consultation", consultation):
        actions += ["export", "view_opinions"]
    if consultation.results_available:
        actions.append("view_results")
    if (
        phase == Consultation.Phase.OPEN
        and consultation.eligible
        and not consultation.my_response
        and user.has_perm("board.respond_consultation", consultation)
    ):
        actions.append("respond")
    if consultation.my_response:
        actions.append("view_my_response")
    return actions


def respond_block(user, consultation) -> dict | None:
    """Why the caller cannot answer now, in words (the same checks as the answering service,
    in the order a resident would want to hear them); None once answered or when they can."""
    Phase = Consultation.Phase
    if consultation.my_response:
        return None  # their (or their household's) sheet is shown instead
    phase = consultation.phase()
    if phase != Phase.OPEN:
        messages = {
            Phase.DRAFT: _("意见征询尚未发布。"),
            Phase.UPCOMING: _("意见征询尚未开始，请在开始时间之后再来。"),
            Phase.CLOSED: _("意见征询已结束，不能再提交。"),
            Phase.CANCELLED: _("意见征询已取消。"),
        }
        return {"code": str(phase), "message": messages[phase]}
    if not user.is_verified:
        return {"code": "unverified", "message": _("实名核验通过后才能参与意见征询。")}
    home = resident_home(user)
    if home is None:
        return {
            "code": "no_home",
            "message": _("您的账号未关联在住的居民信息，请联系社区工作者。"),
        }
    if not consultation.eligible:
        return {
            "code": "other_unit",
            "message": _("本次征询仅限“%(unit)s”的居民参加，您不在参与范围内。")
            % {"unit": consultation.target},
        }
    if consultation.one_per == Consultation.OnePer.HOUSEHOLD and home.household_id is None:
        return {
            "code": "no_household",
            "message": _("本次征询按户参与，您的住户信息尚未登记，请联系社区工作者。"),
        }
    if not user.has_perm("board.respond_consultation", consultation):
        return {"code": "not_allowed", "message": _("只有本居民区的实名居民可以参与。")}
    return None


# ---------------------------------------------------------------------------------------------
# Views


class ConsultationApi(BoardApi):
    queryset = Consultation.objects.none()  # for the schema's path parameter
    subject = "consultation"
    detail_serializer = ConsultationDetailOut

    def get_consultation(self):
        return selectors.consultation_get(actor=self.request.user, pk=self.kwargs["pk"])

    get_subject = get_consultation

    def detail(self, consultation, code=status.HTTP_200_OK):
        user = self.request.user
        consultation = prepare(user, selectors.consultation_get(actor=user, pk=consultation.pk))
        consultation.actions = consultation_actions(user, consultation)
        consultation.respond_block = respond_block(user, consultation)
        return Response(ConsultationDetailOut(consultation).data, status=code)


class ConsultationListApi(ConsultationApi):
    filter_backends = [DjangoFilterBackend]
    filterset_class = ConsultationFilter
    serializer_class = ConsultationListOut

    def filter_queryset(self, queryset):
        return queryset  # filtered by the selector; the backend is here for the schema

    @extend_schema(
        summary=_("意见征询列表（居民：本居民区已发布的；工作人员：管辖范围内）"),
        responses=ConsultationListOut(many=True),
    )
    def get(self, request):
        user, now = request.user, timezone.now()
        qs = selectors.consultation_list(actor=user, filters=request.query_params)
        return self.paginated(qs, ConsultationListOut, prepare=lambda c: prepare(user, c, now))

    @extend_schema(
        summary=_("发起意见征询或投票（草稿，含问题）"),
        request=ConsultationIn,
        responses={201: ConsultationDetailOut},
    )
    def post(self, request):
        self.require("board.add_consultation")
        data = self.parse(ConsultationIn)
        consultation = services.consultation_create(actor=request.user, **data)
        return self.detail(consultation, status.HTTP_201_CREATED)


class ConsultationDetailApi(ConsultationApi):
    @extend_schema(summary=_("意见征询详情（含问题与选项）"), responses=ConsultationDetailOut)
    def get(self, request, pk):
        return self.detail(self.get_consultation())

    @extend_schema(
        summary=_("修改草稿（给出 questions 时整体替换问题）"),
        request=ConsultationUpdateIn,
        responses=ConsultationDetailOut,
    )
    def patch(self, request, pk):
        consultation = self.get_consultation()
        self.require("board.change_consultation", consultation)
        data = self.parse(ConsultationUpdateIn, partial=True)
        services.consultation_update(actor=request.user, consultation=consultation, **data)
        return self.detail(consultation)


ConsultationPublishApi = step_view(
    ConsultationApi,
    "ConsultationPublishApi",
    perm="board.publish_consultation",
    input_class=EmptyIn,
    call=services.consultation_publish,
    summary=_("发布意见征询"),
)
ConsultationCancelApi = step_view(
    ConsultationApi,
    "ConsultationCancelApi",
    perm="board.cancel_consultation",
    input_class=ReasonIn,
    call=services.consultation_cancel,
    summary=_("取消意见征询（须填写原因）"),
)


urlpatterns = [
    path("consultations/", ConsultationListApi.as_view(), name="consultation-list"),
    path("consultations/<int:pk>/", ConsultationDetailApi.as_view(), name="consultation-detail"),
    path(
        "consultations/<int:pk>/publish/",
        ConsultationPublishApi.as_view(),
        name="consultation-publish",
    ),
    path(
        "consultations/<int:pk>/cancel/",
        ConsultationCancelApi.as_view(),
        name="consultation-cancel",
    ),
]
