"""Excel export of one list sent upward (openpyxl, as board/exports.py).

One sheet: the title and year, then one row per item the caller may see: 序号, 来源, 编号, 居民区,
摘要, 超出社区能力的原因, 状态, 进展/结果. Only what the report itself says: topic titles and the
written summaries, never a resident's name or phone."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TITLE_FONT = Font(bold=True, size=14)
BOLD = Font(bold=True)
WIDTHS = {"A": 6, "B": 12, "C": 10, "D": 14, "E": 50, "F": 40, "G": 10, "H": 40}


def item_progress(item) -> str:
    if item.status == item.Status.NOT_ACCEPTED:
        return item.status_reason
    return item.result_note


def report_xlsx(report, items) -> bytes:
    """`items`: the report's items the caller may see, in order."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("上报清单")
    sheet.append([report.title])
    sheet["A1"].font = TITLE_FONT
    sheet.append([_("年度"), report.year, _("类型"), report.get_kind_display()])
    sheet.append([_("状态"), report.get_status_display(), _("导出时间"), _local(timezone.now())])
    sheet.append([])
    sheet.append(
        [
            _("序号"),
            _("来源（议题/网格事件）"),
            _("编号"),
            _("居民区"),
            _("摘要"),
            _("超出社区能力的原因"),
            _("状态"),
            _("进展/结果"),
        ]
    )
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD
    for index, item in enumerate(items, start=1):
        sheet.append(
            [
                index,
                str(item.source_display),
                item.number,
                item.community.name,
                item.summary,
                item.beyond_reason,
                item.get_status_display(),
                item_progress(item),
            ]
        )
        for cell in sheet[sheet.max_row]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for column, width in WIDTHS.items():
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _local(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%d %H:%M") if dt else ""
