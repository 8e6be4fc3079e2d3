"""Forums and their members."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Forum, ForumEvent, ForumMember, Meeting, Represents
from ._common import append_event, illegal_move, invalid, local_today, require, text

# The legal moves of a forum.
TRANSITIONS = {
    Forum.Status.ACTIVE: {Forum.Status.DISSOLVED},
    Forum.Status.DISSOLVED: set(),
}


def lock_forum(forum) -> Forum:
    return Forum.objects.select_for_update(of=("self",)).select_related("street").get(pk=forum.pk)


def _move(forum, to_state):
    if to_state not in TRANSITIONS[forum.status]:
        raise illegal_move(Forum.Status(forum.status).label)


@transaction.atomic
def forum_create(
    *,
    actor,
    kind: str,
    name: str,
    community=None,
    street=None,
    description: str = "",
    established_on: datetime.date | None = None,
) -> Forum:
    if kind not in Forum.Kind.values:
        raise invalid("kind", _("类型无效。"))
    if community is None and street is None:
        raise invalid("community", _("请选择居民区（街道层面的议事平台请选择街道）。"))
    street = community.street if community is not None else street
    forum = Forum(
        street=street,
        community=community,
        kind=kind,
        name=text(name, "name", max_length=80),
        description=text(description, "description", max_length=2000, required=False),
        established_on=established_on or local_today(),
        created_by=actor,
    )
    require(actor, "forums.add_forum", forum)
    if forum.established_on > local_today():
        raise invalid("established_on", _("成立日期不能晚于今天。"))
    forum.save()
    append_event(ForumEvent, "forum", forum, actor=actor, verb="create", to_state=forum.status)
    return forum


@transaction.atomic
def forum_update(*, actor, forum, name=None, description=None) -> Forum:
    forum = lock_forum(forum)
    require(actor, "forums.change_forum", forum)
    if forum.status != Forum.Status.ACTIVE:
        raise illegal_move(Forum.Status(forum.status).label)
    changed = []
    if name is not None:
        forum.name = text(name, "name", max_length=80)
        changed.append("name")
    if description is not None:
        forum.description = text(description, "description", max_length=2000, required=False)
        changed.append("description")
    if changed:
        forum.save(update_fields=[*changed, "updated_at"])
        append_event(ForumEvent, "forum", forum, actor=actor, verb="update", fields=changed)
    return forum


@transaction.atomic
def forum_dissolve(*, actor, forum, reason: str, dissolved_on=None) -> Forum:
    """Dissolve a forum: its scheduled meetings are cancelled with the same reason; its held
    meetings and members stay on record."""
    from .meetings import meeting_cancel

    forum = lock_forum(forum)
    require(actor, "forums.dissolve_forum", forum)
    _move(forum, Forum.Status.DISSOLVED)
    reason = text(reason, "reason", max_length=200)
    dissolved_on = dissolved_on or local_today()
    if dissolved_on < forum.established_on or dissolved_on > local_today():
        raise invalid("dissolved_on", _("撤销日期须在成立日期与今天之间。"))
    for meeting in forum.meetings.filter(status=Meeting.Status.SCHEDULED):
        meeting_cancel(actor=actor, meeting=meeting, reason=reason)
    forum.status = Forum.Status.DISSOLVED
    forum.dissolved_on = dissolved_on
    forum.dissolve_reason = reason
    forum.save(update_fields=["status", "dissolved_on", "dissolve_reason", "updated_at"])
    forum.members.filter(left_on__isnull=True).update(left_on=dissolved_on)
    append_event(
        ForumEvent,
        "forum",
        forum,
        actor=actor,
        verb="dissolve",
        from_state=Forum.Status.ACTIVE,
        to_state=Forum.Status.DISSOLVED,
        note=reason,
    )
    return forum


@transaction.atomic
def forum_member_add(
    *,
    actor,
    forum,
    resident=None,
    account=None,
    name: str = "",
    organisation: str = "",
    role: str = ForumMember.Role.MEMBER,
    represents: str = "residents",
    joined_on: datetime.date | None = None,
) -> ForumMember:
    """Add a member: a resident of the forum's community (street), an account, or a named
    representative of an organisation. One current membership per resident or account
    (checked under the forum's lock)."""
    forum = lock_forum(forum)
    require(actor, "forums.add_forummember", forum)
    if forum.status != Forum.Status.ACTIVE:
        raise illegal_move(Forum.Status(forum.status).label)
    if role not in ForumMember.Role.values:
        raise invalid("role", _("职务无效。"))
    if represents not in Represents.values:
        raise invalid("represents", _("代表方无效。"))
    if resident is not None:
        home = resident.community
        if (forum.community_id and home.pk != forum.community_id) or (
            not forum.community_id and home.street_id != forum.street_id
        ):
            raise invalid("resident", _("该居民不在本议事平台所在的居民区。"))
        name = name or resident.name
    if account is not None:
        name = name or account.get_full_name() or account.get_username()
    name = text(name, "name", max_length=60)
    joined_on = joined_on or local_today()
    if joined_on > local_today():
        raise invalid("joined_on", _("加入日期不能晚于今天。"))
    current = forum.members.filter(left_on__isnull=True)
    if resident is not None and current.filter(resident=resident).exists():
        raise invalid("resident", _("该居民已是本议事平台的成员。"))
    if account is not None and current.filter(account=account).exists():
        raise invalid("account", _("该账号已是本议事平台的成员。"))
    member = ForumMember.objects.create(
        forum=forum,
        resident=resident,
        account=account,
        name=name,
        organisation=text(organisation, "organisation", max_length=100, required=False),
        role=role,
        represents=represents,
        joined_on=joined_on,
    )
    append_event(
        ForumEvent,
        "forum",
        forum,
        actor=actor,
        verb="member_add",
        # No name on the forum's history: leaders read it, and names are people's data.
        note=f"{ForumMember.Role(role).label}（{Represents(represents).label}）",
        member=member.pk,
        role=role,
        represents=represents,
    )
    return member


@transaction.atomic
def forum_member_leave(*, actor, member, left_on=None) -> ForumMember:
    forum = lock_forum(member.forum)
    require(actor, "forums.change_forummember", forum)
    member = ForumMember.objects.select_for_update().get(pk=member.pk)
    if member.left_on is not None:
        raise invalid("member", _("该成员已退出。"))
    left_on = left_on or local_today()
    if left_on < member.joined_on or left_on > local_today():
        raise invalid("left_on", _("退出日期须在加入日期与今天之间。"))
    member.left_on = left_on
    member.save(update_fields=["left_on", "updated_at"])
    append_event(ForumEvent, "forum", forum, actor=actor, verb="member_leave", member=member.pk)
    return member
