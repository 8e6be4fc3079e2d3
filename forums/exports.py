"""Excel export of the monthly musts table (openpyxl, as board/exports.py): one row per
community of the street, a column per kind (✓ done / ✗ not done) and the month's state."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from .models import MustKind

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TITLE_FONT = Font(bold=True, size=14)
BOLD = Font(bold=True)
MISSED_FILL = PatternFill("solid", fgColor="F8D7DA")


def state_label(status) -> str:
    if status.complete:
        return _("已完成")
    if status.missed:
        return _("缺项")
    return _("进行中")


def musts_xlsx(*, title, communities, month, statuses) -> bytes:
    """`statuses`: musts_status(...) for these communities and `month`."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("三必做")
    sheet.append([title])
    sheet["A1"].font = TITLE_FONT
    sheet.append([_("月份"), month, _("导出时间"), timezone.localtime().strftime("%Y-%m-%d %H:%M")])
    sheet.append([])
    sheet.append(
        [_("街道"), _("居民区"), *[str(label) for _v, label in MustKind.choices], _("状态")]
    )
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD
    for community in communities:
        status = statuses[(community.pk, month)]
        sheet.append(
            [
                community.street.name,
                community.name,
                *["✓" if kind in status.done else "✗" for kind in MustKind.values],
                state_label(status),
            ]
        )
        if status.missed:
            for cell in sheet[sheet.max_row]:
                cell.fill = MISSED_FILL
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 20
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
