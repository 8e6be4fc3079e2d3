"""REST API of the rounds: list, the resident's current round, detail, create, the cadre list
of a draft, and the workflow verbs (open, close, cancel, publish the results).

Each view: input serializer → selector within scope (out of scope is a 404) → rules permission
→ one service → output serializer. Details list the actions the caller may take now.
"""

from django.db.models import Exists, OuterRef, Value
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from board.apis._base import BoardApi, EmptyIn, ReasonIn

from .. import selectors, services
from ..models import MIN_PARTICIPANTS, Cadre, Participation, Rating, ReviewRound
from .serializers import CadreIn, CadreRoundIn, CadreRoundListOut, CadreRoundOut

# ---------------------------------------------------------------------------------------------
# Presentation (no queries per row: counts annotated, scope and home cached on the user)


def _with_taken_part(qs, user):
    if user is None or not user.is_authenticated:
        return qs.annotate(has_taken_part=Value(False))
    return qs.annotate(
        has_taken_part=Exists(Participation.objects.filter(round=OuterRef("pk"), user=user))
    )


def _prepare(round_):
    if round_.participant_count is None:
        round_.participant_count = round_.live_participants
    return round_


def round_actions(user, round_, refusal) -> list[str]:
    actions = []
    Status = ReviewRound.Status
    if user.has_perm("cadres.change_reviewround", round_):
        if round_.status == Status.DRAFT:
            actions += ["add_cadre", "remove_cadre", "open"]
        if round_.status == Status.OPEN:
            actions.append("close")
        if ReviewRound.Status.CANCELLED in services.TRANSITIONS[round_.status]:
            actions.append("cancel")
    if round_.status == Status.CLOSED and user.has_perm("cadres.publish_reviewround", round_):
        actions.append("publish_results")
    withheld = selectors.results_withheld(round_) if round_.has_ended else True
    if not withheld:
        if user.has_perm("cadres.view_results_reviewround", round_):
            actions += ["view_results", "export"]
        if user.has_perm("cadres.view_aggregates_reviewround", round_):
            actions.append("view_aggregates")
    if refusal is None:
        actions.append("submit")
    return actions


class RoundApi(BoardApi):
    queryset = ReviewRound.objects.none()  # for the schema's path parameter

    def get_round(self):
        return selectors.round_get(actor=self.request.user, pk=self.kwargs["pk"])

    def detail(self, round_, code=status.HTTP_200_OK):
        user = self.request.user
        round_ = _prepare(
            _with_taken_part(selectors.round_queryset(actor=user), user)
            .prefetch_related("cadres", "events")
            .get(pk=round_.pk)
        )
        return Response(self.detail_data(round_), status=code)

    def detail_data(self, round_):
        user = self.request.user
        refusal = services.take_part_refusal(user, round_, taken_part=round_.has_taken_part)
        round_.can_take_part = refusal is None
        round_.reason_code, round_.reason = refusal if refusal else (None, None)
        round_.choices = [{"value": v, "label": label} for v, label in Rating.choices]
        round_.min_participants = MIN_PARTICIPANTS
        round_.results_note = selectors.results_withheld(round_)
        round_.public_events = [e for e in round_.events.all() if e.is_public]
        round_.actions = round_actions(user, round_, refusal)
        return CadreRoundOut(round_).data


class RoundListApi(RoundApi):
    serializer_class = CadreRoundListOut

    @extend_schema(
        summary=_("两委测评列表（工作人员：管辖范围内；居民：本居民区已开启的）"),
        description="Filters: community (id), year, status.",
        responses=CadreRoundListOut(many=True),
    )
    def get(self, request):
        qs = selectors.round_list(actor=request.user, filters=request.query_params)
        return self.paginated(
            _with_taken_part(qs, request.user), CadreRoundListOut, prepare=_prepare
        )

    @extend_schema(
        summary=_("新建年度两委测评（草稿）"), request=CadreRoundIn, responses={201: CadreRoundOut}
    )
    def post(self, request):
        self.require("cadres.add_reviewround")
        round_ = services.round_create(actor=request.user, **self.parse(CadreRoundIn))
        return self.detail(round_, status.HTTP_201_CREATED)


class CurrentRoundApi(RoundApi):
    @extend_schema(
        summary=_("本居民区当前的两委测评（进行中优先，否则最近一年的）"),
        description="has_taken_part / can_take_part + reason_code, reason. 404 when none.",
        responses=CadreRoundOut,
    )
    def get(self, request):
        return self.detail(selectors.current_round(actor=request.user))


class RoundDetailApi(RoundApi):
    @extend_schema(summary=_("两委测评详情（含干部名单）"), responses=CadreRoundOut)
    def get(self, request, pk):
        return self.detail(self.get_round())


class RoundCadresApi(RoundApi):
    @extend_schema(
        summary=_("添加测评干部（仅草稿）"), request=CadreIn, responses={201: CadreRoundOut}
    )
    def post(self, request, pk):
        round_ = self.get_round()
        self.require("cadres.add_cadre", round_)
        services.cadre_add(actor=request.user, round=round_, **self.parse(CadreIn))
        return self.detail(round_, status.HTTP_201_CREATED)


class RoundCadreApi(RoundApi):
    @extend_schema(summary=_("移除测评干部（仅草稿）"), request=None, responses=CadreRoundOut)
    def delete(self, request, pk, cadre_pk):
        round_ = self.get_round()
        self.require("cadres.delete_cadre", round_)
        cadre = Cadre.objects.filter(round=round_, pk=cadre_pk).first()
        if cadre is None:
            raise selectors.not_found()
        services.cadre_remove(actor=request.user, cadre=cadre)
        return self.detail(round_)


def _step(name, perm, input_class, call, summary):
    class View(RoundApi):
        @extend_schema(summary=summary, request=input_class, responses=CadreRoundOut)
        def post(self, request, pk):
            round_ = self.get_round()
            self.require(perm, round_)
            call(actor=request.user, round=round_, **self.parse(input_class))
            return self.detail(round_)

    View.__name__ = View.__qualname__ = name
    return View


RoundOpenApi = _step(
    "RoundOpenApi",
    "cadres.open_reviewround",
    EmptyIn,
    services.round_open,
    _("开启测评（干部名单随之固定）"),
)
RoundCloseApi = _step(
    "RoundCloseApi", "cadres.close_reviewround", EmptyIn, services.round_close, _("结束测评")
)
RoundCancelApi = _step(
    "RoundCancelApi",
    "cadres.cancel_reviewround",
    ReasonIn,
    services.round_cancel,
    _("取消测评（须填写原因）"),
)
RoundPublishApi = _step(
    "RoundPublishApi",
    "cadres.publish_reviewround",
    EmptyIn,
    services.round_publish_results,
    _("向居民区公布汇总结果（街道管理员）"),
)
