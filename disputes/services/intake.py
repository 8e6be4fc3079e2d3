"""Intake: sweeps 排查 and the reception roster 接访."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import DisputeSweep, ReceptionDay, ReceptionRecord
from ._common import conflict, invalid, require, text


@transaction.atomic
def sweep_record(
    *, actor, grid, swept_on: datetime.date, found_count: int = 0, note: str = ""
) -> DisputeSweep:
    """Record one sweep of a micro-grid, also (especially) when nothing was found."""
    require(actor, "disputes.add_disputesweep", grid)
    if swept_on > timezone.localdate():
        raise invalid("swept_on", _("排查日期不能晚于今天。"))
    if found_count is None or found_count < 0:
        raise invalid("found_count", _("发现数不能为负。"))
    return DisputeSweep.objects.create(
        community_id=grid.community_id,
        grid=grid,
        swept_on=swept_on,
        swept_by=actor,
        found_count=found_count,
        note=text(note, "note", max_length=300, required=False),
    )


@transaction.atomic
def reception_day_schedule(
    *, actor, community, day: datetime.date, time_slot: str, receivers, place: str = "", note=""
) -> ReceptionDay:
    """Put a reception slot on a community's roster with the staff who receive."""
    require(actor, "disputes.add_receptionday", community)
    receivers = list(receivers or [])
    if not receivers:
        raise invalid("receivers", _("请至少选择一名接访人员。"))
    if any(not u.is_active for u in receivers):
        raise invalid("receivers", _("接访人员账号已停用。"))
    slot = text(time_slot, "time_slot", max_length=32)
    try:
        with transaction.atomic():
            row = ReceptionDay.objects.create(
                community=community,
                day=day,
                time_slot=slot,
                place=text(place, "place", max_length=100, required=False),
                note=text(note, "note", max_length=200, required=False),
            )
    except IntegrityError as exc:
        raise conflict(_("该时段已有接访安排。")) from exc
    row.receivers.set(receivers)
    return row


@transaction.atomic
def setting_save(*, actor, street, followup_days: int):
    """A street admin sets the street's follow-up period (days after the outcome)."""
    from ..models import DisputeSetting

    require(actor, "disputes.change_disputesetting", street)
    if not 1 <= (followup_days or 0) <= 180:
        raise invalid("followup_days", _("回访期限须在 1 到 180 天之间。"))
    row, _created = DisputeSetting.objects.update_or_create(
        street=street, defaults={"followup_days": followup_days}
    )
    return row


@transaction.atomic
def reception_record_add(
    *, actor, reception, matter: str, resident=None, visitor: str = ""
) -> ReceptionRecord:
    """Record one resident received at a slot (by one of its receivers or the community's
    managers)."""
    require(actor, "disputes.add_receptionrecord", reception)
    if reception.day > timezone.localdate():
        raise invalid("reception", _("接访日期未到，不能登记接访记录。"))
    visitor = text(visitor, "visitor", max_length=32, required=False)
    if resident is not None:
        if resident.community_id != reception.community_id:
            raise invalid("resident", _("该居民不在本居民区。"))
        visitor = visitor or resident.name
    elif not visitor:
        raise invalid("visitor", _("请选择居民，或填写来访人。"))
    return ReceptionRecord.objects.create(
        reception=reception,
        resident=resident,
        visitor=visitor,
        matter=text(matter, "matter", max_length=2000),
        received_by=actor,
    )
