"""The dashboard's three tables (summary, trend, ranking) as plain rows, for CSV and Excel.

The page draws the same tables from the API's JSON; both take their labels from
`dashboards.figures`, so an export reads like the screen it was taken from.
"""

import csv
import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
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
    name: str  # summary / trend / ranking
    title: str
    unit: Unit
    period: Period
    columns: list[tuple[str, str]]  # (key, header)
    rows: list[dict] = field(default_factory=list)

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
    for figure in FIGURES:
        about.append([str(figure.label), str(figure.help)])
    about.column_dimensions["A"].width = 28
    about.column_dimensions["B"].width = 80
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
