"""REST API of taking part in a covenant: discussion comments (list, add, report; workers hide
and restore), signing or voting for one's household, workers' paper signatures, the fund's
pledges, receipts and reversals, who signed and the fund per household (people-level staff),
and the Excel exports."""

from decimal import Decimal

from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from board.apis._base import BoardApi, ReasonIn, choice_field, xlsx_response
from residents.models import Household, Resident

from .. import exports, selectors, services
from ..models import CovenantComment, FundEntry, Signature
from .covenants import CovenantApi, CovenantDetailOut

# ---------------------------------------------------------------------------------------------
# Comments


class CovenantCommentOut(serializers.Serializer):
    id = serializers.IntegerField()
    version = serializers.IntegerField(source="version.number")
    author_label = serializers.CharField()
    body = serializers.CharField(help_text=_("已隐藏的评论对居民为空"))
    created_at = serializers.DateTimeField()
    hidden = serializers.BooleanField()
    hidden_reason = serializers.CharField()
    mine = serializers.BooleanField()


class CovenantCommentIn(serializers.Serializer):
    body = serializers.CharField(max_length=2000)


class CovenantReportIn(serializers.Serializer):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


def _present_comment(user, covenant):
    moderator = user.has_perm("covenants.moderate_covenantcomment", covenant)

    def prepare(comment):
        comment.mine = comment.author_id == user.pk
        if comment.hidden and not moderator:
            comment.body = ""
        return comment

    return prepare


class CommentListApi(CovenantApi):
    serializer_class = CovenantCommentOut

    @extend_schema(summary=_("规约讨论的评论（新的在前）"), responses=CovenantCommentOut(many=True))
    def get(self, request, pk):
        covenant = self.get_covenant()
        qs = selectors.comment_list(actor=request.user, covenant=covenant)
        return self.paginated(
            qs, CovenantCommentOut, prepare=_present_comment(request.user, covenant)
        )

    @extend_schema(
        summary=_("发表评论（公开讨论期内，本居民区实名居民）"),
        request=CovenantCommentIn,
        responses={201: CovenantCommentOut},
    )
    def post(self, request, pk):
        covenant = self.get_covenant()
        comment = services.covenant_comment(
            actor=request.user, covenant=covenant, **self.parse(CovenantCommentIn)
        )
        comment = _present_comment(request.user, covenant)(comment)
        return Response(CovenantCommentOut(comment).data, status=status.HTTP_201_CREATED)


class CommentApi(BoardApi):
    queryset = CovenantComment.objects.none()

    def get_comment(self):
        return selectors.comment_get(actor=self.request.user, pk=self.kwargs["pk"])


class CommentReportApi(CommentApi):
    @extend_schema(
        summary=_("举报评论（每人一次）"), request=CovenantReportIn, responses={204: None}
    )
    def post(self, request, pk):
        services.covenant_comment_report(
            actor=request.user, comment=self.get_comment(), **self.parse(CovenantReportIn)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class CommentHideApi(CommentApi):
    @extend_schema(
        summary=_("隐藏评论（工作人员，须填写理由）"),
        request=ReasonIn,
        responses=CovenantCommentOut,
    )
    def post(self, request, pk):
        comment = self.get_comment()
        self.require("covenants.moderate_covenantcomment", comment.covenant)
        comment = services.covenant_comment_hide(
            actor=request.user, comment=comment, **self.parse(ReasonIn)
        )
        comment.mine = False
        return Response(CovenantCommentOut(comment).data)


class CommentRestoreApi(CommentApi):
    @extend_schema(
        summary=_("恢复显示评论（工作人员）"), request=None, responses=CovenantCommentOut
    )
    def post(self, request, pk):
        comment = self.get_comment()
        self.require("covenants.moderate_covenantcomment", comment.covenant)
        comment = services.covenant_comment_restore(actor=request.user, comment=comment)
        comment.mine = False
        return Response(CovenantCommentOut(comment).data)


# ---------------------------------------------------------------------------------------------
# Signing


class CovenantSignIn(serializers.Serializer):
    choice = choice_field(
        Signature.Choice.choices,
        required=False,
        allow_null=True,
        default=None,
        help_text=_("表决时必填；签署时为同意"),
    )


class CovenantPaperSignIn(CovenantSignIn):
    resident = serializers.PrimaryKeyRelatedField(
        queryset=Resident.objects.all(), help_text=_("代表户签署的家庭成员")
    )
    note = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class CovenantSignatureOut(serializers.Serializer):
    id = serializers.IntegerField()
    household = serializers.IntegerField(source="household_id")
    household_label = serializers.CharField()
    resident_name = serializers.CharField()
    choice = serializers.CharField()
    channel = serializers.CharField()
    entered_by = serializers.CharField(allow_null=True)
    paper_note = serializers.CharField()
    signed_at = serializers.DateTimeField()


def _household_label(household):
    building = household.building.name if household.building_id else ""
    return f"{building} {household.room}".strip() or str(household.pk)


def _present_signature(signature):
    signature.household_label = _household_label(signature.household)
    signature.resident_name = signature.resident.name if signature.resident_id else ""
    signature.entered_by = signature.entered_by.get_full_name() if signature.entered_by_id else None
    return signature


class SignApi(CovenantApi):
    @extend_schema(
        summary=_("为本户签署或表决（每户一次）"),
        request=CovenantSignIn,
        responses=CovenantDetailOut,
    )
    def post(self, request, pk):
        covenant = self.get_covenant()
        services.covenant_sign(actor=request.user, covenant=covenant, **self.parse(CovenantSignIn))
        return self.detail(covenant)


class PaperSignApi(CovenantApi):
    @extend_schema(
        summary=_("录入纸质签署或表决（工作人员代离线住户录入）"),
        request=CovenantPaperSignIn,
        responses=CovenantDetailOut,
    )
    def post(self, request, pk):
        covenant = self.get_covenant()
        self.require("covenants.enter_paper_signature", covenant)
        services.covenant_paper_sign(
            actor=request.user, covenant=covenant, **self.parse(CovenantPaperSignIn)
        )
        return self.detail(covenant)


class SignatureListApi(CovenantApi):
    serializer_class = CovenantSignatureOut

    @extend_schema(
        summary=_("最新版本的签署名单（村居工作人员，管辖范围内的户）"),
        responses=CovenantSignatureOut(many=True),
    )
    def get(self, request, pk):
        covenant = self.get_covenant()
        self.require("covenants.export_covenant", covenant)
        qs = selectors.signatures_of(actor=request.user, version=covenant.current_version)
        return self.paginated(qs, CovenantSignatureOut, prepare=_present_signature)


# ---------------------------------------------------------------------------------------------
# Fund


class CovenantFundIn(serializers.Serializer):
    household = serializers.PrimaryKeyRelatedField(queryset=Household.objects.all())
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class CovenantFundReverseIn(ReasonIn):
    entry = serializers.IntegerField(help_text=_("要冲正的认缴或实收记录"))


class CovenantFundEntryOut(serializers.Serializer):
    id = serializers.IntegerField()
    household = serializers.IntegerField(source="household_id")
    household_label = serializers.CharField()
    kind = serializers.CharField()
    kind_display = serializers.CharField(source="get_kind_display")
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    reverses = serializers.IntegerField(source="reverses_id", allow_null=True)
    reason = serializers.CharField()
    at = serializers.DateTimeField()


class CovenantFundHouseholdOut(serializers.Serializer):
    household = serializers.IntegerField(source="pk")
    household_label = serializers.CharField()
    pledged = serializers.DecimalField(max_digits=14, decimal_places=2)
    received = serializers.DecimalField(max_digits=14, decimal_places=2)


def _fund_entry(kind_call, summary):
    class View(CovenantApi):
        @extend_schema(
            summary=summary, request=CovenantFundIn, responses={201: CovenantFundEntryOut}
        )
        def post(self, request, pk):
            covenant = self.get_covenant()
            self.require("covenants.enter_fund", covenant)
            entry = kind_call(actor=request.user, covenant=covenant, **self.parse(CovenantFundIn))
            entry.household_label = _household_label(entry.household)
            return Response(CovenantFundEntryOut(entry).data, status=status.HTTP_201_CREATED)

    return View


FundPledgeApi = _fund_entry(services.covenant_fund_pledge, _("登记一户的认缴（预收资金）"))
FundPledgeApi.__name__ = FundPledgeApi.__qualname__ = "FundPledgeApi"
FundReceiptApi = _fund_entry(services.covenant_fund_receipt, _("登记一户的实收（预收资金）"))
FundReceiptApi.__name__ = FundReceiptApi.__qualname__ = "FundReceiptApi"


class FundReverseApi(CovenantApi):
    @extend_schema(
        summary=_("冲正一条认缴或实收记录（须填写原因）"),
        request=CovenantFundReverseIn,
        responses={201: CovenantFundEntryOut},
    )
    def post(self, request, pk):
        covenant = self.get_covenant()
        self.require("covenants.enter_fund", covenant)
        data = self.parse(CovenantFundReverseIn)
        entry = FundEntry.objects.filter(covenant=covenant, pk=data["entry"]).first()
        if entry is None:
            raise selectors.not_found()
        reversal = services.covenant_fund_reverse(
            actor=request.user, entry=entry, reason=data["reason"]
        )
        reversal.household_label = _household_label(reversal.household)
        return Response(CovenantFundEntryOut(reversal).data, status=status.HTTP_201_CREATED)


class FundHouseholdListApi(CovenantApi):
    serializer_class = CovenantFundHouseholdOut

    @extend_schema(
        summary=_("各户认缴与实收（村居工作人员，管辖范围内的户）"),
        responses=CovenantFundHouseholdOut(many=True),
    )
    def get(self, request, pk):
        covenant = self.get_covenant()
        self.require("covenants.view_fund_households", covenant)
        qs = selectors.fund_by_household(actor=request.user, covenant=covenant)

        def prepare(household):
            household.household_label = _household_label(household)
            return household

        return self.paginated(qs, CovenantFundHouseholdOut, prepare=prepare)


# ---------------------------------------------------------------------------------------------
# Exports


class SignaturesExportApi(CovenantApi):
    @extend_schema(
        summary=_("导出签署结果（Excel）"),
        responses={(200, exports.XLSX_CONTENT_TYPE): OpenApiTypes.BINARY},
    )
    def get(self, request, pk):
        covenant = self.get_covenant()
        self.require("covenants.export_covenant", covenant)
        content = exports.signatures_xlsx(covenant, actor=request.user)
        return xlsx_response(content, f"covenant-{covenant.pk}-signatures.xlsx")


class FundExportApi(CovenantApi):
    @extend_schema(
        summary=_("导出预收资金分户明细（Excel）"),
        responses={(200, exports.XLSX_CONTENT_TYPE): OpenApiTypes.BINARY},
    )
    def get(self, request, pk):
        covenant = self.get_covenant()
        self.require("covenants.view_fund_households", covenant)
        content = exports.fund_xlsx(covenant, actor=request.user)
        return xlsx_response(content, f"covenant-{covenant.pk}-fund.xlsx")


urlpatterns = [
    path("covenants/<int:pk>/comments/", CommentListApi.as_view(), name="covenant-comments"),
    path(
        "covenant-comments/<int:pk>/report/",
        CommentReportApi.as_view(),
        name="covenant-comment-report",
    ),
    path(
        "covenant-comments/<int:pk>/hide/", CommentHideApi.as_view(), name="covenant-comment-hide"
    ),
    path(
        "covenant-comments/<int:pk>/restore/",
        CommentRestoreApi.as_view(),
        name="covenant-comment-restore",
    ),
    path("covenants/<int:pk>/sign/", SignApi.as_view(), name="covenant-sign"),
    path(
        "covenants/<int:pk>/paper-signature/",
        PaperSignApi.as_view(),
        name="covenant-paper-signature",
    ),
    path("covenants/<int:pk>/signatures/", SignatureListApi.as_view(), name="covenant-signatures"),
    path("covenants/<int:pk>/pledges/", FundPledgeApi.as_view(), name="covenant-pledge"),
    path("covenants/<int:pk>/receipts/", FundReceiptApi.as_view(), name="covenant-receipt"),
    path(
        "covenants/<int:pk>/fund-reversals/",
        FundReverseApi.as_view(),
        name="covenant-fund-reversal",
    ),
    path(
        "covenants/<int:pk>/fund/households/",
        FundHouseholdListApi.as_view(),
        name="covenant-fund-households",
    ),
    path(
        "covenants/<int:pk>/signatures.xlsx",
        SignaturesExportApi.as_view(),
        name="covenant-signatures-export",
    ),
    path("covenants/<int:pk>/fund.xlsx", FundExportApi.as_view(), name="covenant-fund-export"),
]
