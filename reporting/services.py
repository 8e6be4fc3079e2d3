"""Writes for the lists sent upward: create a list, mark and unmark items, submit, track each
item's status on the list, close.

Workflows (the legal moves; each is one service that locks the row):

    report:  draft ──submit──▶ submitted ──close──▶ closed
             (items are marked and unmarked only while the report is a draft)
    item:    proposed ──▶ accepted ──▶ in_progress ──▶ done(result note)
             proposed ──▶ not_accepted(reason);  accepted ──▶ done(result note)
             (item moves only once the report is submitted, and never once it is closed)
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scope import actor_scope
from cases.models import GridEvent
from core.exceptions import ApplicationError
from core.timeline import timeline_append
from proposals.models import Topic

from .models import ReportItem, ReportItemEvent, UpwardReport

ReportStatus = UpwardReport.Status
ItemStatus = ReportItem.Status

REPORT_TRANSITIONS = {
    ReportStatus.DRAFT: {ReportStatus.SUBMITTED},
    ReportStatus.SUBMITTED: {ReportStatus.CLOSED},
    ReportStatus.CLOSED: set(),
}
ITEM_TRANSITIONS = {
    ItemStatus.PROPOSED: {ItemStatus.ACCEPTED, ItemStatus.NOT_ACCEPTED},
    ItemStatus.ACCEPTED: {ItemStatus.IN_PROGRESS, ItemStatus.DONE},
    ItemStatus.IN_PROGRESS: {ItemStatus.DONE},
    ItemStatus.NOT_ACCEPTED: set(),
    ItemStatus.DONE: set(),
}
MAX_SUMMARY = 1000
MAX_REASON = 200
MAX_RESULT = 500


def invalid(field, message):
    return ApplicationError(message, code="invalid", fields={field: message})


def conflict(message):
    return ApplicationError(message, code="conflict")


def require(actor, perm, obj=None):
    if actor is None or not actor.is_authenticated or not actor.has_perm(perm, obj):
        raise ApplicationError(_("您没有权限进行此操作。"), code="forbidden")


def text(value, field, *, max_length, required=True):
    value = (value or "").strip()
    if required and not value:
        raise invalid(field, _("此项不能为空。"))
    if len(value) > max_length:
        raise invalid(field, _("最多 %(n)s 个字。") % {"n": max_length})
    return value


def _actor_label(actor):
    scope = actor_scope(actor)
    name = actor.get_full_name() or actor.get_username()
    if scope.is_global:
        return _("管理员 %(name)s") % {"name": name}
    return _("街道管理员 %(name)s") % {"name": name}


def _lock_report(report) -> UpwardReport:
    return UpwardReport.objects.select_for_update().get(pk=report.pk)


def _lock_item(item) -> ReportItem:
    return (
        ReportItem.objects.select_for_update(of=("self",)).select_related("report").get(pk=item.pk)
    )


@transaction.atomic
def report_create(*, actor, street, kind, year, title="") -> UpwardReport:
    """A draft list of `kind` for `street` and `year` (one per street, kind and year)."""
    if kind not in UpwardReport.Kind.values:
        raise invalid("kind", _("清单类型无效。"))
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise invalid("year", _("年度无效。")) from None
    if not 2000 <= year <= 2100:
        raise invalid("year", _("年度无效。"))
    report = UpwardReport(street=street, kind=kind, year=year)
    require(actor, "reporting.add_upwardreport", report)
    default_title = _("%(street)s %(year)s年%(kind)s") % {
        "street": street.name,
        "year": year,
        "kind": UpwardReport.Kind(kind).label,
    }
    report.title = text(title, "title", max_length=100, required=False) or default_title
    report.created_by = actor
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        raise conflict(_("该街道本年度已有此类清单。")) from None
    return report


def _check_report_move(report, to_status, doing):
    if to_status not in REPORT_TRANSITIONS[report.status]:
        raise conflict(
            _("清单当前为“%(status)s”，不能%(doing)s。")
            % {"status": report.get_status_display(), "doing": doing}
        )


@transaction.atomic
def report_submit(*, actor, report, now=None) -> UpwardReport:
    """Send the list up; from now on items are tracked and no longer marked or unmarked."""
    report = _lock_report(report)
    require(actor, "reporting.change_upwardreport", report)
    _check_report_move(report, ReportStatus.SUBMITTED, _("报送"))
    if not report.items.exists():
        raise invalid("items", _("清单中还没有事项，不能报送。"))
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = now or timezone.now()
    report.save(update_fields=["status", "submitted_at", "updated_at"])
    return report


@transaction.atomic
def report_close(*, actor, report, now=None) -> UpwardReport:
    """End the year's list; nothing on it changes afterwards."""
    report = _lock_report(report)
    require(actor, "reporting.change_upwardreport", report)
    _check_report_move(report, ReportStatus.CLOSED, _("结束"))
    report.status = ReportStatus.CLOSED
    report.closed_at = now or timezone.now()
    report.save(update_fields=["status", "closed_at", "updated_at"])
    return report


def _subject(report, topic, grid_event):
    if (topic is None) == (grid_event is None):
        raise invalid("subject", _("请选择一个议题或一个网格事件（只能选一个）。"))
    subject = topic or grid_event
    field = "topic" if topic is not None else "grid_event"
    # The subject must belong to the report's street (and so to the admin's street).
    street_id = (
        Topic.objects.filter(pk=subject.pk).values_list("community__street_id", flat=True)
        if topic is not None
        else GridEvent.objects.filter(pk=subject.pk).values_list("community__street_id", flat=True)
    ).first()
    if street_id != report.street_id:
        raise invalid(field, _("只能列入本街道的议题或网格事件。"))
    return field, subject


@transaction.atomic
def item_mark(
    *, actor, report, summary, beyond_reason, topic=None, grid_event=None, now=None
) -> ReportItem:
    """Put a topic or a grid event of the report's street on the draft list."""
    report = _lock_report(report)
    require(actor, "reporting.add_reportitem", report)
    field, subject = _subject(report, topic, grid_event)
    summary = text(summary, "summary", max_length=MAX_SUMMARY)
    beyond_reason = text(beyond_reason, "beyond_reason", max_length=MAX_SUMMARY)
    if report.status != ReportStatus.DRAFT:
        raise conflict(_("清单已报送，不能再列入事项。"))
    if report.items.filter(**{field: subject}).exists():
        raise conflict(_("该事项已在清单中。"))
    now = now or timezone.now()
    last = report.items.order_by("-position").values_list("position", flat=True).first() or 0
    try:
        with transaction.atomic():
            item = ReportItem.objects.create(
                report=report,
                community_id=subject.community_id,
                summary=summary,
                beyond_reason=beyond_reason,
                position=last + 1,
                marked_by=actor,
                marked_at=now,
                status_changed_at=now,
                **{field: subject},
            )
    except IntegrityError:
        raise conflict(_("该事项已在清单中。")) from None
    timeline_append(
        ReportItemEvent,
        subject_field="item",
        subject=item,
        actor=actor,
        actor_label=_actor_label(actor),
        verb="mark",
        to_state=item.status,
        is_public=False,
    )
    return item


@transaction.atomic
def item_unmark(*, actor, item) -> None:
    """Take an item off the list again, only while the list is a draft."""
    item = _lock_item(item)
    _lock_report(item.report)
    require(actor, "reporting.delete_reportitem", item)
    if item.report.status != ReportStatus.DRAFT:
        raise conflict(_("清单已报送，不能移除事项。"))
    item.delete()


@transaction.atomic
def item_set_status(*, actor, item, status, reason="", result_note="", now=None) -> ReportItem:
    """Record where an item stands on the submitted list (a legal move only)."""
    if status not in ItemStatus.values:
        raise invalid("status", _("状态无效。"))
    item = _lock_item(item)
    require(actor, "reporting.change_reportitem", item)
    if status == ItemStatus.NOT_ACCEPTED:
        reason = text(reason, "reason", max_length=MAX_REASON)
    else:
        reason = text(reason, "reason", max_length=MAX_REASON, required=False)
    result_note = text(
        result_note, "result_note", max_length=MAX_RESULT, required=status == ItemStatus.DONE
    )
    if item.report.status != ReportStatus.SUBMITTED:
        raise conflict(_("只有已报送的清单可以更新事项状态。"))
    if status not in ITEM_TRANSITIONS[item.status]:
        raise conflict(
            _("事项当前为“%(from)s”，不能改为“%(to)s”。")
            % {"from": item.get_status_display(), "to": ItemStatus(status).label}
        )
    previous = item.status
    item.status = status
    item.status_changed_at = now or timezone.now()
    if status == ItemStatus.NOT_ACCEPTED:
        item.status_reason = reason
    if result_note:
        item.result_note = result_note
    item.save(
        update_fields=["status", "status_changed_at", "status_reason", "result_note", "updated_at"]
    )
    timeline_append(
        ReportItemEvent,
        subject_field="item",
        subject=item,
        actor=actor,
        actor_label=_actor_label(actor),
        verb="status",
        from_state=previous,
        to_state=status,
        note=reason or result_note,
        is_public=False,
    )
    return item
