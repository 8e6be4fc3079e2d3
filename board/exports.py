"""Excel export of a consultation's turnout and results (openpyxl, as volunteers/exports.py).

Sheets: 概况 (the consultation and its turnout), 结果 (every option's count and share), 意见
(free-text opinions, without names) and, for people-level staff only, 参与名单 (who answered,
online or on paper and who entered it). District leaders get the aggregates and the words,
never the names. All counts come from selectors.consultation_results (counted in the DB)."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from . import selectors
from .models.common import target_label

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TITLE_FONT = Font(bold=True, size=14)
BOLD = Font(bold=True)


def _local(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%d %H:%M") if dt else ""


def _bold_row(sheet):
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD


def _percent(value):
    return f"{value}%" if value is not None else "—"


def consultation_xlsx(consultation, *, respondents=None) -> bytes:
    """`respondents`: the answer sheets the caller may see by name (None: no names sheet)."""
    results = selectors.consultation_results(consultation)
    turnout = results["turnout"]
    workbook = Workbook()
    summary = workbook.active
    summary.title = _("概况")
    summary.append([consultation.title])
    summary["A1"].font = TITLE_FONT
    per = consultation.get_one_per_display()
    for label, value in (
        (_("类型"), consultation.get_kind_display()),
        (_("参与范围"), target_label(consultation)),
        (_("开始时间"), _local(consultation.opens_at)),
        (_("截止时间"), _local(consultation.closes_at)),
        (_("状态"), str(consultation.phase().label)),
        (_("参与单位"), per),
        (_("应参与数"), turnout["eligible"]),
        (_("已参与数"), turnout["responses"]),
        (_("其中线上"), turnout["online"]),
        (_("其中纸质"), turnout["paper"]),
        (_("参与率"), _percent(turnout["rate"])),
        (_("导出时间"), _local(timezone.now())),
    ):
        summary.append([label, value])
    summary.column_dimensions["A"].width = 16
    summary.column_dimensions["B"].width = 40

    sheet = workbook.create_sheet(_("结果"))
    sheet.append([_("序号"), _("问题"), _("选项"), _("票数"), _("占答题人数")])
    _bold_row(sheet)
    for question in results["questions"]:
        if question["kind"] == "text":
            sheet.append(
                [
                    question["position"],
                    question["text"],
                    _("（填写意见）"),
                    question["text_answers"],
                    "",
                ]
            )
            continue
        for option in question["options"]:
            sheet.append(
                [
                    question["position"],
                    question["text"],
                    option["text"],
                    option["count"],
                    _percent(option["share"]),
                ]
            )
        sheet.append(["", "", _("答题人数"), question["respondents"], ""])
    for column, width in zip("ABCDE", (8, 40, 30, 10, 14), strict=True):
        sheet.column_dimensions[column].width = width

    opinions = workbook.create_sheet(_("意见"))
    opinions.append([_("序号"), _("问题"), _("意见")])
    _bold_row(opinions)
    for answer in selectors.text_answers(consultation):
        opinions.append([answer.question.position, answer.question.text, answer.text])
    opinions.column_dimensions["B"].width = 40
    opinions.column_dimensions["C"].width = 80

    if respondents is not None:
        names = workbook.create_sheet(_("参与名单"))
        names.append(
            [_("姓名"), _("楼组"), _("室号"), _("方式"), _("录入人"), _("提交时间"), _("说明")]
        )
        _bold_row(names)
        for response in respondents:
            resident = response.resident
            names.append(
                [
                    resident.name if resident else _("（记录已删除）"),
                    str(resident.building) if resident and resident.building_id else "",
                    resident.room if resident else "",
                    response.get_channel_display(),
                    response.entered_by.get_full_name() if response.entered_by_id else "",
                    _local(response.submitted_at),
                    response.paper_note,
                ]
            )
        for column in "ABCDEFG":
            names.column_dimensions[column].width = 16
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
