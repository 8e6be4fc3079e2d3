"""REST API of taking part and of the results: a resident's scores (all at once), the
aggregates (whole party branch, whole neighbourhood committee), the per-cadre results and
their Excel export for the street's admins. Never a voter beside a score."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response

from board.apis._base import xlsx_response
from core.exceptions import ApplicationError

from .. import exports, selectors, services
from .rounds import RoundApi
from .serializers import (
    CadreAggregatesOut,
    CadreResultsOut,
    CadreScoresIn,
    CadreSubmittedOut,
)


class RoundSubmitApi(RoundApi):
    @extend_schema(
        summary=_("提交测评：一次为每位干部评价（每人一次，匿名计票）"),
        description="400 with fields `scores.<cadre id>` / `scores` when a cadre is missing or "
        "unknown or a value is not 3/2/1; nothing is written. 409 when already taken part or "
        "not open. The answer only says that you took part: scores are never stored with you.",
        request=CadreScoresIn,
        responses={201: CadreSubmittedOut},
    )
    def post(self, request, pk):
        round_ = self.get_round()
        data = self.parse(CadreScoresIn)
        services.round_submit(actor=request.user, round=round_, scores=data["scores"])
        return Response({"round": round_.pk, "has_taken_part": True}, status.HTTP_201_CREATED)


class _ResultsApi(RoundApi):
    perm = ""

    def ready_round(self):
        round_ = self.get_round()
        self.require(self.perm, round_)
        withheld = selectors.results_withheld(round_)
        if withheld:
            raise ApplicationError(withheld, code="conflict")
        return round_


class RoundAggregatesApi(_ResultsApi):
    perm = "cadres.view_aggregates_reviewround"

    @extend_schema(
        summary=_("测评汇总结果（党组织整体、居委会整体；结束后，参与人数达到门槛）"),
        responses=CadreAggregatesOut,
    )
    def get(self, request, pk):
        round_ = self.ready_round()
        data = {
            "round": round_.pk,
            "participants": selectors.participants(round_),
            **selectors.body_aggregates(round_),
        }
        return Response(CadreAggregatesOut(data).data)


class RoundResultsApi(_ResultsApi):
    perm = "cadres.view_results_reviewround"

    @extend_schema(
        summary=_("逐名干部的测评结果（街道管理员；不含任何参与人信息）"), responses=CadreResultsOut
    )
    def get(self, request, pk):
        round_ = self.ready_round()
        data = {
            "round": round_.pk,
            "participants": selectors.participants(round_),
            **selectors.body_aggregates(round_),
            "cadres": selectors.cadre_results(round_),
        }
        return Response(CadreResultsOut(data).data)


class RoundExportApi(_ResultsApi):
    perm = "cadres.export_reviewround"

    @extend_schema(
        summary=_("导出逐名干部的测评结果（Excel，不含参与人）"),
        responses={200: OpenApiResponse(OpenApiTypes.BINARY, description="xlsx")},
    )
    def get(self, request, pk):
        round_ = self.ready_round()
        stamp = timezone.localdate().isoformat()
        return xlsx_response(exports.round_xlsx(round_), f"cadre-review-{round_.pk}-{stamp}.xlsx")
