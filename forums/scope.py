"""Which forums, meetings and musts an actor sees and manages, on the one scope mechanism.

Staff read at the ORG level (grid and district leaders included) through the scoped Community
and Street querysets, so that a street-level forum (no community) is matched by its street, as
board.scope does for street-wide notices. Writers are a community's workers and its street's
admins (a street-level forum: the street's admins). Residents read the held meetings of the
forums of their own community and of their street's street-level forums.
"""

from django.db.models import Q

from accounts.scope import Level, actor_scope
from board.scope import manages_unit, staff_sees_unit
from grids.models import Community, Street


def _communities(scope, level):
    return scope.filter(Community.objects.all(), level).values("pk")


def _streets(scope, level):
    return scope.filter(Street.objects.all(), level).values("pk")


def staff_forum_q(user, prefix="", level=Level.ORG) -> Q:
    """Rows whose forum (at `prefix`, e.g. "forum__") lies in the actor's staff scope."""
    scope = actor_scope(user)
    if scope.is_global:
        return Q()
    if not scope.is_staff_scope:
        return Q(pk__in=[])
    return Q(**{f"{prefix}community__in": _communities(scope, level)}) | Q(
        **{
            f"{prefix}community__isnull": True,
            f"{prefix}street__in": _streets(scope, level),
        }
    )


def resident_forum_q(user, prefix="") -> Q:
    """Forums public to the user as a resident: their community's and their street's own."""
    scope = actor_scope(user)
    return Q(**{f"{prefix}community_id__in": scope.resident_community_ids}) | Q(
        **{
            f"{prefix}community__isnull": True,
            f"{prefix}street_id__in": scope.resident_street_ids,
        }
    )


def forum_of(obj):
    """The forum a forum, member, meeting, attendance row or decision belongs to."""
    from .models import Forum

    if isinstance(obj, Forum):
        return obj
    if hasattr(obj, "forum_id"):
        return obj.forum
    return obj.meeting.forum


def staff_reads(user, obj) -> bool:
    forum = forum_of(obj)
    return staff_sees_unit(user, street_id=forum.street_id, community_id=forum.community_id)


def manages(user, obj) -> bool:
    forum = forum_of(obj)
    return manages_unit(user, street_id=forum.street_id, community_id=forum.community_id)


def resident_reads(user, obj) -> bool:
    forum = forum_of(obj)
    scope = actor_scope(user)
    if forum.community_id is not None:
        return forum.community_id in scope.resident_community_ids
    return forum.street_id in scope.resident_street_ids


def _community(obj):
    """A community, or the community a must activity belongs to."""
    return obj if isinstance(obj, Community) else obj.community


def manages_community(user, obj) -> bool:
    community = _community(obj)
    return manages_unit(user, street_id=community.street_id, community_id=community.pk)


def staff_reads_community(user, obj) -> bool:
    community = _community(obj)
    return staff_sees_unit(user, street_id=community.street_id, community_id=community.pk)
