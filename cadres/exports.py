"""Excel export of a round's per-cadre results, for the street's admins (openpyxl, as
board/exports.py). Two sheets: 概况 (the round and its turnout) and 结果 (per cadre: count per
grade, mean, shares), then the whole party branch, the whole neighbourhood committee and all.
Never a voter: the export reads the counters only, and who took part is not in it."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from . import selectors

TITLE_FONT = Font(bold=True, size=14)
BOLD = Font(bold=True)


def result_columns() -> list[str]:
    """The 结果 sheet's header (tests pin it: no column names a person who scored)."""
    return [
        _("序号"),
        _("组织"),
        _("姓名"),
        _("职务"),
        _("满意"),
        _("基本满意"),
        _("不满意"),
        _("评价人数"),
        _("平均分（1–3）"),
        _("满意率"),
        _("满意及基本满意率"),
    ]


def _local(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%d %H:%M") if dt else ""


def _percent(value):
    return f"{value}%" if value is not None else "—"


def _row(lead, summary):
    return [
        *lead,
        summary["satisfied"],
        summary["basically_satisfied"],
        summary["unsatisfied"],
        summary["total"],
        summary["mean"] if summary["mean"] is not None else "—",
        _percent(summary["satisfied_share"]),
        _percent(summary["approval_share"]),
    ]


def round_xlsx(round_) -> bytes:
    """Call only when `selectors.results_withheld(round_)` is None."""
    workbook = Workbook()
    summary = workbook.active
    summary.title = _("概况")
    summary.append([round_.title])
    summary["A1"].font = TITLE_FONT
    for label, value in (
        (_("居民区"), round_.community.name),
        (_("年度"), round_.year),
        (_("开始时间"), _local(round_.opens_at)),
        (_("截止时间"), _local(round_.closes_at)),
        (_("状态"), round_.get_status_display()),
        (_("参与人数"), selectors.participants(round_)),
        (_("应参与人数"), round_.eligible_count if round_.eligible_count is not None else "—"),
        (_("导出时间"), _local(timezone.now())),
    ):
        summary.append([label, value])
    summary.column_dimensions["A"].width = 16
    summary.column_dimensions["B"].width = 40

    sheet = workbook.create_sheet(_("结果"))
    sheet.append(result_columns())
    for cell in sheet[1]:
        cell.font = BOLD
    for cadre in selectors.cadre_results(round_):
        sheet.append(
            _row([cadre["position"], cadre["body_display"], cadre["name"], cadre["post"]], cadre)
        )
    aggregates = selectors.body_aggregates(round_)
    for body in aggregates["bodies"]:
        sheet.append(_row(["", body["body_display"], _("（整体）"), ""], body))
    sheet.append(_row(["", _("两委"), _("（整体）"), ""], aggregates["overall"]))
    for column, width in zip("ABCDEFGHIJK", (6, 12, 14, 14, 8, 10, 8, 10, 14, 10, 18), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
