"""Excel export of the grid event list (openpyxl, as board/exports.py): one row per event
with its place, department, deadline and outcome, in the list's order (due soonest first)."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_LIMIT = 5000
BOLD = Font(bold=True)


def _local(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%d %H:%M") if dt else ""


def _yes_no(value):
    if value is None:
        return ""
    return _("是") if value else _("否")


def grid_events_xlsx(events, *, now) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("网格事件")
    headers = [
        _("编号"),
        _("状态"),
        _("来源"),
        _("类别"),
        _("居民区"),
        _("微网格"),
        _("楼组"),
        _("位置"),
        _("事件描述"),
        _("上报人"),
        _("上报时间"),
        _("处置部门"),
        _("派单时间"),
        _("处置时限"),
        _("已超时"),
        _("处置完成时间"),
        _("按时处置"),
        _("办结时间"),
        _("周内办结"),
        _("退回次数"),
        _("核查不通过次数"),
    ]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = BOLD
    for e in events:
        sheet.append(
            [
                e.pk,
                e.get_state_display(),
                e.get_source_display(),
                e.category.name,
                e.community.name,
                e.grid.name,
                e.building.name if e.building_id else "",
                e.location,
                e.description,
                e.filed_by.get_full_name(),
                _local(e.filed_at),
                e.department.name if e.department_id else "",
                _local(e.dispatched_at),
                _local(e.due_at),
                _yes_no(e.is_overdue(now)),
                _local(e.handled_at),
                _yes_no(e.handled_on_time),
                _local(e.closed_at),
                _yes_no(e.cleared_within_week),
                e.returned_count,
                e.reopened_count,
            ]
        )
    for index, width in enumerate((8, 10, 10, 14, 12, 12, 10, 16, 50), start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
