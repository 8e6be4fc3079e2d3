"""Excel export of case files (openpyxl, as board/exports.py): one row per case with its
parties. Every case handed out is an EXPORT row in the access log (services.access_log_export),
written by the caller in the same request."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _local(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%d %H:%M") if dt else ""


def cases_xlsx(cases) -> bytes:
    """`cases`: an iterable of cases with parties prefetched (no query per row)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("矛盾纠纷案件")
    sheet.append(
        [
            _("编号"),
            _("居民区"),
            _("纠纷类别"),
            _("风险等级"),
            _("状态"),
            _("当事人"),
            _("包案人"),
            _("纠纷概要"),
            _("调解结果"),
            _("登记时间"),
            _("结果登记时间"),
            _("回访期限"),
            _("回访时间"),
        ]
    )
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for case in cases:
        sheet.append(
            [
                case.pk,
                case.community.name,
                case.get_category_display(),
                case.get_risk_level_display(),
                case.get_status_display(),
                "、".join(p.name for p in case.parties.all()),
                case.owner.get_full_name() if case.owner_id else "",
                case.summary,
                case.get_outcome_display(),
                _local(case.created_at),
                _local(case.outcome_at),
                _local(case.followup_due_at),
                _local(case.followup_at),
            ]
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
