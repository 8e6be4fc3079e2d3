"""Raising a topic and moving it through the workflow table (proposals.workflow)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scope import Level, actor_scope
from core.exceptions import ApplicationError
from grids.models import Community

from ..models import CommunityPolicy, Topic, TopicPhoto, policy_for_street
from ..validators import MAX_PHOTOS_PER_TOPIC, validate_photo
from ..workflow import FIRST_RESPONSES, STATE_STAMP, TRANSITIONS, Action
from ._common import (
    append_event,
    lock_topic,
    notify_watchers,
    require,
    require_resident,
    required_text,
    responsible_staff,
)

S = Topic.State


def _invalid(field, message):
    return ApplicationError(message, fields={field: message})


def _check_photos(photos):
    photos = list(photos or [])
    if len(photos) > MAX_PHOTOS_PER_TOPIC:
        raise _invalid("photos", _("最多上传 %(n)d 张图片。") % {"n": MAX_PHOTOS_PER_TOPIC})
    for photo in photos:
        try:
            validate_photo(photo)
        except ValidationError as exc:
            raise _invalid("photos", exc.messages[0]) from exc
    return photos


@transaction.atomic
def topic_raise(
    *,
    actor,
    title,
    body,
    category,
    community=None,
    grid=None,
    building=None,
    source=Topic.Source.APP,
    on_behalf_of=None,
    photos=(),
) -> Topic:
    """A resident raises a topic in their own community from the phone, or a worker enters
    one heard on a visit, at the board or the suggestion box (for a resident or not)."""
    if actor is None or not actor.is_authenticated:
        raise ApplicationError(_("请先登录。"), code="forbidden")
    scope = actor_scope(actor)
    resident = getattr(actor, "resident", None)
    if (
        community is not None
        and actor.has_perm("proposals.work_topic", None)
        and scope.covers(community, Level.PEOPLE)
    ):
        entered_by, raised_by = actor, None
        if on_behalf_of is not None:
            if on_behalf_of.community_id != community.pk:
                raise _invalid("on_behalf_of", _("代为提出的居民不在该居民区。"))
            raised_by = on_behalf_of.account
    elif scope.is_staff_scope and resident is None:
        if community is None:
            raise _invalid("community", _("请选择居民区。"))
        raise ApplicationError(_("您不能在该居民区录入议题。"), code="forbidden")
    else:
        require_resident(actor, community or resident_community(actor), _("提出议题"))
        if resident is None:
            raise ApplicationError(_("您的账号尚未关联居民档案，请联系居委会。"), code="forbidden")
        if community is not None and community.pk != resident.community_id:
            raise ApplicationError(_("只能在本居民区提出议题。"), code="forbidden")
        community = Community.objects.select_related("street").get(pk=resident.community_id)
        entered_by, raised_by, on_behalf_of = None, actor, None
        source = Topic.Source.APP
        grid = grid or resident.grid
        building = building or resident.building

    title = required_text(title, "title", _("请填写标题。"), max_length=80)
    body = required_text(body, "body", _("请填写内容。"), max_length=4000)
    if category is None:
        raise _invalid("category", _("请选择类别。"))
    if category.street_id != community.street_id or not category.is_active:
        raise _invalid("category", _("该类别不属于本街道或已停用。"))
    if grid is not None and grid.community_id != community.pk:
        raise _invalid("grid", _("微网格不属于该居民区。"))
    if building is not None:
        if building.community_id != community.pk:
            raise _invalid("building", _("楼组不属于该居民区。"))
        grid = grid or building.grid
        if building.grid_id != grid.pk:
            raise _invalid("building", _("楼组不属于该微网格。"))
    if source not in Topic.Source.values:
        raise _invalid("source", _("来源无效。"))
    photos = _check_photos(photos)

    policy = policy_for_street(community.street_id)
    now = timezone.now()
    due = now + policy.first_response_delta
    topic = Topic.objects.create(
        title=title,
        body=body,
        category=category,
        community=community,
        grid=grid,
        building=building,
        source=source,
        raised_by=raised_by,
        entered_by=entered_by,
        on_behalf_of=on_behalf_of,
        raised_at=now,
        first_response_due_at=due,
        first_response_remind_at=max(now, due - policy.remind_before_delta),
    )
    for photo in photos:
        TopicPhoto.objects.create(topic=topic, image=photo, uploaded_by=actor)
    append_event(
        topic,
        actor=actor,
        verb="raised",
        to_state=S.RAISED,
        note=_("来源：%(source)s") % {"source": topic.get_source_display()},
    )
    # Nothing is enqueued per topic: the reminder sweep reads first_response_due_at, so a
    # topic saved while the broker is down is still reminded on time.
    return topic


def resident_community(actor):
    ids = actor_scope(actor).resident_community_ids
    return Community.objects.filter(pk__in=ids).first() if ids else None


def _move(topic, action, *, actor, note="", now=None, verb=None, extra=None) -> Topic:
    """Apply one row of TRANSITIONS to a locked topic: state, stamps, timeline, notices."""
    now = now or timezone.now()
    target = TRANSITIONS.get(topic.state, {}).get(action)
    if target is None:
        raise ApplicationError(
            _("议题当前状态为“%(state)s”，不能%(action)s。")
            % {"state": topic.get_state_display(), "action": Action(action).label},
            code="conflict",
        )
    source = topic.state
    fields = {"state"}
    if action in FIRST_RESPONSES and topic.first_responded_at is None:
        # Recorded once, when it happens; the dashboards read it, never recompute it.
        topic.first_responded_at = now
        topic.responded_on_time = now <= topic.first_response_due_at
        fields |= {"first_responded_at", "responded_on_time"}
    topic.state = target
    stamp = STATE_STAMP.get(target)
    if stamp and target != source:
        setattr(topic, stamp, now)
        fields.add(stamp)
    for name, value in (extra or {}).items():
        setattr(topic, name, value)
        fields.add(name)
    topic.save(update_fields=sorted(fields | {"updated_at"}))
    append_event(
        topic, actor=actor, verb=verb or action, note=note, from_state=source, to_state=target
    )
    notify_watchers(
        topic,
        actor=actor,
        kind=f"proposals.topic.{verb or action}",
        title=_("您关注的议题“%(title)s”%(what)s")
        % {
            "title": topic.title,
            "what": Action(action).label if action != Action.ANSWER else _("已得到回应"),
        },
        body=note,
    )
    return topic


@transaction.atomic
def topic_answer(*, actor, topic, text) -> Topic:
    text = required_text(text, "text", _("请填写回应内容。"), max_length=4000)
    topic = lock_topic(topic)
    require(actor, "proposals.answer_topic", topic, _("您不能回应该议题。"))
    return _move(topic, Action.ANSWER, actor=actor, note=text)


@transaction.atomic
def topic_solve(*, actor, topic, text) -> Topic:
    """Solved directly (counts as a problem solved); the raiser is asked to confirm."""
    text = required_text(text, "text", _("请说明如何解决。"), max_length=4000)
    topic = lock_topic(topic)
    require(actor, "proposals.solve_topic", topic, _("您不能处理该议题。"))
    return _move(
        topic,
        Action.SOLVE,
        actor=actor,
        note=text,
        extra={"solution_confirmed": None, "confirmed_at": None},
    )


@transaction.atomic
def topic_decline(*, actor, topic, reason) -> Topic:
    reason = required_text(reason, "reason", _("不予采纳须公开说明理由。"), max_length=2000)
    topic = lock_topic(topic)
    require(actor, "proposals.decline_topic", topic, _("您不能处理该议题。"))
    return _move(topic, Action.DECLINE, actor=actor, note=reason, extra={"decline_reason": reason})


@transaction.atomic
def topic_merge(*, actor, topic, into, note="") -> Topic:
    if into is None:
        raise _invalid("into", _("请选择要合并到的议题。"))
    if into.pk == topic.pk:
        raise _invalid("into", _("不能合并到议题自身。"))
    # Lock both in id order: two merges crossing each other cannot deadlock.
    first, second = sorted([topic, into], key=lambda t: t.pk)
    locked = {first.pk: lock_topic(first), second.pk: lock_topic(second)}
    topic, into = locked[topic.pk], locked[into.pk]
    require(actor, "proposals.merge_topic", topic, _("您不能处理该议题。"))
    if into.community_id != topic.community_id:
        raise _invalid("into", _("只能合并到同一居民区的议题。"))
    if into.state == S.MERGED:
        raise _invalid("into", _("目标议题已被合并，请合并到它所合并到的议题。"))
    note = (note or "").strip() or _("与议题 #%(id)d “%(title)s”重复") % {
        "id": into.pk,
        "title": into.title,
    }
    _move(topic, Action.MERGE, actor=actor, note=note, extra={"merged_into": into})
    append_event(
        into,
        actor=actor,
        verb="merged_from",
        note=_("议题 #%(id)d “%(title)s”已合并到本议题") % {"id": topic.pk, "title": topic.title},
        merged_topic=topic.pk,
    )
    return topic


def community_hands_threshold(community) -> int:
    override = (
        CommunityPolicy.objects.filter(community_id=community.pk)
        .values_list("hands_threshold", flat=True)
        .first()
    )
    return override or policy_for_street(community.street_id).hands_threshold


@transaction.atomic
def topic_open_for_hands(*, actor, topic, deadline=None, threshold=None, note="") -> Topic:
    now = timezone.now()
    topic = lock_topic(topic)
    require(actor, "proposals.open_topic", topic, _("您不能处理该议题。"))
    if threshold is None:
        threshold = community_hands_threshold(topic.community)
    if not isinstance(threshold, int) or threshold < 1:
        raise _invalid("threshold", _("立项举手数至少为 1。"))
    if deadline is None:
        days = policy_for_street(topic.community.street_id).hands_window_days
        deadline = now + datetime.timedelta(days=days)
    if deadline <= now:
        raise _invalid("deadline", _("举手截止时间须晚于现在。"))
    note = (note or "").strip() or _("开放举手，截至 %(deadline)s，达到 %(n)d 人即可立项") % {
        "deadline": timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M"),
        "n": threshold,
    }
    return _move(
        topic,
        Action.OPEN_FOR_HANDS,
        actor=actor,
        note=note,
        now=now,
        extra={"hands_deadline": deadline, "hands_threshold": threshold},
    )


def hands_reached(topic) -> bool:
    return topic.party_branch_hand_at is not None or (
        topic.hands_threshold is not None and topic.hand_count >= topic.hands_threshold
    )


@transaction.atomic
def topic_adopt(*, actor, topic, note="") -> Topic:
    """Adopted 立项: the threshold was reached or the party branch raised its hand. The
    projects app calls this inside project_adopt, in the same transaction."""
    topic = lock_topic(topic)
    require(actor, "proposals.adopt_topic", topic, _("您不能为该议题立项。"))
    if topic.state == S.OPEN_FOR_HANDS and not hands_reached(topic):
        raise ApplicationError(
            _("举手数未达到立项标准（%(count)d/%(threshold)d），党组织也未举手。")
            % {"count": topic.hand_count, "threshold": topic.hands_threshold},
            code="conflict",
        )
    note = (note or "").strip() or (
        _("党组织举手认领，立项")
        if topic.party_branch_hand_at and topic.hand_count < (topic.hands_threshold or 0)
        else _("举手数达到 %(n)d，立项") % {"n": topic.hand_count}
    )
    return _move(topic, Action.ADOPT, actor=actor, note=note)


@transaction.atomic
def topic_lapse(*, actor=None, topic, now=None) -> Topic:
    """The hands deadline passed short of the threshold. Done by the hands-deadline clock
    (actor None, the system) or by a worker once the deadline has passed."""
    now = now or timezone.now()
    topic = lock_topic(topic)
    if actor is not None:
        require(actor, "proposals.lapse_topic", topic, _("您不能处理该议题。"))
    if topic.state == S.OPEN_FOR_HANDS:
        if topic.hands_deadline > now:
            raise ApplicationError(_("举手尚未截止。"), code="conflict")
        if hands_reached(topic):
            raise ApplicationError(_("举手数已达到立项标准，应予立项。"), code="conflict")
    return _move(
        topic,
        Action.LAPSE,
        actor=actor,
        now=now,
        note=_("举手截止，%(count)d/%(threshold)d 未达到立项标准")
        % {"count": topic.hand_count, "threshold": topic.hands_threshold or 0},
    )


@transaction.atomic
def topic_confirm_solution(*, actor, topic, solved: bool, note="") -> Topic:
    """The raiser says whether it really is solved; "not solved" reopens it (answered)."""
    topic = lock_topic(topic)
    require(actor, "proposals.confirm_topic", topic, _("只有议题提出人可以确认是否解决。"))
    if topic.state == S.SOLVED and topic.solution_confirmed is not None:
        raise ApplicationError(_("您已确认过。"), code="conflict")
    now = timezone.now()
    note = (note or "").strip()[:2000]
    if solved:
        return _move(
            topic,
            Action.CONFIRM,
            actor=actor,
            now=now,
            verb="solution_confirmed",
            note=note or _("提出人确认已解决"),
            extra={"solution_confirmed": True, "confirmed_at": now},
        )
    topic = _move(
        topic,
        Action.REOPEN,
        actor=actor,
        now=now,
        verb="reopened",
        note=note or _("提出人认为问题未解决，议题重新打开"),
        extra={"solution_confirmed": False, "confirmed_at": now, "solved_at": None},
    )
    from notifications.services import notify

    notify(
        recipients=responsible_staff(topic),
        kind="proposals.topic.reopened",
        title=_("议题“%(title)s”提出人认为未解决") % {"title": topic.title},
        body=note,
        url=f"/admin/proposals/topic/{topic.pk}/change/",
        subject=topic,
    )
    return topic


@transaction.atomic
def topic_mark_overdue(*, topic, now=None) -> Topic:
    """The 4-hour clock's overdue level: stamp the escalation once, on the public timeline."""
    now = now or timezone.now()
    topic = lock_topic(topic)
    if topic.escalated_at is not None or topic.state != S.RAISED:
        return topic
    topic.escalated_at = now
    topic.save(update_fields=["escalated_at", "updated_at"])
    append_event(
        topic,
        actor=None,
        verb="overdue",
        from_state=topic.state,
        to_state=topic.state,
        note=_("超过 %(h)s 小时未回应，已上报街道")
        % {"h": _hours(topic.first_response_due_at - topic.raised_at)},
    )
    return topic


def _hours(delta) -> str:
    hours = delta.total_seconds() / 3600
    return f"{hours:g}"


__all__ = [
    "community_hands_threshold",
    "hands_reached",
    "topic_adopt",
    "topic_answer",
    "topic_confirm_solution",
    "topic_decline",
    "topic_lapse",
    "topic_mark_overdue",
    "topic_merge",
    "topic_open_for_hands",
    "topic_raise",
    "topic_solve",
]
