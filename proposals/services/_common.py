"""Helpers shared by the topic services: locking, permission checks, labels, notices."""

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Role, RoleAssignment
from accounts.scope import actor_scope
from core.exceptions import ApplicationError
from core.timeline import timeline_append
from notifications.services import notify

from ..models import Topic, TopicEvent, TopicFollow


def lock_topic(topic) -> Topic:
    """Re-read the topic under a row lock: every read-then-write on a topic goes through here,
    so two workers (or a worker and the clock) never both move it from the same state."""
    return (
        Topic.objects.select_for_update(of=("self",))
        .select_related("community__street", "grid", "category")
        .get(pk=topic.pk)
    )


def require(actor, perm, obj, message):
    if actor is None or not actor.is_authenticated or not actor.has_perm(perm, obj):
        raise ApplicationError(message, code="forbidden")


def require_resident(actor, topic_or_community, doing):
    """Residents act only once verified, and only in their own community; say which."""
    if actor is None or not actor.is_authenticated:
        raise ApplicationError(_("请先登录。"), code="forbidden")
    if not actor.is_verified:
        raise ApplicationError(
            _("您的账号尚未通过实名核验，核验通过后才能%(doing)s。") % {"doing": doing},
            code="forbidden",
        )
    if not actor.has_perm("proposals.hand_topic", topic_or_community):
        raise ApplicationError(
            _("只有本居民区的实名居民可以%(doing)s。") % {"doing": doing}, code="forbidden"
        )


def required_text(value, field, message, max_length=None):
    text = (value or "").strip()
    if not text:
        raise ApplicationError(message, fields={field: message})
    if max_length and len(text) > max_length:
        msg = _("不能超过 %(n)d 个字。") % {"n": max_length}
        raise ApplicationError(msg, fields={field: msg})
    return text


def actor_label(actor, topic=None) -> str:
    """The public identity shown on the timeline and on comments, stored once when written."""
    if actor is None:
        return _("系统")
    scope = actor_scope(actor)
    name = actor.get_full_name()
    if topic is not None and scope.roles:
        if topic.community_id in scope.community_ids:
            return _("%(unit)s 社区工作者 %(name)s") % {"unit": topic.community.name, "name": name}
        if topic.grid_id and topic.grid_id in scope.grid_ids:
            return _("%(unit)s 微网格长 %(name)s") % {"unit": topic.grid.name, "name": name}
        if topic.community.street_id in scope.street_ids:
            return _("%(unit)s 街道管理员 %(name)s") % {
                "unit": topic.community.street.name,
                "name": name,
            }
    if scope.is_global:
        return _("管理员 %(name)s") % {"name": name}
    if scope.roles:
        return _("工作人员 %(name)s") % {"name": name}
    # Real-name platform, but a resident's full name is not broadcast: surname only.
    return _("居民 %(name)s") % {"name": (name[:1] + "**") if name else ""}


def append_event(
    topic, *, actor, verb, note="", from_state="", to_state="", is_public=True, **data
):
    return timeline_append(
        TopicEvent,
        subject_field="topic",
        subject=topic,
        actor=actor,
        actor_label=actor_label(actor, topic),
        verb=verb,
        note=note,
        from_state=from_state,
        to_state=to_state,
        is_public=is_public,
        **data,
    )


def topic_url(topic) -> str:
    """Where a resident's notification about the topic leads: its page on the phone."""
    return reverse("pages:topic", args=[topic.pk])


def watchers(topic, *, exclude=None):
    """The raiser and the followers: who is told when the topic changes."""
    users = []
    if topic.raised_by_id:
        users.append(topic.raised_by)
    users.extend(f.user for f in TopicFollow.objects.filter(topic=topic).select_related("user"))
    return [u for u in users if exclude is None or u.pk != exclude.pk]


def responsible_staff(topic, *, with_street_admins=False):
    """The grid's leaders and the community's workers; the street's admins on escalation."""
    from django.db.models import Q

    q = Q(role=Role.COMMUNITY_WORKER, community_id=topic.community_id)
    if topic.grid_id:
        q |= Q(role=Role.GRID_LEADER, grid_id=topic.grid_id)
    if with_street_admins:
        q |= Q(role=Role.STREET_ADMIN, street_id=topic.community.street_id)
    rows = RoleAssignment.objects.active().filter(q).select_related("user")
    seen, users = set(), []
    for row in rows:
        if row.user_id not in seen:
            seen.add(row.user_id)
            users.append(row.user)
    return users


def notify_watchers(topic, *, actor, kind, title, body=""):
    """Inbox rows now, e-mail after commit (notifications.services.notify)."""
    return notify(
        recipients=watchers(topic, exclude=actor),
        kind=kind,
        title=title,
        body=body,
        url=topic_url(topic),
        subject=topic,
    )
