"""Meetings: scheduled → held (minutes, attendance, decisions) or cancelled; decisions'
follow-up. A decision linked to a topic leaves a line on that topic's public timeline."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from board.sanitize import clean_html
from notifications.services import notify

from ..models import Attendance, Decision, Forum, Meeting, MeetingEvent, Represents
from ._common import append_event, illegal_move, invalid, require, text
from .forums import lock_forum

TRANSITIONS = {
    Meeting.Status.SCHEDULED: {Meeting.Status.HELD, Meeting.Status.CANCELLED},
    Meeting.Status.HELD: set(),
    Meeting.Status.CANCELLED: set(),
}

FOLLOW_UP_TRANSITIONS = {
    Decision.FollowUp.PENDING: {
        Decision.FollowUp.IN_PROGRESS,
        Decision.FollowUp.DONE,
        Decision.FollowUp.DROPPED,
    },
    Decision.FollowUp.IN_PROGRESS: {Decision.FollowUp.DONE, Decision.FollowUp.DROPPED},
    Decision.FollowUp.DONE: set(),
    Decision.FollowUp.DROPPED: set(),
}

# A joint meeting 三驾马车 is only one when the three bodies sit at the table.
JOINT_BODIES = (
    Represents.NEIGHBOURHOOD_COMMITTEE,
    Represents.OWNERS_COMMITTEE,
    Represents.PROPERTY_COMPANY,
)
MAX_DECISIONS = 30
MAX_GUESTS = 50
SCHEDULED_UPDATABLE = ("title", "held_at", "place", "agenda")


def lock_meeting(meeting) -> Meeting:
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("forum__street", "forum__community")
        .get(pk=meeting.pk)
    )


def _move(meeting, to_state):
    if to_state not in TRANSITIONS[meeting.status]:
        raise illegal_move(Meeting.Status(meeting.status).label)


def _member_accounts(forum):
    ids = forum.members.filter(left_on__isnull=True, account__isnull=False).values("account_id")
    return list(User.objects.filter(pk__in=ids))


def _staff_url(meeting):
    return f"/admin/forums/meeting/{meeting.pk}/change/"


@transaction.atomic
def meeting_create(*, actor, forum, title, held_at, place, agenda) -> Meeting:
    forum = lock_forum(forum)
    require(actor, "forums.add_meeting", forum)
    if forum.status != Forum.Status.ACTIVE:
        raise invalid("forum", _("该议事平台已撤销。"))
    if held_at is None:
        raise invalid("held_at", _("请填写召开时间。"))
    meeting = Meeting.objects.create(
        forum=forum,
        title=text(title, "title", max_length=100),
        held_at=held_at,
        place=text(place, "place", max_length=100),
        agenda=text(agenda, "agenda", max_length=2000),
        created_by=actor,
    )
    append_event(
        MeetingEvent, "meeting", meeting, actor=actor, verb="schedule", to_state=meeting.status
    )
    notify(
        recipients=_member_accounts(forum),
        kind="forums.meeting.scheduled",
        title=_("会议通知：%(title)s") % {"title": meeting.title},
        body=_("%(forum)s 将于 %(at)s 在 %(place)s 开会。")
        % {
            "forum": forum.name,
            "at": timezone.localtime(held_at).strftime("%Y-%m-%d %H:%M"),
            "place": meeting.place,
        },
        subject=meeting,
    )
    return meeting


@transaction.atomic
def meeting_update(*, actor, meeting, **changes) -> Meeting:
    meeting = lock_meeting(meeting)
    require(actor, "forums.change_meeting", meeting)
    if meeting.status != Meeting.Status.SCHEDULED:
        raise illegal_move(Meeting.Status(meeting.status).label)
    unknown = set(changes) - set(SCHEDULED_UPDATABLE)
    if unknown:
        raise invalid(sorted(unknown)[0], _("此项不可修改。"))
    limits = {"title": 100, "place": 100, "agenda": 2000}
    for field, value in changes.items():
        if field == "held_at":
            if value is None:
                raise invalid("held_at", _("请填写召开时间。"))
            meeting.held_at = value
        else:
            setattr(meeting, field, text(value, field, max_length=limits[field]))
    if changes:
        meeting.save(update_fields=[*changes, "updated_at"])
        append_event(
            MeetingEvent, "meeting", meeting, actor=actor, verb="update", fields=list(changes)
        )
    return meeting


def _clean_guests(guests):
    if len(guests) > MAX_GUESTS:
        raise invalid("guests", _("列席嘉宾最多 %(n)s 人。") % {"n": MAX_GUESTS})
    cleaned = []
    for guest in guests:
        name = (guest.get("name") or "").strip()
        represents = guest.get("represents") or Represents.OTHER
        if not name or len(name) > 60:
            raise invalid("guests", _("嘉宾姓名不能为空，最多 60 个字。"))
        if represents not in Represents.values:
            raise invalid("guests", _("代表方无效。"))
        cleaned.append((name, represents))
    return cleaned


def _check_topic(forum, topic):
    if topic is None:
        return
    if forum.community_id is not None:
        ok = topic.community_id == forum.community_id
    else:
        ok = topic.community.street_id == forum.street_id
    if not ok:
        raise invalid("decisions", _("关联议题须属于本议事平台所在的居民区。"))


def _clean_decisions(forum, decisions):
    if len(decisions) > MAX_DECISIONS:
        raise invalid("decisions", _("决定事项最多 %(n)s 条。") % {"n": MAX_DECISIONS})
    cleaned = []
    for row in decisions:
        body = (row.get("text") or "").strip()
        if not body or len(body) > 500:
            raise invalid("decisions", _("决定事项不能为空，最多 500 个字。"))
        topic = row.get("topic")
        _check_topic(forum, topic)
        cleaned.append((body, topic))
    return cleaned


@transaction.atomic
def meeting_hold(
    *,
    actor,
    meeting,
    minutes: str,
    present_members=(),
    guests=(),
    decisions=(),
    held_at=None,
) -> Meeting:
    """Record that the meeting took place: minutes (sanitised), who of the current members was
    there (the others are recorded absent), guests, decisions. Public from now on to the
    residents of the forum's community (attendance names stay with staff)."""
    meeting = lock_meeting(meeting)
    require(actor, "forums.hold_meeting", meeting)
    _move(meeting, Meeting.Status.HELD)
    now = timezone.now()
    held_at = held_at or meeting.held_at
    if held_at > now:
        raise invalid("held_at", _("会议尚未召开：召开时间晚于现在。"))
    minutes = clean_html(minutes)
    if not minutes:
        raise invalid("minutes", _("请填写会议纪要。"))
    forum = meeting.forum
    members = list(forum.members.filter(left_on__isnull=True))
    by_id = {m.pk: m for m in members}
    present_ids = {getattr(m, "pk", m) for m in present_members}
    if present_ids - set(by_id):
        raise invalid("present_members", _("出席成员须是本议事平台的现任成员。"))
    guest_rows = _clean_guests(list(guests))
    decision_rows = _clean_decisions(forum, list(decisions))
    if not present_ids and not guest_rows:
        raise invalid("present_members", _("请记录出席人员。"))
    if forum.kind == Forum.Kind.JOINT_MEETING:
        at_table = {by_id[i].represents for i in present_ids} | {r for _n, r in guest_rows}
        missing = [Represents(b).label for b in JOINT_BODIES if b not in at_table]
        if missing:
            raise invalid(
                "present_members",
                _("三驾马车联席会议须有居委会、业委会、物业公司三方出席，缺少：%(who)s。")
                % {"who": "、".join(str(m) for m in missing)},
            )

    Attendance.objects.bulk_create(
        [
            Attendance(
                meeting=meeting,
                member=m,
                name=m.name,
                represents=m.represents,
                present=m.pk in present_ids,
            )
            for m in members
        ]
        + [
            Attendance(meeting=meeting, name=n, represents=r, present=True, is_guest=True)
            for n, r in guest_rows
        ]
    )
    made = Decision.objects.bulk_create(
        [
            Decision(meeting=meeting, position=i, text=body, topic=topic)
            for i, (body, topic) in enumerate(decision_rows, start=1)
        ]
    )
    meeting.status = Meeting.Status.HELD
    meeting.held_at = held_at
    meeting.minutes = minutes
    meeting.minutes_recorded_at = now
    meeting.save(
        update_fields=["status", "held_at", "minutes", "minutes_recorded_at", "updated_at"]
    )
    append_event(
        MeetingEvent,
        "meeting",
        meeting,
        actor=actor,
        verb="hold",
        from_state=Meeting.Status.SCHEDULED,
        to_state=Meeting.Status.HELD,
        present=len(present_ids),
        guests=len(guest_rows),
        decisions=len(made),
    )
    for decision in made:
        if decision.topic is not None:
            _topic_line(actor, meeting, decision, verb="forum_decision", note=decision.text)
    return meeting


def _topic_line(actor, meeting, decision, *, verb, note):
    """One line on the topic's public timeline through the proposals' own helper."""
    from proposals.models import Topic
    from proposals.services._common import append_event as topic_append_event

    topic = Topic.objects.select_related("community__street", "grid").get(pk=decision.topic_id)
    topic_append_event(
        topic,
        actor=actor,
        verb=verb,
        note=_("%(forum)s「%(meeting)s」：%(text)s")
        % {"forum": meeting.forum.name, "meeting": meeting.title, "text": note},
        meeting=meeting.pk,
        decision=decision.pk,
    )


@transaction.atomic
def meeting_cancel(*, actor, meeting, reason: str) -> Meeting:
    meeting = lock_meeting(meeting)
    require(actor, "forums.cancel_meeting", meeting)
    _move(meeting, Meeting.Status.CANCELLED)
    reason = text(reason, "reason", max_length=200)
    meeting.status = Meeting.Status.CANCELLED
    meeting.cancelled_at = timezone.now()
    meeting.cancel_reason = reason
    meeting.save(update_fields=["status", "cancelled_at", "cancel_reason", "updated_at"])
    append_event(
        MeetingEvent,
        "meeting",
        meeting,
        actor=actor,
        verb="cancel",
        from_state=Meeting.Status.SCHEDULED,
        to_state=Meeting.Status.CANCELLED,
        note=reason,
    )
    notify(
        recipients=_member_accounts(meeting.forum),
        kind="forums.meeting.cancelled",
        title=_("会议取消：%(title)s") % {"title": meeting.title},
        body=reason,
        subject=meeting,
    )
    return meeting


@transaction.atomic
def decision_follow_up(*, actor, decision, follow_up: str, note: str = "") -> Decision:
    decision = (
        Decision.objects.select_for_update(of=("self",))
        .select_related("meeting__forum")
        .get(pk=decision.pk)
    )
    require(actor, "forums.follow_up_decision", decision)
    if follow_up not in Decision.FollowUp.values:
        raise invalid("follow_up", _("落实情况无效。"))
    if follow_up not in FOLLOW_UP_TRANSITIONS[decision.follow_up]:
        raise illegal_move(Decision.FollowUp(decision.follow_up).label)
    note = text(note, "note", max_length=200, required=follow_up == Decision.FollowUp.DROPPED)
    previous = decision.follow_up
    decision.follow_up = follow_up
    decision.follow_up_note = note
    decision.save(update_fields=["follow_up", "follow_up_note", "updated_at"])
    meeting = decision.meeting
    append_event(
        MeetingEvent,
        "meeting",
        meeting,
        actor=actor,
        verb="decision_follow_up",
        from_state=previous,
        to_state=follow_up,
        note=note,
        decision=decision.pk,
    )
    if decision.topic_id is not None and follow_up in (
        Decision.FollowUp.DONE,
        Decision.FollowUp.DROPPED,
    ):
        label = Decision.FollowUp(follow_up).label
        _topic_line(
            actor,
            meeting,
            decision,
            verb="forum_decision_follow_up",
            note=f"{decision.text}（{label}{'：' + note if note else ''}）",
        )
    return decision
