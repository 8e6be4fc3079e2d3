"""REST API of dispute cases: list (scoped; no party names in it), detail (logs the read),
intake, and one verb endpoint per workflow step; the signed agreement's download (logs too).

Each view: input serializer → selector within scope (out of scope is a 404) → rules permission
→ one service → output serializer.
"""

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from accounts.models import User
from board.apis._base import BoardApi, EmptyIn, EventOut, ReasonIn, RefOut, choice_field
from grids.models import Community, MicroGrid, VisitRecord
from proposals.models import Topic
from residents.models import Resident

from .. import selectors, services
from ..models import (
    DisputeAccessLog,
    DisputeCase,
    DisputeMediator,
    DisputeParty,
    DisputeSweep,
    ReceptionDay,
)

C = DisputeCase


def client_ip(request):
    return request.META.get("REMOTE_ADDR") or None


class PeopleScopedField(serializers.PrimaryKeyRelatedField):
    """An id that must name a row in the caller's people scope; others read as non-existent."""

    def get_queryset(self):
        from accounts.scope import Level, actor_scope

        request = self.context.get("request")
        return actor_scope(request.user if request else None).filter(
            super().get_queryset(), Level.PEOPLE
        )


# ---------------------------------------------------------------------------------------------
# Output


class UserRefOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="get_full_name")


class CaseListOut(serializers.Serializer):
    """No party names here: a list is not a case file."""

    id = serializers.IntegerField()
    community = RefOut()
    grid = RefOut(allow_null=True)
    category = serializers.CharField()
    category_display = serializers.CharField(source="get_category_display")
    risk_level = serializers.CharField()
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display")
    source = serializers.CharField()
    owner = UserRefOut(allow_null=True)
    party_count = serializers.IntegerField()
    outcome = serializers.CharField()
    created_at = serializers.DateTimeField()
    outcome_at = serializers.DateTimeField(allow_null=True)
    followup_due_at = serializers.DateTimeField(allow_null=True)


class PartyOut(serializers.Serializer):
    id = serializers.IntegerField()
    resident_id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    org_kind = serializers.CharField()
    note = serializers.CharField()


class MediatorOut(serializers.Serializer):
    id = serializers.IntegerField()
    user_id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    role = serializers.CharField()
    role_display = serializers.CharField(source="get_role_display")


class SessionOut(serializers.Serializer):
    id = serializers.IntegerField()
    held_on = serializers.DateField()
    place = serializers.CharField()
    attendance = serializers.CharField()
    notes = serializers.CharField()


class CaseDetailOut(CaseListOut):
    summary = serializers.CharField()
    sweep_id = serializers.IntegerField(allow_null=True)
    reception_id = serializers.IntegerField(allow_null=True)
    visit_id = serializers.IntegerField(allow_null=True)
    topic_id = serializers.IntegerField(allow_null=True)
    referral_from = serializers.CharField()
    assigned_at = serializers.DateTimeField(allow_null=True)
    outcome_note = serializers.CharField()
    referred_to_kind = serializers.CharField()
    referred_to = serializers.CharField()
    has_agreement_file = serializers.BooleanField()
    followup_at = serializers.DateTimeField(allow_null=True)
    followup_note = serializers.CharField()
    followup_on_time = serializers.BooleanField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    cancelled_at = serializers.DateTimeField(allow_null=True)
    cancel_reason = serializers.CharField()
    parties = PartyOut(many=True, source="parties.all")
    mediators = MediatorOut(many=True, source="mediators.all")
    sessions = SessionOut(many=True, source="sessions.all")
    events = EventOut(many=True, source="events.all")
    actions = serializers.ListField(child=serializers.CharField(), help_text=_("当前可进行的操作"))


# ---------------------------------------------------------------------------------------------
# Input


class CaseFilterIn(serializers.Serializer):
    status = choice_field(C.Status.choices, required=False)
    category = choice_field(C.Category.choices, required=False)
    risk_level = choice_field(C.Risk.choices, required=False)
    community = serializers.IntegerField(required=False)
    followup_first = serializers.BooleanField(
        required=False, default=False, help_text=_("待回访的排在最前（期限近的在前）")
    )


class CaseOpenIn(serializers.Serializer):
    community = PeopleScopedField(queryset=Community.objects.all())
    grid = serializers.PrimaryKeyRelatedField(
        queryset=MicroGrid.objects.all(), required=False, allow_null=True
    )
    category = choice_field(C.Category.choices)
    summary = serializers.CharField(max_length=2000)
    risk_level = choice_field(C.Risk.choices, required=False, default=C.Risk.LOW)
    source = choice_field(C.Source.choices)
    sweep = PeopleScopedField(queryset=DisputeSweep.objects.all(), required=False, allow_null=True)
    reception = PeopleScopedField(
        queryset=ReceptionDay.objects.all(), required=False, allow_null=True
    )
    visit = serializers.PrimaryKeyRelatedField(
        queryset=VisitRecord.objects.select_related("grid"), required=False, allow_null=True
    )
    topic = serializers.PrimaryKeyRelatedField(
        queryset=Topic.objects.all(), required=False, allow_null=True
    )
    referral_from = serializers.CharField(max_length=100, required=False, allow_blank=True)


class AssignIn(serializers.Serializer):
    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))


class PartyIn(serializers.Serializer):
    resident = PeopleScopedField(queryset=Resident.objects.all(), required=False, allow_null=True)
    org_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    org_kind = choice_field(DisputeParty.OrgKind.choices, required=False, allow_blank=True)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class MediatorIn(serializers.Serializer):
    user = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True
    )
    name = serializers.CharField(max_length=32, required=False, allow_blank=True)
    role = choice_field(DisputeMediator.Role.choices)


class SessionIn(serializers.Serializer):
    held_on = serializers.DateField()
    place = serializers.CharField(max_length=100)
    attendance = serializers.CharField(max_length=300)
    notes = serializers.CharField(max_length=5000)


class OutcomeIn(serializers.Serializer):
    outcome = choice_field(C.Outcome.choices)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    agreement_file = serializers.FileField(required=False, allow_null=True)
    referred_to_kind = choice_field(C.ReferredTo.choices, required=False, allow_blank=True)
    referred_to = serializers.CharField(max_length=100, required=False, allow_blank=True)


class FollowUpIn(serializers.Serializer):
    note = serializers.CharField(max_length=2000)


# ---------------------------------------------------------------------------------------------
# Views

ACTION_PERMS = {
    "assign": "disputes.assign_disputecase",
    "add_party": "disputes.work_disputecase",
    "add_mediator": "disputes.work_disputecase",
    "record_session": "disputes.work_disputecase",
    "record_outcome": "disputes.work_disputecase",
    "record_followup": "disputes.work_disputecase",
    "close": "disputes.close_disputecase",
    "cancel": "disputes.cancel_disputecase",
}
ACTION_STATES = {
    "add_party": services.cases.OPEN_STATES,
    "add_mediator": services.cases.OPEN_STATES,
    "record_session": {C.Status.MEDIATING},
}


def actions_for(user, case):
    allowed = []
    for action, perm in ACTION_PERMS.items():
        states = ACTION_STATES.get(action) or services.MOVES[action][0]
        if case.status in states and user.has_perm(perm, case):
            allowed.append(action)
    return allowed


class CaseApi(BoardApi):
    # Signed in is enough here: a mediator with an account may hold no staff role. Which cases
    # exist for the caller is the selector's (others are a 404); each step checks its rule.
    permission_required = None
    queryset = DisputeCase.objects.none()  # for the schema; rows come from the selectors

    def get_subject(self):
        try:
            return selectors.case_get(actor=self.request.user, pk=self.kwargs["pk"])
        except DisputeCase.DoesNotExist as exc:
            raise Http404 from exc

    def detail(self, case, *, code=status.HTTP_200_OK):
        case = selectors.case_get(actor=self.request.user, pk=case.pk)
        case.actions = actions_for(self.request.user, case)
        case.party_count = len(case.parties.all())
        case.has_agreement_file = bool(case.agreement_file)
        return Response(CaseDetailOut(case).data, status=code)


class CaseListApi(CaseApi):
    @extend_schema(
        summary="矛盾纠纷案件列表 / Dispute cases",
        description="本人可查阅的案件（包案、调解或辖区内）；列表不含当事人姓名。",
        parameters=[CaseFilterIn],
        responses=CaseListOut(many=True),
    )
    def get(self, request):
        data = CaseFilterIn(data=request.query_params)
        data.is_valid(raise_exception=True)
        return self.paginated(
            selectors.case_list(actor=request.user, filters=data.validated_data), CaseListOut
        )

    @extend_schema(
        summary="登记矛盾纠纷 / Open a dispute case",
        request=CaseOpenIn,
        responses={201: CaseDetailOut},
    )
    def post(self, request):
        data = self.parse(CaseOpenIn)
        self.require("disputes.add_disputecase", data["community"])
        case = services.case_open(actor=request.user, **data)
        return self.detail(case, code=status.HTTP_201_CREATED)


class CaseDetailApi(CaseApi):
    @extend_schema(
        summary="案件详情（记录查阅）/ Case file (the read is logged)",
        responses=CaseDetailOut,
    )
    def get(self, request, pk):
        case = self.get_subject()
        self.require("disputes.view_case_file", case)
        services.access_log_write(
            actor=request.user,
            case=case,
            action=DisputeAccessLog.Action.VIEW,
            channel=DisputeAccessLog.Channel.API,
            ip=client_ip(request),
        )
        return self.detail(case)


def step(name, *, perm, input_class, call, summary, parsers=None):
    class View(CaseApi):
        if parsers:
            parser_classes = parsers

        @extend_schema(summary=summary, request=input_class, responses=CaseDetailOut)
        def post(self, request, pk):
            case = self.get_subject()
            self.require(perm, case)
            call(actor=request.user, case=case, **self.parse(input_class))
            return self.detail(case)

    View.__name__ = View.__qualname__ = name
    return View


CaseAssignApi = step(
    "CaseAssignApi",
    perm="disputes.assign_disputecase",
    input_class=AssignIn,
    call=services.case_assign,
    summary="指定包案人 / Assign the case owner",
)
CasePartyApi = step(
    "CasePartyApi",
    perm="disputes.work_disputecase",
    input_class=PartyIn,
    call=services.case_add_party,
    summary="添加当事人 / Add a party",
)
CaseMediatorApi = step(
    "CaseMediatorApi",
    perm="disputes.work_disputecase",
    input_class=MediatorIn,
    call=services.case_add_mediator,
    summary="添加调解人员 / Add a mediator",
)
CaseSessionApi = step(
    "CaseSessionApi",
    perm="disputes.work_disputecase",
    input_class=SessionIn,
    call=services.case_record_session,
    summary="登记调解记录 / Record a mediation session",
)
CaseOutcomeApi = step(
    "CaseOutcomeApi",
    perm="disputes.work_disputecase",
    input_class=OutcomeIn,
    call=services.case_record_outcome,
    summary="登记调解结果（协议书上传用 multipart）/ Record the outcome",
    parsers=[MultiPartParser, FormParser, JSONParser],
)
CaseFollowUpApi = step(
    "CaseFollowUpApi",
    perm="disputes.work_disputecase",
    input_class=FollowUpIn,
    call=services.case_record_followup,
    summary="登记回访 / Record the follow-up visit",
)
CaseCloseApi = step(
    "CaseCloseApi",
    perm="disputes.close_disputecase",
    input_class=EmptyIn,
    call=services.case_close,
    summary="结案 / Close",
)
CaseCancelApi = step(
    "CaseCancelApi",
    perm="disputes.cancel_disputecase",
    input_class=ReasonIn,
    call=services.case_cancel,
    summary="撤销（仅待受理）/ Cancel (intake only)",
)


def agreement_response(case):
    """The signed agreement: in DEBUG Django streams it; in production nginx does, from an
    `internal` location that only this header can reach (deploy/nginx.conf)."""
    name = case.agreement_file.name
    filename = name.rsplit("/", 1)[-1]
    if settings.DEBUG:
        return FileResponse(case.agreement_file.open("rb"), as_attachment=True, filename=filename)
    response = HttpResponse()
    response["X-Accel-Redirect"] = f"/protected/{name}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Content-Type"] = ""
    return response


class CaseAgreementApi(CaseApi):
    @extend_schema(
        summary="下载调解协议书（记录查阅）/ Download the signed agreement (logged)",
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
        parameters=[OpenApiParameter("pk", int, OpenApiParameter.PATH)],
    )
    def get(self, request, pk):
        case = self.get_subject()
        self.require("disputes.view_case_file", case)
        if not case.agreement_file:
            raise Http404
        services.access_log_write(
            actor=request.user,
            case=case,
            action=DisputeAccessLog.Action.DOWNLOAD,
            channel=DisputeAccessLog.Channel.API,
            ip=client_ip(request),
        )
        return agreement_response(case)


urlpatterns = [
    path("disputes/cases/", CaseListApi.as_view(), name="dispute-case-list"),
    path("disputes/cases/<int:pk>/", CaseDetailApi.as_view(), name="dispute-case-detail"),
    path("disputes/cases/<int:pk>/assign/", CaseAssignApi.as_view(), name="dispute-case-assign"),
    path("disputes/cases/<int:pk>/parties/", CasePartyApi.as_view(), name="dispute-case-parties"),
    path(
        "disputes/cases/<int:pk>/mediators/",
        CaseMediatorApi.as_view(),
        name="dispute-case-mediators",
    ),
    path(
        "disputes/cases/<int:pk>/sessions/", CaseSessionApi.as_view(), name="dispute-case-sessions"
    ),
    path("disputes/cases/<int:pk>/outcome/", CaseOutcomeApi.as_view(), name="dispute-case-outcome"),
    path(
        "disputes/cases/<int:pk>/follow-up/",
        CaseFollowUpApi.as_view(),
        name="dispute-case-follow-up",
    ),
    path("disputes/cases/<int:pk>/close/", CaseCloseApi.as_view(), name="dispute-case-close"),
    path("disputes/cases/<int:pk>/cancel/", CaseCancelApi.as_view(), name="dispute-case-cancel"),
    path(
        "disputes/cases/<int:pk>/agreement/",
        CaseAgreementApi.as_view(),
        name="dispute-case-agreement",
    ),
]
