"""Hands, the party branch's hand, deliberation, comments and their moderation, follows, notes."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError
from notifications.services import notify

from ..models import (
    Comment,
    CommentReport,
    Deliberation,
    Hand,
    Topic,
    TopicFollow,
    policy_for_street,
)
from ..workflow import DELIBERABLE_STATES
from ._common import (
    actor_label,
    append_event,
    lock_topic,
    require,
    require_resident,
    required_text,
    responsible_staff,
)

S = Topic.State


def _invalid(field, message):
    return ApplicationError(message, fields={field: message})


def _check_hands_open(topic, now):
    if topic.state != S.OPEN_FOR_HANDS:
        raise ApplicationError(_("该议题当前不在举手阶段。"), code="conflict")
    if now >= topic.hands_deadline:
        raise ApplicationError(_("举手已截止。"), code="conflict")


@transaction.atomic
def hand_raise(*, actor, topic) -> Hand:
    """One hand per resident. The topic row lock serialises hands on one topic, so the
    counter kept on the topic is exact; the conditional unique constraint backs the check."""
    now = timezone.now()
    topic = lock_topic(topic)
    require_resident(actor, topic, _("举手"))
    _check_hands_open(topic, now)
    if Hand.objects.filter(topic=topic, user=actor, withdrawn_at__isnull=True).exists():
        raise ApplicationError(_("您已为该议题举过手。"), code="conflict")
    try:
        with transaction.atomic():
            hand = Hand.objects.create(topic=topic, user=actor)
    except IntegrityError as exc:
        raise ApplicationError(_("您已为该议题举过手。"), code="conflict") from exc
    topic.hand_count += 1
    topic.save(update_fields=["hand_count", "updated_at"])
    if (
        topic.hand_count == topic.hands_threshold
        and not topic.events.filter(verb="threshold_reached").exists()
    ):
        append_event(
            topic,
            actor=None,
            verb="threshold_reached",
            note=_("举手数达到 %(n)d，可以立项") % {"n": topic.hand_count},
        )
        notify(
            recipients=responsible_staff(topic),
            kind="proposals.topic.threshold_reached",
            title=_("议题“%(title)s”举手数已达到立项标准") % {"title": topic.title},
            url=f"/admin/proposals/topic/{topic.pk}/change/",
            subject=topic,
        )
    return hand


@transaction.atomic
def hand_withdraw(*, actor, topic) -> Hand:
    now = timezone.now()
    topic = lock_topic(topic)
    require_resident(actor, topic, _("撤回举手"))
    _check_hands_open(topic, now)
    hand = Hand.objects.filter(topic=topic, user=actor, withdrawn_at__isnull=True).first()
    if hand is None:
        raise ApplicationError(_("您还没有为该议题举手。"), code="conflict")
    hand.withdrawn_at = now
    hand.save(update_fields=["withdrawn_at"])
    topic.hand_count -= 1
    topic.save(update_fields=["hand_count", "updated_at"])
    return hand


@transaction.atomic
def party_branch_hand_raise(*, actor, topic, note="") -> Topic:
    """The community's party branch takes the topic on (recorded by a worker, once)."""
    now = timezone.now()
    topic = lock_topic(topic)
    require(actor, "proposals.party_branch_hand_topic", topic, _("您不能为党组织登记举手。"))
    _check_hands_open(topic, now)
    if topic.party_branch_hand_at is not None:
        raise ApplicationError(_("党组织已为该议题举手。"), code="conflict")
    topic.party_branch_hand_at = now
    topic.party_branch_hand_by = actor
    topic.save(update_fields=["party_branch_hand_at", "party_branch_hand_by", "updated_at"])
    branch = topic.community.party_branch_name or _("居民区党组织")
    append_event(
        topic,
        actor=actor,
        verb="party_branch_hand",
        note=(note or "").strip()[:2000] or _("%(branch)s举手认领该议题") % {"branch": branch},
    )
    return topic


@transaction.atomic
def deliberation_record(
    *, actor, topic, round, held_on, place, attendance, minutes, outcome, attendees=""
) -> Deliberation:
    topic = lock_topic(topic)
    require(actor, "proposals.deliberate_topic", topic, _("您不能为该议题记录议事。"))
    if round not in Deliberation.Round.values:
        raise _invalid("round", _("请选择议事轮次。"))
    if held_on is None:
        raise _invalid("held_on", _("请填写会议日期。"))
    if held_on > timezone.localdate():
        raise _invalid("held_on", _("会议日期不能晚于今天。"))
    place = required_text(place, "place", _("请填写地点。"), max_length=100)
    if not isinstance(attendance, int) or attendance < 1:
        raise _invalid("attendance", _("参会人数至少为 1。"))
    minutes = required_text(minutes, "minutes", _("请填写会议纪要。"), max_length=20000)
    outcome = required_text(outcome, "outcome", _("请填写议事结果。"), max_length=4000)
    if topic.state not in DELIBERABLE_STATES:
        raise ApplicationError(
            _("议题当前状态为“%(state)s”，不能再记录议事。") % {"state": topic.get_state_display()},
            code="conflict",
        )
    deliberation = Deliberation.objects.create(
        topic=topic,
        round=round,
        held_on=held_on,
        place=place,
        attendance=attendance,
        attendees=(attendees or "").strip(),
        minutes=minutes,
        outcome=outcome,
        recorded_by=actor,
    )
    append_event(
        topic,
        actor=actor,
        verb="deliberation",
        note=_("%(round)s（%(date)s，%(place)s，%(n)d 人参加）：%(outcome)s")
        % {
            "round": deliberation.get_round_display(),
            "date": held_on.isoformat(),
            "place": place,
            "n": attendance,
            "outcome": outcome,
        },
        deliberation=deliberation.pk,
        round=round,
    )
    return deliberation


@transaction.atomic
def topic_note_add(*, actor, topic, text):
    """A worker's internal note: on the timeline, never shown to residents."""
    text = required_text(text, "text", _("请填写内容。"), max_length=4000)
    topic = lock_topic(topic)
    require(actor, "proposals.note_topic", topic, _("只有工作人员可以记录内部备注。"))
    return append_event(topic, actor=actor, verb="note", note=text, is_public=False)


@transaction.atomic
def comment_create(*, actor, topic, body, project=None) -> Comment:
    body = required_text(body, "body", _("请填写评论内容。"), max_length=2000)
    if actor is None or not actor.has_perm("proposals.comment_topic", topic):
        if actor is not None and actor.has_perm("proposals.work_topic", None):
            raise ApplicationError(_("您不能在该议题下评论。"), code="forbidden")
        require_resident(actor, topic, _("评论"))
    if topic.state == S.MERGED and project is None:
        raise ApplicationError(_("该议题已合并，请到合并后的议题下评论。"), code="conflict")
    extra = {}
    if project is not None:
        if project.topic_id != topic.pk:
            raise _invalid("project", _("项目与议题不对应。"))
        extra["project"] = project
    return Comment.objects.create(
        topic=topic, author=actor, author_label=actor_label(actor, topic), body=body, **extra
    )


def _lock_comment(comment) -> Comment:
    return (
        Comment.objects.select_for_update(of=("self",))
        .select_related("topic__community__street", "topic__grid")
        .get(pk=comment.pk)
    )


@transaction.atomic
def comment_report(*, actor, comment, reason="") -> CommentReport:
    """Each resident reports a comment once; at the street's threshold (3 by default) of
    reports since the last review, it is hidden until a worker looks at it."""
    comment = _lock_comment(comment)
    topic = comment.topic
    require_resident(actor, topic, _("举报评论"))
    if comment.author_id == actor.pk:
        raise ApplicationError(_("不能举报自己的评论。"), code="conflict")
    if CommentReport.objects.filter(comment=comment, reporter=actor).exists():
        raise ApplicationError(_("您已举报过这条评论。"), code="conflict")
    try:
        with transaction.atomic():
            report = CommentReport.objects.create(
                comment=comment, reporter=actor, reason=(reason or "").strip()[:200]
            )
    except IntegrityError as exc:
        raise ApplicationError(_("您已举报过这条评论。"), code="conflict") from exc
    if not comment.hidden:
        reports = CommentReport.objects.filter(comment=comment)
        if comment.reviewed_at is not None:
            reports = reports.filter(created_at__gt=comment.reviewed_at)
        count = reports.count()
        threshold = policy_for_street(topic.community.street_id).comment_report_threshold
        if count >= threshold:
            now = timezone.now()
            comment.hidden, comment.auto_hidden, comment.hidden_at = True, True, now
            comment.hidden_by = None
            comment.hidden_reason = _("被 %(n)d 位居民举报，待工作人员审核") % {"n": count}
            comment.save(
                update_fields=["hidden", "auto_hidden", "hidden_at", "hidden_by", "hidden_reason"]
            )
            append_event(
                topic,
                actor=None,
                verb="comment_hidden",
                is_public=False,
                note=comment.hidden_reason,
                comment=comment.pk,
            )
            notify(
                recipients=responsible_staff(topic),
                kind="proposals.comment.reported",
                title=_("议题“%(title)s”下有评论被举报隐藏，请审核") % {"title": topic.title},
                body=comment.body[:200],
                url=f"/admin/proposals/comment/{comment.pk}/change/",
                subject=comment,
            )
    return report


@transaction.atomic
def comment_hide(*, actor, comment, reason) -> Comment:
    reason = required_text(reason, "reason", _("隐藏评论须填写理由。"), max_length=200)
    comment = _lock_comment(comment)
    require(actor, "proposals.moderate_comment", comment.topic, _("您不能管理该评论。"))
    if comment.hidden and not comment.auto_hidden:
        raise ApplicationError(_("该评论已被隐藏。"), code="conflict")
    now = timezone.now()
    comment.hidden, comment.auto_hidden = True, False
    comment.hidden_reason, comment.hidden_by, comment.hidden_at = reason, actor, now
    comment.reviewed_at, comment.reviewed_by = now, actor
    comment.save(
        update_fields=[
            "hidden",
            "auto_hidden",
            "hidden_reason",
            "hidden_by",
            "hidden_at",
            "reviewed_at",
            "reviewed_by",
        ]
    )
    # The reason stays on the comment (shown to residents) and on the internal timeline.
    append_event(
        comment.topic,
        actor=actor,
        verb="comment_hidden",
        is_public=False,
        note=reason,
        comment=comment.pk,
    )
    return comment


@transaction.atomic
def comment_restore(*, actor, comment, note="") -> Comment:
    comment = _lock_comment(comment)
    require(actor, "proposals.moderate_comment", comment.topic, _("您不能管理该评论。"))
    if not comment.hidden:
        raise ApplicationError(_("该评论未被隐藏。"), code="conflict")
    now = timezone.now()
    comment.hidden, comment.auto_hidden = False, False
    comment.reviewed_at, comment.reviewed_by = now, actor
    comment.save(update_fields=["hidden", "auto_hidden", "reviewed_at", "reviewed_by"])
    append_event(
        comment.topic,
        actor=actor,
        verb="comment_restored",
        is_public=False,
        note=(note or "").strip()[:2000]
        or _("审核后恢复显示（原隐藏理由：%(reason)s）") % {"reason": comment.hidden_reason},
        comment=comment.pk,
    )
    return comment


@transaction.atomic
def topic_follow(*, actor, topic) -> TopicFollow:
    require(actor, "proposals.follow_topic", topic, _("您不能关注该议题。"))
    follow, _created = TopicFollow.objects.get_or_create(topic=topic, user=actor)
    return follow


@transaction.atomic
def topic_unfollow(*, actor, topic) -> None:
    TopicFollow.objects.filter(topic=topic, user=actor).delete()
