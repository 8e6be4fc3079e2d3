"""Excel export of an election's turnout and results (openpyxl, as board/exports.py).

Sheets: 概况 (the election and its turnout), 候选人 (votes and the elected once counted) and,
for people-level staff only, 投票户 (which households voted, online or on paper and who
entered it; never which candidates a household chose)."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from . import selectors
from .models import TIE_RULE, Election

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TITLE_FONT = Font(bold=True, size=14)
BOLD = Font(bold=True)


def _local(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%d %H:%M") if dt else ""


def election_xlsx(election, *, ballots=None) -> bytes:
    """`election` from selectors.election_get (annotated); `ballots`: the rows the caller may
    see by household (None: no such sheet)."""
    turnout = selectors.election_results(election)
    counted = election.status == Election.Status.COUNTED
    workbook = Workbook()
    summary = workbook.active
    summary.title = _("概况")
    summary.append([election.title])
    summary["A1"].font = TITLE_FONT
    for label, value in (
        (_("物业管理区域"), election.area.name),
        (_("届次"), election.term_number),
        (_("应选人数"), election.seats),
        (_("状态"), election.get_status_display()),
        (_("投票截止"), _local(election.closes_at)),
        (_("有投票权户数"), turnout["eligible_households"]),
        (_("已投票户数"), turnout["ballots"]),
        (_("投票率"), f"{turnout['rate']}%" if turnout["rate"] is not None else "—"),
        (_("同票规则"), str(TIE_RULE)),
        (_("导出时间"), _local(timezone.now())),
    ):
        summary.append([label, value])
    sheet = workbook.create_sheet(_("候选人"))
    sheet.append([_("序号"), _("姓名"), _("得票数"), _("当选")])
    for cell in sheet[1]:
        cell.font = BOLD
    for candidate in election.candidates.all():
        sheet.append(
            [
                candidate.position,
                candidate.resident.name,
                candidate.votes if counted else _("未计票"),
                (_("当选") if candidate.elected else "") if counted else "",
            ]
        )
    if ballots is not None:
        voters = workbook.create_sheet(_("投票户"))
        voters.append([_("户"), _("投票人"), _("方式"), _("录入人"), _("投票时间")])
        for cell in voters[1]:
            cell.font = BOLD
        for ballot in ballots:
            household = ballot.household
            voters.append(
                [
                    f"{household.building or ''} {household.room}".strip(),
                    ballot.resident.name if ballot.resident else "",
                    ballot.get_channel_display(),
                    ballot.entered_by.get_full_name() if ballot.entered_by else "",
                    _local(ballot.cast_at),
                ]
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
