"""REST API of the leaders' dashboards under /api/v1/dashboard/: aggregates only.

Each view: input serializer (400 with field errors on a bad unit, period or date) → the unit
within the actor's scope (404 outside it) → one selector → output serializer. Nothing here
names a person: the figures are counts, sums, shares and times per organisation unit.
"""

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.response import Response
from rest_framework.views import APIView

from core.permissions import RulesPermission

from . import selectors, tables
from .figures import RANKING_KEYS
from .selectors.cases import dashboard_cases
from .serializers import (
    TABLES,
    DashboardCasesOutput,
    DashboardQueryInput,
    DashboardRankingOutput,
    DashboardSummaryOutput,
    DashboardTrendOutput,
    DashboardUnitsOutput,
    ExportQueryInput,
    RankingQueryInput,
    UnitsQueryInput,
)
from .units import children_list, root_units, unit_get

TAGS = ["dashboard"]
REFUSED = {
    400: OpenApiResponse(description=_("参数有误：fields 中逐项说明")),
    403: OpenApiResponse(description=_("未登录，或不是区领导、街道管理员、社区工作者")),
    404: OpenApiResponse(description=_("单位不存在或不在本人可查看的范围内")),
}


def _unit_dict(unit):
    return {
        "ref": unit.ref,
        "level": unit.level,
        "level_label": unit.level_label,
        "id": unit.id,
        "name": unit.name,
    }


def _period_dict(period):
    return {
        "kind": period.kind,
        "key": period.key,
        "label": period.label,
        "first_day": period.first_day,
        "last_day": period.last_day,
        "months": period.months,
    }


class DashboardApi(APIView):
    permission_classes = [RulesPermission]
    permission_required = "dashboards.view_dashboard"
    input_class = DashboardQueryInput

    def query(self, request):
        serializer = self.input_class(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        ref = data.get("unit")
        if not ref:
            roots = root_units(actor=request.user)
            if not roots:
                raise Http404
            ref = roots[0].ref
        return data, unit_get(actor=request.user, ref=ref), data["period_obj"]


class DashboardUnitsApi(DashboardApi):
    @extend_schema(
        parameters=[UnitsQueryInput],
        responses={200: DashboardUnitsOutput, **REFUSED},
        summary="看板单位：最上级单位，或某单位的下级单位（下钻）",
        tags=TAGS,
    )
    def get(self, request):
        serializer = UnitsQueryInput(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        ref = serializer.validated_data.get("parent")
        if ref:
            parent = unit_get(actor=request.user, ref=ref)
            data = {
                "parent": _unit_dict(parent),
                "breadcrumb": [_unit_dict(u) for u in parent.breadcrumb],
                "units": children_list(parent),
            }
        else:
            data = {
                "parent": None,
                "breadcrumb": [],
                "units": [
                    {**_unit_dict(u), "has_children": u.child_level is not None}
                    for u in root_units(actor=request.user)
                ],
            }
        return Response(DashboardUnitsOutput(data).data)


class DashboardSummaryApi(DashboardApi):
    @extend_schema(
        parameters=[DashboardQueryInput],
        responses={200: DashboardSummaryOutput, **REFUSED},
        summary="看板汇总：某单位某期间的全部指标",
        description=(
            "议题、回应、转项目、解决问题、项目与资金、志愿服务与积分、居民参与。"
            "各指标口径见 figures 中每个字段的说明。"
        ),
        tags=TAGS,
    )
    def get(self, request):
        _data, unit, period = self.query(request)
        now = timezone.now()
        data = {
            "unit": _unit_dict(unit),
            "breadcrumb": [_unit_dict(u) for u in unit.breadcrumb],
            "child_level": unit.child_level,
            "period": _period_dict(period),
            "as_of": now,
            "figures": selectors.dashboard_summary(unit=unit, period=period, now=now),
        }
        return Response(DashboardSummaryOutput(data).data)


class DashboardTrendApi(DashboardApi):
    @extend_schema(
        parameters=[DashboardQueryInput],
        responses={200: DashboardTrendOutput, **REFUSED},
        summary="看板月度趋势：期间内每月的主要指标（上海时间自然月）",
        tags=TAGS,
    )
    def get(self, request):
        _data, unit, period = self.query(request)
        data = {
            "unit": _unit_dict(unit),
            "period": _period_dict(period),
            "months": selectors.dashboard_trend(unit=unit, period=period),
        }
        return Response(DashboardTrendOutput(data).data)


class DashboardRankingApi(DashboardApi):
    input_class = RankingQueryInput

    @extend_schema(
        parameters=[RankingQueryInput],
        responses={200: DashboardRankingOutput, **REFUSED},
        summary="看板排名：下级单位（区→街道，街道→居民区，居民区→微网格）按指标排名",
        tags=TAGS,
    )
    def get(self, request):
        data, unit, period = self.query(request)
        rows = selectors.dashboard_ranking(unit=unit, period=period, sort=data["sort"])
        body = {
            "unit": _unit_dict(unit),
            "period": _period_dict(period),
            "child_level": unit.child_level,
            "sort": data["sort"],
            "columns": RANKING_KEYS,
            "rows": rows,
        }
        return Response(DashboardRankingOutput(body).data)


class DashboardCasesApi(DashboardApi):
    @extend_schema(
        parameters=[DashboardQueryInput],
        responses={200: DashboardCasesOutput, **REFUSED},
        summary="看板网格事件与矛盾纠纷：事件状态、每周周周清与按时处置、纠纷类别与结果",
        description=(
            "events_by_state：本期上报的网格事件按当前状态计数。"
            "weeks：按下级单位（居民区看各微网格，街道看各居民区，区看各街道）和上报所在的 ISO 周"
            "（上海时间周一至周日）统计本期上报的事件：发现、周内办结（周周清）及其比率、"
            "已处置、按时处置及其比率、曾退回、曾重新处置。"
            "disputes_by_category：各类矛盾纠纷本期登记数和本期登记的调解结果数"
            "（达成协议、转交、撤回）。只有数字，不含任何人的姓名。"
        ),
        tags=TAGS,
    )
    def get(self, request):
        _data, unit, period = self.query(request)
        data = {
            "unit": _unit_dict(unit),
            "period": _period_dict(period),
            "child_level": unit.child_level,
            **dashboard_cases(unit=unit, period=period, now=timezone.now()),
        }
        return Response(DashboardCasesOutput(data).data)


class JSONOnlyNegotiation(DefaultContentNegotiation):
    """`?format=` names the export's file format here, not a DRF renderer: errors are JSON."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class DashboardExportApi(DashboardApi):
    input_class = ExportQueryInput
    content_negotiation_class = JSONOnlyNegotiation

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "table",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                enum=list(TABLES),
                description=_(
                    "summary 汇总、trend 月度趋势、ranking 下级单位排名、"
                    "cases 网格事件每周统计（按下级单位和周）"
                ),
            ),
            ExportQueryInput,
        ],
        responses={
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.STR, description=_("CSV：首行为表头，UTF-8 带 BOM")
            ),
            (200, tables.XLSX_CONTENT_TYPE): OpenApiResponse(
                OpenApiTypes.BINARY,
                description=_("Excel：第一张表为数据，第二张为单位、期间和指标口径"),
            ),
            **REFUSED,
        },
        summary="导出看板表格（CSV 或 Excel）",
        tags=TAGS,
    )
    def get(self, request, table):
        if table not in TABLES:
            raise Http404
        data, unit, period = self.query(request)
        if table == "summary":
            figures = selectors.dashboard_summary(unit=unit, period=period)
            out = tables.summary_table(unit, period, figures)
        elif table == "trend":
            months = selectors.dashboard_trend(unit=unit, period=period)
            out = tables.trend_table(unit, period, months)
        elif table == "ranking":
            rows = selectors.dashboard_ranking(unit=unit, period=period, sort=data["sort"])
            out = tables.ranking_table(unit, period, rows)
        else:
            weeks = dashboard_cases(unit=unit, period=period, now=timezone.now())["weeks"]
            out = tables.cases_table(unit, period, weeks)
        if data["format"] == "csv":
            body, content_type = tables.to_csv(out), tables.CSV_CONTENT_TYPE
        else:
            body, content_type = tables.to_xlsx(out), tables.XLSX_CONTENT_TYPE
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = (
            f'attachment; filename="{out.filename_stem}.{data["format"]}"'
        )
        return response
