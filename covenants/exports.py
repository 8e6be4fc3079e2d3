"""Excel exports for workers (openpyxl, as board/exports.py): the signing result of the
current version (summary and, per household within the worker's people scope, who signed how
and through which channel), and the fund per household (pledged, received, every entry)."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from board.exports import BOLD, TITLE_FONT, XLSX_CONTENT_TYPE, _bold_row, _local
from board.models.common import target_label

from . import selectors

__all__ = ["XLSX_CONTENT_TYPE", "fund_xlsx", "signatures_xlsx"]


def _household(household):
    building = household.building.name if household.building_id else ""
    return f"{building} {household.room}".strip()


def _save(workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def signatures_xlsx(covenant, *, actor) -> bytes:
    covenant = selectors.covenant_get(actor=actor, pk=covenant.pk)
    version = covenant.current_version
    progress = selectors.signing_progress(covenant)
    workbook = Workbook()
    summary = workbook.active
    summary.title = _("概况")
    summary.append([covenant.title])
    summary["A1"].font = TITLE_FONT
    rows = [
        (_("适用范围"), target_label(covenant)),
        (_("版本"), version.number),
        (_("状态"), version.get_state_display()),
        (_("通过方式"), version.get_signing_method_display()),
        (_("门槛"), version.threshold_label),
        (_("签署开始"), _local(version.signing_opens_at)),
        (_("签署截止"), _local(version.signing_closes_at)),
    ]
    if progress is not None:
        rows += [
            (_("应参与户数"), progress["eligible"]),
            (_("同意户数"), progress["yes"]),
            (_("反对户数"), progress["no"]),
            (_("达到门槛所需户数"), progress["needed"]),
            (_("是否达到门槛"), _("是") if progress["met"] else _("否")),
        ]
    rows.append((_("导出时间"), _local(timezone.now())))
    for row in rows:
        summary.append(list(row))
    names = workbook.create_sheet(_("签署名单"))
    names.append([_("户"), _("签署居民"), _("意见"), _("方式"), _("录入人"), _("说明"), _("时间")])
    _bold_row(names)
    for signature in selectors.signatures_of(actor=actor, version=version):
        names.append(
            [
                _household(signature.household),
                signature.resident.name if signature.resident_id else "",
                signature.get_choice_display(),
                signature.get_channel_display(),
                signature.entered_by.get_full_name() if signature.entered_by_id else "",
                signature.paper_note,
                _local(signature.signed_at),
            ]
        )
    return _save(workbook)


def fund_xlsx(covenant, *, actor) -> bytes:
    totals = selectors.fund_totals(covenant)
    workbook = Workbook()
    summary = workbook.active
    summary.title = _("概况")
    summary.append([covenant.title])
    summary["A1"].font = TITLE_FONT
    for label, value in (
        (_("资金用途"), covenant.fund_purpose),
        (_("认缴合计（元）"), float(totals["pledged"])),
        (_("实收合计（元）"), float(totals["received"])),
        (_("参与户数"), totals["households"]),
        (_("导出时间"), _local(timezone.now())),
    ):
        summary.append([label, value])
    per = workbook.create_sheet(_("分户"))
    per.append([_("户"), _("认缴（元）"), _("实收（元）")])
    _bold_row(per)
    for household in selectors.fund_by_household(actor=actor, covenant=covenant):
        per.append([_household(household), float(household.pledged), float(household.received)])
    entries = workbook.create_sheet(_("流水"))
    entries.append([_("时间"), _("户"), _("类型"), _("金额（元）"), _("冲正记录"), _("说明")])
    for cell in entries[1]:
        cell.font = BOLD
    for entry in selectors.fund_entries(actor=actor, covenant=covenant):
        entries.append(
            [
                _local(entry.at),
                _household(entry.household),
                entry.get_kind_display(),
                float(entry.signed_amount),
                entry.reverses_id or "",
                entry.reason,
            ]
        )
    return _save(workbook)
