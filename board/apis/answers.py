"""REST API of answering consultations: a resident's answers, a worker's paper answers, one's
own answer sheet, results and turnout, the Excel export, who answered and the opinions.

Each view: input serializer → selector within scope (out of scope is a 404) → rules permission
→ one service → output serializer. The consultation itself: board.apis.consultations.
"""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from accounts.scope import Level
from residents.models import Resident

from .. import exports, selectors, services
from ..models import Consultation
from ..scope import resident_home
from ..services.consultations import MAX_TEXT_LIMIT
from ._base import RefOut, ScopedPrimaryKeyField, xlsx_response
from .consultations import ConsultationApi

# ---------------------------------------------------------------------------------------------
# Output


class ResultOptionOut(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    text = serializers.CharField()
    count = serializers.IntegerField()
    share = serializers.FloatField(allow_null=True, help_text=_("占答题人数的百分比"))


class ResultQuestionOut(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    kind = serializers.CharField()
    text = serializers.CharField()
    respondents = serializers.IntegerField()
    text_answers = serializers.IntegerField()
    options = ResultOptionOut(many=True)


class TurnoutOut(serializers.Serializer):
    one_per = serializers.CharField()
    eligible = serializers.IntegerField(help_text=_("参与范围内在住居民数（按户时为户数）"))
    responses = serializers.IntegerField()
    online = serializers.IntegerField()
    paper = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True, help_text=_("参与率（百分比）"))


class ResultsOut(serializers.Serializer):
    consultation = serializers.IntegerField()
    phase = serializers.CharField()
    final = serializers.BooleanField(help_text=_("已结束，结果为最终结果"))
    turnout = TurnoutOut()
    questions = ResultQuestionOut(many=True)


class AnswerOut(serializers.Serializer):
    question = serializers.IntegerField(source="question_id")
    option = serializers.IntegerField(source="option_id", allow_null=True)
    option_text = serializers.CharField(source="option.text", default="")
    text = serializers.CharField()


class MyResponseOut(serializers.Serializer):
    id = serializers.IntegerField()
    channel = serializers.CharField()
    channel_display = serializers.CharField(source="get_channel_display")
    submitted_at = serializers.DateTimeField()
    mine = serializers.BooleanField(help_text=_("否：本户由家庭成员提交，答案不向其他成员显示"))
    submitted_by = serializers.CharField(help_text=_("提交人（本人或本户的家庭成员）姓名"))
    answers = AnswerOut(many=True, source="answers_shown")


class ResponseOut(serializers.Serializer):
    id = serializers.IntegerField()
    resident = RefOut(allow_null=True)
    building = serializers.CharField(source="building_name")
    room = serializers.CharField()
    channel = serializers.CharField()
    channel_display = serializers.CharField(source="get_channel_display")
    entered_by = serializers.CharField(source="entered_by_name", help_text=_("纸质答卷的录入人"))
    paper_note = serializers.CharField()
    submitted_at = serializers.DateTimeField()


class OpinionOut(serializers.Serializer):
    question = serializers.IntegerField(source="question_id")
    question_text = serializers.CharField(source="question.text")
    text = serializers.CharField()


# ---------------------------------------------------------------------------------------------
# Input


class AnswerIn(serializers.Serializer):
    question = serializers.IntegerField()
    options = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list, help_text=_("所选选项编号")
    )
    text = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=MAX_TEXT_LIMIT
    )


class RespondIn(serializers.Serializer):
    answers = AnswerIn(many=True)


class PaperResponseIn(serializers.Serializer):
    resident = ScopedPrimaryKeyField(
        queryset=Resident.objects.all(), level=Level.PEOPLE, help_text=_("居民档案编号")
    )
    answers = AnswerIn(many=True)
    note = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default="", help_text=_("如答卷编号")
    )


# ---------------------------------------------------------------------------------------------
# Views


def _my_response_data(user, response):
    home = resident_home(user)
    response.mine = home is not None and response.resident_id == home.resident_id
    # A household's sheet is the household's; its answers stay with whoever gave them.
    response.answers_shown = list(response.answers.all()) if response.mine else []
    # Only ever the caller or a member of the caller's own household.
    response.submitted_by = response.resident.name if response.resident_id else ""
    return MyResponseOut(response).data


class ConsultationRespondApi(ConsultationApi):
    @extend_schema(
        summary=_("提交答卷（实名居民，每人或每户一次）"),
        request=RespondIn,
        responses={201: MyResponseOut},
    )
    def post(self, request, pk):
        consultation = self.get_consultation()
        data = self.parse(RespondIn)
        services.consultation_respond(
            actor=request.user, consultation=consultation, answers=data["answers"]
        )
        response = selectors.my_response(actor=request.user, consultation=consultation)
        return Response(_my_response_data(request.user, response), status=status.HTTP_201_CREATED)


class ConsultationPaperResponseApi(ConsultationApi):
    @extend_schema(
        summary=_("录入纸质答卷（工作人员代未上网的居民录入，记录录入人）"),
        request=PaperResponseIn,
        responses={201: ResponseOut},
    )
    def post(self, request, pk):
        consultation = self.get_consultation()
        self.require("board.enter_paper_response", consultation)
        data = self.parse(PaperResponseIn)
        response = services.consultation_paper_response(
            actor=request.user, consultation=consultation, **data
        )
        row = selectors.response_list(actor=request.user, consultation=consultation).get(
            pk=response.pk
        )
        return Response(ResponseOut(_response_row(row)).data, status=status.HTTP_201_CREATED)


class ConsultationMyResponseApi(ConsultationApi):
    @extend_schema(
        summary=_("我的答卷（按户时：本户是否已提交）"),
        responses={200: MyResponseOut, 404: OpenApiResponse(description=_("尚未提交"))},
    )
    def get(self, request, pk):
        consultation = self.get_consultation()
        response = selectors.my_response(actor=request.user, consultation=consultation)
        if response is None:
            raise selectors.not_found()
        return Response(_my_response_data(request.user, response))


class ConsultationResultsApi(ConsultationApi):
    @extend_schema(summary=_("结果与参与率（在数据库中统计）"), responses=ResultsOut)
    def get(self, request, pk):
        consultation = self.get_consultation()
        self.require("board.view_results_consultation", consultation)
        results = selectors.consultation_results(consultation)
        phase = consultation.phase()
        return Response(
            ResultsOut(
                {
                    "consultation": consultation.pk,
                    "phase": phase,
                    "final": phase == Consultation.Phase.CLOSED,
                    **results,
                }
            ).data
        )


class ConsultationExportApi(ConsultationApi):
    @extend_schema(
        summary=_("导出结果与参与率（Excel；参与名单仅限可查看居民信息的工作人员）"),
        responses={(200, exports.XLSX_CONTENT_TYPE): OpenApiTypes.BINARY},
    )
    def get(self, request, pk):
        consultation = self.get_consultation()
        self.require("board.export_consultation", consultation)
        respondents = None
        if request.user.has_perm("board.view_responses_consultation", consultation):
            respondents = selectors.response_list(actor=request.user, consultation=consultation)
        content = exports.consultation_xlsx(consultation, respondents=respondents)
        return xlsx_response(content, f"consultation-{consultation.pk}.xlsx")


def _response_row(response):
    resident = response.resident
    response.building_name = str(resident.building) if resident and resident.building_id else ""
    response.room = resident.room if resident else ""
    response.entered_by_name = response.entered_by.get_full_name() if response.entered_by_id else ""
    return response


class ConsultationResponsesApi(ConsultationApi):
    serializer_class = ResponseOut

    @extend_schema(
        summary=_("参与名单（工作人员，限本人管辖的居民）"), responses=ResponseOut(many=True)
    )
    def get(self, request, pk):
        consultation = self.get_consultation()
        self.require("board.view_responses_consultation", consultation)
        qs = selectors.response_list(actor=request.user, consultation=consultation)
        return self.paginated(qs, ResponseOut, prepare=_response_row)


class ConsultationOpinionsApi(ConsultationApi):
    serializer_class = OpinionOut

    @extend_schema(summary=_("填写的意见（不含姓名，工作人员）"), responses=OpinionOut(many=True))
    def get(self, request, pk):
        consultation = self.get_consultation()
        self.require("board.export_consultation", consultation)
        return self.paginated(selectors.text_answers(consultation), OpinionOut)


urlpatterns = [
    path(
        "consultations/<int:pk>/respond/",
        ConsultationRespondApi.as_view(),
        name="consultation-respond",
    ),
    path(
        "consultations/<int:pk>/paper-response/",
        ConsultationPaperResponseApi.as_view(),
        name="consultation-paper-response",
    ),
    path(
        "consultations/<int:pk>/my-response/",
        ConsultationMyResponseApi.as_view(),
        name="consultation-my-response",
    ),
    path(
        "consultations/<int:pk>/results/",
        ConsultationResultsApi.as_view(),
        name="consultation-results",
    ),
    path(
        "consultations/<int:pk>/export/",
        ConsultationExportApi.as_view(),
        name="consultation-export",
    ),
    path(
        "consultations/<int:pk>/responses/",
        ConsultationResponsesApi.as_view(),
        name="consultation-responses",
    ),
    path(
        "consultations/<int:pk>/opinions/",
        ConsultationOpinionsApi.as_view(),
        name="consultation-opinions",
    ),
]
