"""REST API of owners' committee elections: browse (residents: their community's, past the
draft; staff: within scope), the worker's moves (draft, candidates, publish the list, open
voting, count, cancel with a reason, paper ballots, Excel export) and the household's ballot.

Each view: input serializer → selector within scope (out of scope is a 404) → rules permission
→ one service → output serializer. Details list the actions the caller may take now.
"""

from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from accounts.scope import Level
from board.apis._base import (
    BoardApi,
    EmptyIn,
    EventOut,
    ReasonIn,
    RefOut,
    ScopedPrimaryKeyField,
    xlsx_response,
)
from residents.models import Resident

from .. import exports, selectors, services
from ..models import TIE_RULE, Election, PropertyArea
from ..services.elections import TRANSITIONS

# ---------------------------------------------------------------------------------------------
# Output


class ElectionCandidateOut(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField(help_text=_("公示名单顺序（也决定同票时的先后）"))
    name = serializers.CharField(source="resident.name")
    statement = serializers.CharField()
    votes = serializers.IntegerField(allow_null=True, help_text=_("得票数；计票后公开"))
    elected = serializers.BooleanField(help_text=_("当选；计票后公开"))


class ElectionTurnoutOut(serializers.Serializer):
    eligible_households = serializers.IntegerField(help_text=_("有投票权户数（计票时固定）"))
    ballots = serializers.IntegerField(help_text=_("已投票户数"))
    rate = serializers.FloatField(allow_null=True, help_text=_("投票率（%）"))


class ElectionListOut(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    area = RefOut()
    community = RefOut(source="area.community")
    status = serializers.CharField(
        help_text=_("draft/candidates_published/voting/counted/cancelled")
    )
    status_display = serializers.CharField(source="get_status_display")
    term_number = serializers.IntegerField()
    seats = serializers.IntegerField(help_text=_("应选人数，也是每张选票最多可选人数"))
    term_starts_on = serializers.DateField()
    term_ends_on = serializers.DateField()
    closes_at = serializers.DateTimeField()
    turnout = ElectionTurnoutOut()
    my_household_voted = serializers.BooleanField(help_text=_("本户已投票（任一家庭成员）"))
    can_vote = serializers.BooleanField(help_text=_("调用者此刻可以代表本户投票"))
    cannot_vote_reason = serializers.CharField(help_text=_("不能投票的原因（可以投票时为空）"))


class ElectionDetailOut(ElectionListOut):
    description = serializers.CharField()
    candidates = ElectionCandidateOut(many=True, source="candidates.all")
    counted = serializers.BooleanField(help_text=_("已计票：得票与当选结果公开"))
    tie_rule = serializers.CharField()
    candidates_published_at = serializers.DateTimeField(allow_null=True)
    voting_opened_at = serializers.DateTimeField(allow_null=True)
    counted_at = serializers.DateTimeField(allow_null=True)
    cancelled_at = serializers.DateTimeField(allow_null=True)
    cancel_reason = serializers.CharField()
    committee = serializers.IntegerField(
        source="committee_id", allow_null=True, help_text=_("计票后组成的业委会")
    )
    events = EventOut(many=True, source="public_events")
    actions = serializers.ListField(child=serializers.CharField())


class ElectionBallotOut(serializers.Serializer):
    id = serializers.IntegerField()
    election = serializers.IntegerField(source="election_id")
    channel = serializers.CharField()
    cast_at = serializers.DateTimeField()
    candidates = serializers.ListField(child=serializers.IntegerField(), source="candidate_ids")


# ---------------------------------------------------------------------------------------------
# Input


class ElectionIn(serializers.Serializer):
    area = ScopedPrimaryKeyField(
        queryset=PropertyArea.objects.select_related("community"), level=Level.PEOPLE
    )
    title = serializers.CharField(max_length=100)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    seats = serializers.IntegerField(min_value=1, max_value=services.elections.MAX_SEATS)
    closes_at = serializers.DateTimeField()
    term_starts_on = serializers.DateField()
    term_ends_on = serializers.DateField()


class ElectionCandidateIn(serializers.Serializer):
    resident = ScopedPrimaryKeyField(queryset=Resident.objects.all(), level=Level.PEOPLE)
    statement = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class ElectionOpenVotingIn(serializers.Serializer):
    closes_at = serializers.DateTimeField(required=False, help_text=_("留空则用原定截止时间"))


class ElectionVoteIn(serializers.Serializer):
    candidates = serializers.ListField(
        child=serializers.IntegerField(), min_length=1, help_text=_("所选候选人编号，最多应选人数")
    )


class ElectionPaperBallotIn(ElectionVoteIn):
    resident = ScopedPrimaryKeyField(queryset=Resident.objects.all(), level=Level.PEOPLE)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)


# ---------------------------------------------------------------------------------------------
# Per-row presentation (no queries: counts annotated; home and voter areas cached on the user)


def prepare(user, election, now=None):
    now = now or timezone.now()
    election.turnout = selectors.election_results(election)
    reason = services.voting_refusal(
        user, election, household_voted=election.my_household_voted, now=now
    )
    election.can_vote = not reason and user.has_perm("property_governance.vote_election", election)
    election.cannot_vote_reason = reason
    return election


def election_actions(user, election) -> list[str]:
    actions = []
    st = election.status
    if user.has_perm("property_governance.manage_election", election):
        if st == Election.Status.DRAFT:
            actions += ["add_candidate", "publish_candidates"]
        if st == Election.Status.CANDIDATES_PUBLISHED:
            actions.append("open_voting")
        if st == Election.Status.VOTING:
            if timezone.now() >= election.closes_at:
                actions.append("count")
            else:
                actions.append("paper_ballot")
        if Election.Status.CANCELLED in TRANSITIONS[st]:
            actions.append("cancel")
    if user.has_perm("property_governance.export_election", election):
        actions.append("export")
    if election.can_vote:
        actions.append("vote")
    return actions


# ---------------------------------------------------------------------------------------------
# Views


class ElectionApi(BoardApi):
    queryset = Election.objects.none()  # for the schema's path parameter

    def get_election(self):
        return selectors.election_get(actor=self.request.user, pk=self.kwargs["pk"])

    def detail(self, election, code=status.HTTP_200_OK):
        user = self.request.user
        election = prepare(user, selectors.election_get(actor=user, pk=election.pk))
        election.counted = election.status == Election.Status.COUNTED
        if not election.counted:
            for candidate in election.candidates.all():
                candidate.votes, candidate.elected = None, False
        election.tie_rule = str(TIE_RULE)
        election.public_events = [e for e in election.events.all() if e.is_public]
        election.actions = election_actions(user, election)
        return Response(ElectionDetailOut(election).data, status=code)


STATUS_PARAM = OpenApiParameter(
    "status", str, description="draft/candidates_published/voting/counted/cancelled"
)
AREA_PARAM = OpenApiParameter("area", int, description=_("物业管理区域编号"))


class ElectionListApi(ElectionApi):
    serializer_class = ElectionListOut

    @extend_schema(
        summary=_("业委会选举列表（居民：本居民区已公示的；工作人员：管辖范围内）"),
        parameters=[STATUS_PARAM, AREA_PARAM],
        responses=ElectionListOut(many=True),
    )
    def get(self, request):
        user, now = request.user, timezone.now()
        qs = selectors.election_list(actor=user, filters=request.query_params)
        return self.paginated(qs, ElectionListOut, prepare=lambda e: prepare(user, e, now))

    @extend_schema(
        summary=_("发起业委会选举（草稿）"), request=ElectionIn, responses={201: ElectionDetailOut}
    )
    def post(self, request):
        self.require("property_governance.add_election")
        data = self.parse(ElectionIn)
        election = services.election_create(actor=request.user, **data)
        return self.detail(election, status.HTTP_201_CREATED)


class ElectionDetailApi(ElectionApi):
    @extend_schema(
        summary=_("选举详情：候选人、投票率、本户是否已投、计票后的结果与公开记录"),
        responses=ElectionDetailOut,
    )
    def get(self, request, pk):
        return self.detail(self.get_election())


def _step(name, perm, input_class, call, summary):
    class View(ElectionApi):
        @extend_schema(summary=summary, request=input_class, responses=ElectionDetailOut)
        def post(self, request, pk):
            election = self.get_election()
            self.require(perm, election)
            call(actor=request.user, election=election, **self.parse(input_class))
            return self.detail(election)

    View.__name__ = View.__qualname__ = name
    return View


ElectionCandidateApi = _step(
    "ElectionCandidateApi",
    "property_governance.change_election",
    ElectionCandidateIn,
    services.election_candidate_add,
    _("登记候选人（筹备中）"),
)
ElectionPublishCandidatesApi = _step(
    "ElectionPublishCandidatesApi",
    "property_governance.manage_election",
    EmptyIn,
    services.election_publish_candidates,
    _("公示候选人名单"),
)
ElectionOpenVotingApi = _step(
    "ElectionOpenVotingApi",
    "property_governance.manage_election",
    ElectionOpenVotingIn,
    services.election_open_voting,
    _("开始投票"),
)
ElectionCountApi = _step(
    "ElectionCountApi",
    "property_governance.manage_election",
    EmptyIn,
    services.election_count,
    _("计票（投票截止后）：公布结果并组成新一届业委会"),
)
ElectionCancelApi = _step(
    "ElectionCancelApi",
    "property_governance.manage_election",
    ReasonIn,
    services.election_cancel,
    _("取消选举（须填写原因）"),
)


def _ballot_out(ballot):
    ballot.candidate_ids = list(ballot.choices.values_list("candidate_id", flat=True))
    return ElectionBallotOut(ballot).data


class ElectionVoteApi(ElectionApi):
    @extend_schema(
        summary=_("代表本户投票（每户一票，可选不超过应选人数的候选人）"),
        request=ElectionVoteIn,
        responses={201: ElectionBallotOut},
    )
    def post(self, request, pk):
        election = self.get_election()
        data = self.parse(ElectionVoteIn)
        ballot = services.election_vote(
            actor=request.user, election=election, candidates=data["candidates"]
        )
        return Response(_ballot_out(ballot), status=status.HTTP_201_CREATED)


class ElectionPaperBallotApi(ElectionApi):
    @extend_schema(
        summary=_("录入纸质选票（工作人员为线下居民录入，记录录入人）"),
        request=ElectionPaperBallotIn,
        responses={201: ElectionBallotOut},
    )
    def post(self, request, pk):
        election = self.get_election()
        self.require("property_governance.enter_paper_ballot", election)
        data = self.parse(ElectionPaperBallotIn)
        ballot = services.election_paper_ballot(actor=request.user, election=election, **data)
        return Response(_ballot_out(ballot), status=status.HTTP_201_CREATED)


class ElectionExportApi(ElectionApi):
    @extend_schema(
        summary=_("导出投票率与结果（Excel）"),
        responses={(200, exports.XLSX_CONTENT_TYPE): bytes},
    )
    def get(self, request, pk):
        election = self.get_election()
        self.require("property_governance.export_election", election)
        ballots = None
        if request.user.has_perm("property_governance.view_ballot", election):
            ballots = selectors.ballot_list(actor=request.user, election=election)
        content = exports.election_xlsx(election, ballots=ballots)
        return xlsx_response(content, f"election-{election.pk}.xlsx")


urlpatterns = [
    path("property/elections/", ElectionListApi.as_view(), name="election-list"),
    path("property/elections/<int:pk>/", ElectionDetailApi.as_view(), name="election-detail"),
    path(
        "property/elections/<int:pk>/candidates/",
        ElectionCandidateApi.as_view(),
        name="election-candidates",
    ),
    path(
        "property/elections/<int:pk>/publish-candidates/",
        ElectionPublishCandidatesApi.as_view(),
        name="election-publish-candidates",
    ),
    path(
        "property/elections/<int:pk>/open-voting/",
        ElectionOpenVotingApi.as_view(),
        name="election-open-voting",
    ),
    path("property/elections/<int:pk>/count/", ElectionCountApi.as_view(), name="election-count"),
    path(
        "property/elections/<int:pk>/cancel/", ElectionCancelApi.as_view(), name="election-cancel"
    ),
    path("property/elections/<int:pk>/vote/", ElectionVoteApi.as_view(), name="election-vote"),
    path(
        "property/elections/<int:pk>/paper-ballots/",
        ElectionPaperBallotApi.as_view(),
        name="election-paper-ballot",
    ),
    path(
        "property/elections/<int:pk>/export/", ElectionExportApi.as_view(), name="election-export"
    ),
]
