"""The dashboard's tables (summary, trend, ranking, and the grid events' weeks: cases) as
plain rows, for CSV and Excel.

The page draws the same tables from the API's JSON; both take their labels from
`dashboards.figures`, so an export reads like the screen it was taken from.
"""

import csv
import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from .figures import BY_KEY, FIGURES, GROUPS, RANKING_KEYS, TREND_KEYS
from .periods import Period
from .units import Unit

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
BOLD = Font(bold=True)


@dataclass
class Table:
    name: str  # summary / trend / ranking / cases
    title: str
    unit: Unit
    period: Period
    columns: list[tuple[str, str]]  # (key, header)
    rows: list[dict] = field(default_factory=list)
    # (label, definition) for the Excel's second sheet; the dashboard's figures when empty.
    definitions: list[tuple[str, str]] = field(default_factory=list)

    @property
    def filename_stem(self) -> str:
        return f"dashboard-{self.name}-{self.unit.level}-{self.unit.id}-{self.period.key}"


def summary_table(unit, period, figures: dict) -> Table:
    rows = [
        {
            "group": str(GROUPS[f.group]),
            "key": f.key,
            "label": str(f.label),
            "value": figures[f.key],
        }
        for f in FIGURES
    ]
    columns = [
        ("group", _("类别")),
        ("key", _("指标代码")),
        ("label", _("指标")),
        ("value", _("数值")),
    ]
    return Table("summary", _("汇总"), unit, period, columns, rows)


def trend_table(unit, period, months: list[dict]) -> Table:
    columns = [("month", _("月份")), *((key, str(BY_KEY[key].label)) for key in TREND_KEYS)]
    return Table("trend", _("月度趋势"), unit, period, columns, months)


def ranking_table(unit, period, rows: list[dict]) -> Table:
    columns = [
        ("rank", _("名次")),
        ("name", _("单位")),
        *((key, str(BY_KEY[key].label)) for key in RANKING_KEYS),
    ]
    flat = [{"rank": r["rank"], "name": r["name"], **r["figures"]} for r in rows]
    return Table("ranking", _("下级单位排名"), unit, period, columns, flat)


# The weeks table of grid events (dashboards.selectors.cases): (key, header, definition).
CASES_COLUMNS = [
    ("week", _lazy("周"), _lazy("上报所在的 ISO 周（上海时间周一至周日）。")),
    ("week_start", _lazy("周一日期"), _lazy("该周的周一。")),
    ("name", _lazy("单位"), _lazy("居民区看各微网格，街道看各居民区，区看各街道。")),
    ("found", _lazy("发现"), _lazy("该周（本期内）上报的网格事件数。")),
    ("cleared_within_week", _lazy("周内办结"), _lazy("其中在上报当周办结的（周周清）。")),
    (
        "cleared_within_week_share",
        _lazy("周周清率(%)"),
        _lazy("周内办结 ÷ 发现 × 100；无事件为空。"),
    ),
    ("handled", _lazy("已处置"), _lazy("其中处置完毕（处置报告有效）的。")),
    ("handled_on_time", _lazy("按时处置"), _lazy("其中在处置时限内处置完毕的。")),
    (
        "handled_on_time_share",
        _lazy("按时处置率(%)"),
        _lazy("按时处置 ÷ 已处置 × 100；无处置为空。"),
    ),
    ("returned", _lazy("曾退回"), _lazy("其中曾被部门退回的。")),
    ("reopened", _lazy("重新处置"), _lazy("其中曾核查未通过、重新处置的。")),
]


def cases_table(unit, period, weeks: list[dict]) -> Table:
    columns = [(key, str(header)) for key, header, _help in CASES_COLUMNS]
    definitions = [(str(header), str(help_text)) for _key, header, help_text in CASES_COLUMNS]
    return Table("cases", _("网格事件每周统计"), unit, period, columns, weeks, definitions)


def _cell(value):
    return "" if value is None else value


def to_csv(table: Table) -> bytes:
    """UTF-8 with a BOM, so that Excel opens the Chinese headers correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([header for _key, header in table.columns])
    for row in table.rows:
        writer.writerow([_cell(row.get(key)) for key, _header in table.columns])
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(table: Table) -> bytes:
    """The table on its first sheet (headers on row 1, numbers as numbers), and a second sheet
    saying which unit and period it covers and what each figure means."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(table.title)[:31]
    sheet.append([header for _key, header in table.columns])
    for cell in sheet[1]:
        cell.font = BOLD
    for row in table.rows:
        sheet.append([row.get(key) for key, _header in table.columns])
    for index, (key, _header) in enumerate(table.columns):
        letter = sheet.cell(row=1, column=index + 1).column_letter
        sheet.column_dimensions[letter].width = 28 if key in ("label", "name") else 16
    about = workbook.create_sheet(_("说明"))
    about.append([_("单位"), f"{table.unit.level_label} {table.unit.name}"])
    about.append([_("期间"), table.period.label])
    about.append([_("起止日期"), table.period.first_day, table.period.last_day])
    about.append([])
    about.append([_("指标"), _("口径")])
    for cell in about[about.max_row]:
        cell.font = BOLD
    definitions = table.definitions or [(str(f.label), str(f.help)) for f in FIGURES]
    for label, definition in definitions:
        about.append([label, definition])
    about.column_dimensions["A"].width = 28
    about.column_dimensions["B"].width = 80
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
