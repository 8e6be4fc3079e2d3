"""Reads: every query for topics starts from the one scope mechanism (Level.PUBLIC: staff in
scope and the residents of the topic's community), with its joins done here."""

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scope import Level, actor_scope
from core.exceptions import ApplicationError

from .models import Category, Comment, Deliberation, Hand, Topic, TopicEvent, TopicFollow
from .services import hands_reached
from .workflow import DELIBERABLE_STATES, TRANSITIONS, Action

S = Topic.State


def topic_list(*, actor):
    """The topics the actor may see, with the caller's own hand and follow annotated (two
    EXISTS subqueries in the same SELECT: constant cost per page)."""
    qs = actor_scope(actor).filter(Topic.objects.all(), Level.PUBLIC)
    user_id = actor.pk if actor is not None and actor.is_authenticated else None
    return qs.select_related("category", "community", "grid").annotate(
        my_hand=Exists(
            Hand.objects.filter(topic=OuterRef("pk"), user_id=user_id, withdrawn_at__isnull=True)
        ),
        following=Exists(TopicFollow.objects.filter(topic=OuterRef("pk"), user_id=user_id)),
    )


def topic_get(*, actor, pk, for_update=False) -> Topic:
    topic = (
        topic_list(actor=actor)
        .select_related("building", "merged_into")
        .prefetch_related("photos")
        .filter(pk=pk)
        .first()
    )
    if topic is None:
        raise ApplicationError(_("议题不存在。"), code="not_found")
    return topic


def sees_internal(actor, topic) -> bool:
    return actor.has_perm("proposals.note_topic", topic)


def topic_timeline(*, actor, topic):
    events = TopicEvent.objects.filter(topic=topic).order_by("at", "pk")
    if not sees_internal(actor, topic):
        events = events.filter(is_public=True)
    return events


def topic_notes(*, actor, topic):
    if not sees_internal(actor, topic):
        raise ApplicationError(_("只有工作人员可以查看内部备注。"), code="forbidden")
    return TopicEvent.objects.filter(topic=topic, is_public=False).order_by("-at", "-pk")


def topic_comments(*, actor, topic):
    return Comment.objects.filter(topic=topic).order_by("created_at", "pk")


def comment_get(*, actor, pk) -> Comment:
    comment = (
        actor_scope(actor)
        .filter(Comment.objects.all(), Level.PUBLIC)
        .select_related("topic__community__street", "topic__grid")
        .filter(pk=pk)
        .first()
    )
    if comment is None:
        raise ApplicationError(_("评论不存在。"), code="not_found")
    return comment


def topic_deliberations(*, actor, topic):
    return Deliberation.objects.filter(topic=topic).order_by("held_on", "pk")


def category_list(*, actor):
    return (
        actor_scope(actor)
        .filter(Category.objects.filter(is_active=True), Level.PUBLIC)
        .order_by("street", "sort_order", "name")
    )


def topic_inbox(*, actor):
    """The admin inbox: unanswered topics first, due soonest first, then the rest."""
    return actor_scope(actor).filter(
        Topic.objects.select_related("category", "community", "grid"), Level.PEOPLE
    )


def topic_actions(user, topic, *, now=None) -> list[str]:
    """What `user` may do with `topic` now, from the transition table and the rules (no
    query: scope is cached on the user; `my_hand`/`following` come from topic_list)."""
    if user is None or not user.is_authenticated:
        return []
    now = now or timezone.now()
    moves = TRANSITIONS.get(topic.state, {})
    actions = []
    hands_open = (
        topic.state == S.OPEN_FOR_HANDS and topic.hands_deadline and now < topic.hands_deadline
    )
    if user.has_perm("proposals.work_topic", topic):
        for action in (
            Action.ANSWER,
            Action.SOLVE,
            Action.DECLINE,
            Action.MERGE,
            Action.OPEN_FOR_HANDS,
        ):
            if action in moves:
                actions.append(str(action))
        if Action.ADOPT in moves and hands_reached(topic):
            actions.append("adopt")
        if hands_open and topic.party_branch_hand_at is None:
            actions.append("party_branch_hand")
        if topic.state in DELIBERABLE_STATES:
            actions.append("record_deliberation")
        actions.append("add_note")
    if (
        topic.state == S.SOLVED
        and topic.solution_confirmed is None
        and user.has_perm("proposals.confirm_topic", topic)
    ):
        actions.append("confirm_solution")
    if hands_open and user.has_perm("proposals.hand_topic", topic):
        actions.append("withdraw_hand" if getattr(topic, "my_hand", False) else "raise_hand")
    if topic.state != S.MERGED and user.has_perm("proposals.comment_topic", topic):
        actions.append("comment")
    actions.append("unfollow" if getattr(topic, "following", False) else "follow")
    return actions
