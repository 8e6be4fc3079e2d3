"""Writes for grid events 网格事件. Each move is one function: it locks the row, checks the
table below and the permission, stamps the `<state>_at` time, appends one timeline row (and,
for an event filed from a topic, the public steps on the topic's own timeline), and notifies
after commit (notifications.services.notify defers delivery to on_commit).

The legal moves (GridEvent.State):

    filed       → dispatched (to a department; deadline = dispatched_at + category hours)
                → cancelled (reason)
    dispatched  → accepted | returned (reason)
    returned    → dispatched (again, maybe elsewhere) | cancelled (reason)
    accepted    → handled (evidence photos, note)
    handled     → closed (check passed on the spot 核查) | accepted (check failed: reopened)
    closed, cancelled: final
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.timeline import timeline_append
from notifications.services import notify

from ..models import Department, DepartmentStaff, EventPhoto, GridEvent, GridEventStep
from ..validators import MAX_PHOTOS, validate_photo
from ._common import actor_label, conflict, invalid, require, text

State = GridEvent.State
Source = GridEvent.Source

TRANSITIONS = {
    State.FILED: {State.DISPATCHED, State.CANCELLED},
    State.DISPATCHED: {State.ACCEPTED, State.RETURNED},
    State.RETURNED: {State.DISPATCHED, State.CANCELLED},
    State.ACCEPTED: {State.HANDLED},
    State.HANDLED: {State.CLOSED, State.ACCEPTED},
    State.CLOSED: set(),
    State.CANCELLED: set(),
}
MAX_DESCRIPTION = 2000


def _lock(event) -> GridEvent:
    """Every read-then-write of an event goes through this row lock, so two people (or a
    person and the clock) never both move it from the same state."""
    return (
        GridEvent.objects.select_for_update(of=("self",))
        .select_related("community__street", "grid", "category", "department", "topic")
        .get(pk=event.pk)
    )


def _check_move(event, to_state, doing):
    if to_state not in TRANSITIONS[event.state]:
        raise conflict(
            _("事件当前为“%(state)s”，不能%(doing)s。")
            % {"state": event.get_state_display(), "doing": doing}
        )


def _photos(photos, *, required, field="photos"):
    photos = [p for p in (photos or ()) if p]
    if required and not photos:
        raise invalid(field, _("请至少上传一张现场照片。"))
    if len(photos) > MAX_PHOTOS:
        raise invalid(field, _("最多上传 %(n)s 张照片。") % {"n": MAX_PHOTOS})
    for upload in photos:
        try:
            validate_photo(upload)
        except ValidationError as exc:
            raise invalid(field, exc.messages[0]) from None
    return photos


def _store_photos(event, actor, photos, stage):
    for upload in photos:
        EventPhoto.objects.create(event=event, stage=stage, file=upload, uploaded_by=actor)


# What the topic's residents read on its public timeline for each public step of the event.
TOPIC_NOTES = {
    "file": lambda e: _("社区已就此议题上报网格事件，将派往相关部门处置。"),
    "dispatch": lambda e: (
        _("网格事件已派往%(department)s处置。") % {"department": e.department.name}
    ),
    "accept": lambda e: _("%(department)s已受理。") % {"department": e.department.name},
    "handle": lambda e: (
        _("%(department)s已处置完毕，待社区现场核查。") % {"department": e.department.name}
    ),
    "check_pass": lambda e: _("社区现场核查通过，事件已办结。"),
    "check_fail": lambda e: _("社区现场核查未通过，已发回重新处置。"),
    "cancel": lambda e: _("网格事件已撤销。"),
}


def _step(event, *, actor, verb, from_state="", note="", is_public=True, move=True, **data):
    timeline_append(
        GridEventStep,
        subject_field="event",
        subject=event,
        actor=actor,
        actor_label=actor_label(actor, event),
        verb=verb,
        note=note,
        from_state=from_state,
        to_state=event.state if move else "",
        is_public=is_public,
        **data,
    )
    if event.topic_id and is_public and verb in TOPIC_NOTES:
        # The topic's own timeline helper (proposals), so its residents follow the event.
        from proposals.services._common import append_event as topic_append

        topic_append(
            event.topic,
            actor=actor,
            verb=f"event_{verb}",
            note=TOPIC_NOTES[verb](event),
            grid_event=event.pk,
        )


def _department_staff(department_id):
    return [
        m.user
        for m in DepartmentStaff.objects.filter(
            department_id=department_id, is_active=True
        ).select_related("user")
    ]


def _admin_url(event):
    return f"/admin/cases/gridevent/{event.pk}/change/"


def _tell_department(event, *, kind, title):
    notify(
        recipients=_department_staff(event.department_id),
        kind=kind,
        title=title,
        body=event.description[:200],
        url=_admin_url(event),
        subject=event,
    )


def _tell_filer(event, *, kind, title, body=""):
    notify(
        recipients=[event.filed_by],
        kind=kind,
        title=title,
        body=body,
        url=_admin_url(event),
        subject=event,
    )


def _resolve_place(*, grid, building, patrol_problem, visit, topic):
    """The grid (and community) follow from the source record when there is one, so a caller
    cannot name a patrol of one grid and the building of another."""
    source = Source.DIRECT
    if sum(x is not None for x in (patrol_problem, visit, topic)) > 1:
        raise invalid("source", _("事件只能有一个来源。"))
    if patrol_problem is not None:
        source, grid = Source.PATROL, patrol_problem.grid
    elif visit is not None:
        source, grid = Source.VISIT, visit.grid
    elif topic is not None:
        source = Source.TOPIC
        grid = topic.grid or grid
        if grid is not None and grid.community_id != topic.community_id:
            raise invalid("grid", _("微网格须属于议题所在的居民区。"))
    if grid is None:
        raise invalid("grid", _("请选择微网格。"))
    if building is not None and building.community_id != grid.community_id:
        raise invalid("building", _("楼组须属于该微网格所在的居民区。"))
    return source, grid


@transaction.atomic
def grid_event_file(
    *,
    actor,
    category,
    description,
    grid=None,
    building=None,
    location="",
    photos=(),
    patrol_problem=None,
    visit=None,
    topic=None,
    now=None,
) -> GridEvent:
    """Record an event found in a grid. Filed from a patrol it carries at least one photo."""
    now = now or timezone.now()
    source, grid = _resolve_place(
        grid=grid, building=building, patrol_problem=patrol_problem, visit=visit, topic=topic
    )
    event = GridEvent(
        community=grid.community,
        grid=grid,
        building=building,
        source=source,
        patrol_problem=patrol_problem,
        visit=visit,
        topic=topic,
    )
    require(actor, "cases.file_gridevent", event, _("只有本网格的网格长和社区工作者可以上报事件。"))
    if category is None or category.street_id != grid.community.street_id or not category.is_active:
        raise invalid("category", _("请选择本街道在用的事件类别。"))
    event.category = category
    event.description = text(description, "description", max_length=MAX_DESCRIPTION)
    event.location = text(location, "location", max_length=100, required=False)
    photos = _photos(photos, required=source == Source.PATROL)
    event.filed_at, event.filed_by, event.state = now, actor, State.FILED
    event.save()
    _store_photos(event, actor, photos, EventPhoto.Stage.FILED)
    _step(event, actor=actor, verb="file", source=source)
    return event


@transaction.atomic
def grid_event_dispatch(*, actor, event, department=None, now=None) -> GridEvent:
    """Send the event to a department (the category's default when none is named); its
    deadline is stored now: dispatched_at + the category's handling hours."""
    now = now or timezone.now()
    event = _lock(event)
    require(actor, "cases.dispatch_gridevent", event)
    _check_move(event, State.DISPATCHED, _("派单"))
    department = department or event.category.default_department
    if department is None:
        raise invalid("department", _("请选择处置部门。"))
    department = Department.objects.get(pk=department.pk)
    if not department.is_active or department.street_id != event.community.street_id:
        raise invalid("department", _("请选择本街道在用的部门。"))
    covered = department.communities.values_list("pk", flat=True)
    if covered and event.community_id not in set(covered):
        raise invalid("department", _("该部门不负责本居民区（分工包社区）。"))
    from_state = event.state
    event.state = State.DISPATCHED
    event.department = department
    event.dispatched_at = now
    event.due_at = now + datetime.timedelta(hours=event.category.handling_hours)
    event.return_reason = ""
    event.save()
    if event.patrol_problem_id:
        _route_patrol_problem(actor, event)
    _step(event, actor=actor, verb="dispatch", from_state=from_state, department=department.pk)
    _tell_department(
        event,
        kind="cases.event.dispatched",
        title=_("新派单：%(event)s，须在 %(due)s 前处置")
        % {"event": event, "due": timezone.localtime(event.due_at).strftime("%m-%d %H:%M")},
    )
    return event


def _route_patrol_problem(actor, event):
    """The patrol problem this event came from is routed on the grid's own record, once."""
    from grids.models import PatrolProblem
    from grids.services.work import patrol_problem_route

    problem = event.patrol_problem
    if problem.status == PatrolProblem.Status.OPEN:
        patrol_problem_route(
            actor=actor,
            problem=problem,
            department=event.department.name,
            note=_("网格事件 #%(id)s") % {"id": event.pk},
        )


@transaction.atomic
def grid_event_accept(*, actor, event, now=None) -> GridEvent:
    event = _lock(event)
    require(actor, "cases.accept_gridevent", event)
    _check_move(event, State.ACCEPTED, _("受理"))
    if event.state != State.DISPATCHED:
        raise conflict(_("只有已派单的事件可以受理。"))
    event.state, event.accepted_at = State.ACCEPTED, now or timezone.now()
    event.save()
    _step(event, actor=actor, verb="accept", from_state=State.DISPATCHED)
    return event


@transaction.atomic
def grid_event_return(*, actor, event, reason, now=None) -> GridEvent:
    """The department refuses the event (not theirs, not enough to act on), with a reason; the
    grid side re-dispatches or cancels it."""
    event = _lock(event)
    require(actor, "cases.return_gridevent", event)
    _check_move(event, State.RETURNED, _("退回"))
    reason = text(reason, "reason", max_length=200)
    event.state, event.returned_at, event.return_reason = (
        State.RETURNED,
        now or timezone.now(),
        reason,
    )
    event.returned_count += 1
    event.save()
    _step(
        event, actor=actor, verb="return", from_state=State.DISPATCHED, note=reason, is_public=False
    )
    _tell_filer(
        event,
        kind="cases.event.returned",
        title=_("事件被退回：%(event)s") % {"event": event},
        body=reason,
    )
    return event


@transaction.atomic
def grid_event_handle(*, actor, event, note, photos=(), now=None) -> GridEvent:
    """The department reports the event handled, with evidence photos; whether it was on time
    is stored now, once."""
    now = now or timezone.now()
    event = _lock(event)
    require(actor, "cases.handle_gridevent", event)
    _check_move(event, State.HANDLED, _("报告处置完毕"))
    note = text(note, "note", max_length=MAX_DESCRIPTION)
    photos = _photos(photos, required=True)
    event.state, event.handled_at, event.handled_note = State.HANDLED, now, note
    event.handled_on_time = now <= event.due_at
    event.save()
    _store_photos(event, actor, photos, EventPhoto.Stage.HANDLED)
    _step(event, actor=actor, verb="handle", from_state=State.ACCEPTED, note=note)
    _tell_filer(
        event,
        kind="cases.event.handled",
        title=_("事件已处置，请现场核查：%(event)s") % {"event": event},
        body=note[:200],
    )
    return event


def _local_week(moment):
    return timezone.localdate(moment).isocalendar()[:2]


@transaction.atomic
def grid_event_check_pass(*, actor, event, note="", now=None) -> GridEvent:
    """核查 passed on the spot: closed. 周周清 (closed in the ISO week it was filed, Asia/
    Shanghai) is stored now, once."""
    now = now or timezone.now()
    event = _lock(event)
    require(actor, "cases.check_gridevent", event)
    _check_move(event, State.CLOSED, _("核查办结"))
    event.state, event.checked_at, event.checked_by, event.closed_at = (
        State.CLOSED,
        now,
        actor,
        now,
    )
    event.cleared_within_week = _local_week(now) == _local_week(event.filed_at)
    event.save()
    note = text(note, "note", max_length=200, required=False)
    _step(event, actor=actor, verb="check_pass", from_state=State.HANDLED, note=note)
    return event


@transaction.atomic
def grid_event_check_fail(*, actor, event, reason, now=None) -> GridEvent:
    """核查 failed: back to the department for handling (the deadline stays what was promised)."""
    event = _lock(event)
    require(actor, "cases.check_gridevent", event)
    if event.state != State.HANDLED:
        raise conflict(
            _("事件当前为“%(state)s”，不能核查。") % {"state": event.get_state_display()}
        )
    reason = text(reason, "reason", max_length=200)
    event.state, event.checked_at, event.checked_by = (
        State.ACCEPTED,
        now or timezone.now(),
        actor,
    )
    event.reopened_count += 1
    event.handled_on_time = None
    event.save()
    _step(event, actor=actor, verb="check_fail", from_state=State.HANDLED, note=reason)
    _tell_department(
        event,
        kind="cases.event.reopened",
        title=_("核查未通过，请重新处置：%(event)s") % {"event": event},
    )
    return event


@transaction.atomic
def grid_event_cancel(*, actor, event, reason, now=None) -> GridEvent:
    event = _lock(event)
    require(actor, "cases.cancel_gridevent", event)
    _check_move(event, State.CANCELLED, _("撤销"))
    reason = text(reason, "reason", max_length=200)
    from_state = event.state
    event.state, event.cancelled_at, event.cancel_reason = (
        State.CANCELLED,
        now or timezone.now(),
        reason,
    )
    event.save()
    _step(event, actor=actor, verb="cancel", from_state=from_state, note=reason)
    return event


@transaction.atomic
def grid_event_mark_overdue(*, event, level, now=None) -> GridEvent:
    """The clock's note on the event's internal timeline when a reminder level fires (no state
    change: overdue is derived from the stored deadline)."""
    event = _lock(event)
    if not event.is_overdue(now or timezone.now()):
        return event
    verb = "overdue" if level == "overdue" else "escalated"
    _step(event, actor=None, verb=verb, is_public=False, move=False, level=level)
    return event
