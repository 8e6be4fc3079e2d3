"""Input and output serializers of the dashboard API. The figure fields are generated from the
one list of definitions (`dashboards.figures`), so the OpenAPI schema describes every figure
with the same words as the page and the exports."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .figures import BY_KEY, COUNT, FIGURES, POINTS, TREND_KEYS, YUAN
from .periods import Kind, PeriodError, parse_period
from .units import UnitRefError, parse_ref

TABLES = ("summary", "trend", "ranking", "cases")

# ---------------------------------------------------------------------------------------------
# Input


def _query_fields():
    return {
        "unit": serializers.CharField(
            required=False,
            allow_blank=True,
            help_text=_(
                "单位，形如 district:3、street:12、community:40、grid:7；"
                "留空为本人可查看的第一个最上级单位。无权查看或不存在时返回 404。"
            ),
        ),
        "period": serializers.ChoiceField(
            choices=[
                (Kind.MONTH, _("月")),
                (Kind.QUARTER, _("季度")),
                (Kind.YEAR, _("年")),
                (Kind.CUSTOM, _("自定义")),
            ],
            required=False,
            default=Kind.MONTH,
            help_text=_(
                "期间类型：month 月、quarter 季度、year 年、custom 自定义（按上海时间的自然日）。"
            ),
        ),
        "date": serializers.CharField(
            required=False,
            allow_blank=True,
            help_text=_("月 2026-11、季度 2026-Q4、年 2026；留空为当前月/季度/年。"),
        ),
        "from": serializers.DateField(
            required=False, help_text=_("自定义期间的开始日期（含），YYYY-MM-DD。")
        ),
        "to": serializers.DateField(
            required=False, help_text=_("自定义期间的结束日期（含），YYYY-MM-DD，最长五年。")
        ),
    }


def _validate_query(self, attrs):
    ref = attrs.get("unit") or ""
    if ref:
        try:
            parse_ref(ref)
        except UnitRefError:
            raise serializers.ValidationError(
                {"unit": [_("单位格式应为 级别:编号，如 street:12。")]}
            ) from None
    try:
        attrs["period_obj"] = parse_period(
            attrs.get("period"), attrs.get("date"), attrs.get("from"), attrs.get("to")
        )
    except PeriodError as exc:
        raise serializers.ValidationError({k: [v] for k, v in exc.fields.items()}) from None
    return attrs


# `from` is a Python keyword, so this one is built with type() rather than a class statement.
DashboardQueryInput = type(
    "DashboardQueryInput",
    (serializers.Serializer,),
    {**_query_fields(), "validate": _validate_query, "__doc__": "A unit and a period."},
)
SORT_CHOICES = [(f.key, f.label) for f in FIGURES]


class RankingQueryInput(DashboardQueryInput):
    """A unit, a period and the figure to rank by."""

    sort = serializers.ChoiceField(
        choices=SORT_CHOICES,
        required=False,
        default="topics_raised",
        help_text=_("排名依据的指标；回应时长和超时数越小越靠前，其余越大越靠前。"),
    )


class ExportQueryInput(DashboardQueryInput):
    """A unit, a period, the file format (and for the ranking, the figure to rank by)."""

    format = serializers.ChoiceField(
        choices=[("csv", "CSV"), ("xlsx", "Excel")],
        help_text=_("导出格式：csv（UTF-8，带 BOM）或 xlsx。"),
    )
    sort = serializers.ChoiceField(
        choices=SORT_CHOICES,
        required=False,
        default="topics_raised",
        help_text=_("仅排名表：排名依据的指标。"),
    )


class UnitsQueryInput(serializers.Serializer):
    parent = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=_("列出该单位的下级单位（形如 street:12）；留空列出本人可查看的最上级单位。"),
    )

    def validate_parent(self, value):
        if value:
            try:
                parse_ref(value)
            except UnitRefError:
                raise serializers.ValidationError(
                    _("单位格式应为 级别:编号，如 street:12。")
                ) from None
        return value


# ---------------------------------------------------------------------------------------------
# Output


def _figure_field(figure):
    common = {"allow_null": True, "help_text": format_lazy("{}：{}", figure.label, figure.help)}
    if figure.kind in (COUNT, POINTS):
        return serializers.IntegerField(**common)
    if figure.kind == YUAN:
        return serializers.DecimalField(
            max_digits=16, decimal_places=2, coerce_to_string=False, **common
        )
    return serializers.FloatField(**common)


DashboardFiguresOutput = type(
    "DashboardFiguresOutput",
    (serializers.Serializer,),
    {
        "__doc__": "Every figure of a unit over the period (definitions in each field).",
        **{figure.key: _figure_field(figure) for figure in FIGURES},
    },
)


class DashboardUnitOutput(serializers.Serializer):
    ref = serializers.CharField(help_text=_("单位标识，形如 street:12"))
    level = serializers.CharField(help_text=_("级别：district、street、community 或 grid"))
    level_label = serializers.CharField()
    id = serializers.IntegerField()
    name = serializers.CharField()


class DashboardChildUnitOutput(serializers.Serializer):
    ref = serializers.CharField()
    level = serializers.CharField()
    id = serializers.IntegerField()
    name = serializers.CharField()
    has_children = serializers.BooleanField(help_text=_("是否还能继续下钻"))


class DashboardPeriodOutput(serializers.Serializer):
    kind = serializers.CharField()
    key = serializers.CharField(
        help_text=_("再次查询该期间所用的 date 参数（自定义期间为起止日期）")
    )
    label = serializers.CharField()
    first_day = serializers.DateField()
    last_day = serializers.DateField()
    months = serializers.ListField(child=serializers.CharField())


class DashboardUnitsOutput(serializers.Serializer):
    parent = DashboardUnitOutput(
        allow_null=True, help_text=_("所列单位的上级；为空时所列为最上级单位")
    )
    breadcrumb = DashboardUnitOutput(many=True)
    units = DashboardChildUnitOutput(many=True)


class DashboardSummaryOutput(serializers.Serializer):
    unit = DashboardUnitOutput()
    breadcrumb = DashboardUnitOutput(many=True)
    child_level = serializers.CharField(allow_null=True)
    period = DashboardPeriodOutput()
    as_of = serializers.DateTimeField(help_text=_("统计时刻（“当前超时未回应”以此为准）"))
    figures = DashboardFiguresOutput()


DashboardTrendRowOutput = type(
    "DashboardTrendRowOutput",
    (serializers.Serializer,),
    {
        "__doc__": "One month of the trend (Asia/Shanghai calendar month).",
        "month": serializers.CharField(help_text=_("月份 YYYY-MM")),
        **{key: _figure_field(BY_KEY[key]) for key in TREND_KEYS},
    },
)


class DashboardTrendOutput(serializers.Serializer):
    unit = DashboardUnitOutput()
    period = DashboardPeriodOutput()
    months = DashboardTrendRowOutput(many=True)


class DashboardRankingRowOutput(serializers.Serializer):
    rank = serializers.IntegerField(allow_null=True, help_text=_("名次；并列同名次，无此指标为空"))
    ref = serializers.CharField()
    id = serializers.IntegerField()
    name = serializers.CharField()
    figures = DashboardFiguresOutput()


class DashboardRankingOutput(serializers.Serializer):
    unit = DashboardUnitOutput()
    period = DashboardPeriodOutput()
    child_level = serializers.CharField(allow_null=True)
    sort = serializers.CharField()
    columns = serializers.ListField(
        child=serializers.CharField(), help_text=_("排名表显示与导出的指标")
    )
    rows = DashboardRankingRowOutput(many=True)


# ---------------------------------------------------------------------------------------------
# Grid events and disputes (dashboards.selectors.cases): counts only, never a person.


class DashboardEventStateOutput(serializers.Serializer):
    state = serializers.CharField(help_text=_("事件状态代码"))
    label = serializers.CharField(help_text=_("事件状态"))
    count = serializers.IntegerField(help_text=_("本期上报的事件中当前处于该状态的数量"))


class DashboardCasesWeekOutput(serializers.Serializer):
    ref = serializers.CharField(help_text=_("下级单位标识（居民区看各微网格，街道看各居民区）"))
    id = serializers.IntegerField()
    name = serializers.CharField(help_text=_("单位名称"))
    week = serializers.CharField(
        help_text=_("ISO 周，如 2026-W49（按上报时间，上海时间周一至周日）")
    )
    week_start = serializers.DateField(help_text=_("该周周一"))
    found = serializers.IntegerField(help_text=_("发现：本周（本期内）上报的事件数"))
    cleared_within_week = serializers.IntegerField(help_text=_("周周清：其中在上报当周办结的"))
    cleared_within_week_share = serializers.FloatField(
        allow_null=True, help_text=_("周周清率(%)：周内办结 ÷ 发现 × 100；无事件为空")
    )
    handled = serializers.IntegerField(help_text=_("其中已处置完毕（处置报告有效）的"))
    handled_on_time = serializers.IntegerField(help_text=_("其中在处置时限内处置完毕的"))
    handled_on_time_share = serializers.FloatField(
        allow_null=True, help_text=_("按时处置率(%)：按时处置 ÷ 已处置 × 100；无处置为空")
    )
    returned = serializers.IntegerField(help_text=_("其中曾被部门退回的"))
    reopened = serializers.IntegerField(help_text=_("其中曾核查未通过、重新处置的"))


class DashboardDisputeCategoryOutput(serializers.Serializer):
    category = serializers.CharField(help_text=_("纠纷类别代码"))
    label = serializers.CharField(help_text=_("纠纷类别"))
    opened = serializers.IntegerField(help_text=_("本期登记（不含撤销的）"))
    agreement = serializers.IntegerField(help_text=_("本期达成调解协议"))
    referred = serializers.IntegerField(help_text=_("本期转交法院、部门或仲裁"))
    withdrawn = serializers.IntegerField(help_text=_("本期当事人撤回"))


class DashboardCasesOutput(serializers.Serializer):
    unit = DashboardUnitOutput()
    period = DashboardPeriodOutput()
    child_level = serializers.CharField(allow_null=True)
    events_by_state = DashboardEventStateOutput(many=True)
    weeks = DashboardCasesWeekOutput(many=True)
    disputes_by_category = DashboardDisputeCategoryOutput(
        many=True, help_text=_("按类别和调解结果统计的矛盾纠纷；微网格为空列表")
    )
