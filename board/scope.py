"""Who the board's notices and consultations are for, and which of them an actor sees.

Built on the one scope mechanism (accounts.scope): staff visibility is the actor's scope over
the addressed unit's community (or, for a street-wide notice, its street), at the ORG level,
so grid leaders and district leaders read them too. A street-wide notice has no community,
and a model declares one set of scope paths, so the rows are matched through the scoped
Community and Street querysets instead of `Scope.filter` on the notice itself.

Residents: a notice is theirs when it addresses their street, community, compound or building;
a consultation is public to its whole community, and open to answer for the residents of its
target. Where a resident lives comes from their resident record (`resident_home`).
"""

from dataclasses import dataclass

from django.db.models import Q

from accounts.scope import Level, actor_scope
from grids.models import Community, Street

from .models import Audience

HOME_ATTR = "_board_home"


@dataclass(frozen=True)
class Home:
    """Where a verified account's resident record says its holder lives (one query)."""

    resident_id: int
    household_id: int | None
    community_id: int
    street_id: int
    compound_id: int | None
    building_id: int | None


def resident_home(user) -> Home | None:
    """The home of a verified account linked to a living resident, cached on the user."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_verified:
        return None
    if hasattr(user, HOME_ATTR):
        return getattr(user, HOME_ATTR)
    from residents.models import Resident

    row = (
        Resident.objects.filter(account=user, status=Resident.Status.LIVING)
        .values(
            "pk",
            "household_id",
            "community_id",
            "community__street_id",
            "building__compound_id",
            "building_id",
        )
        .first()
    )
    home = (
        Home(
            resident_id=row["pk"],
            household_id=row["household_id"],
            community_id=row["community_id"],
            street_id=row["community__street_id"],
            compound_id=row["building__compound_id"],
            building_id=row["building_id"],
        )
        if row
        else None
    )
    setattr(user, HOME_ATTR, home)
    return home


# ---------------------------------------------------------------------------------------------
# Staff: the addressed unit within the actor's scope


def _communities(scope, level):
    return scope.filter(Community.objects.all(), level).values("pk")


def _streets(scope, level):
    return scope.filter(Street.objects.all(), level).values("pk")


def staff_notice_q(user, level=Level.ORG) -> Q:
    """Notices whose addressed unit lies in the actor's scope at `level`."""
    scope = actor_scope(user)
    if scope.is_global:
        return Q()
    if not scope.is_staff_scope:
        return Q(pk__in=[])
    return Q(community__in=_communities(scope, level)) | Q(
        community__isnull=True, street__in=_streets(scope, level)
    )


def staff_consultation_q(user, level=Level.ORG) -> Q:
    scope = actor_scope(user)
    if scope.is_global:
        return Q()
    if not scope.is_staff_scope:
        return Q(pk__in=[])
    return Q(community__in=_communities(scope, level))


def manager_q(user, *, street_wide=True) -> Q:
    """Rows the actor may write: a street-wide notice by its street's admins; anything of a
    community by its workers and its street's admins (not grid or district leaders).
    `street_wide=False` for consultations, which always belong to a community."""
    scope = actor_scope(user)
    if scope.is_global:
        return Q()
    q = Q(community_id__in=scope.people_community_ids)
    if street_wide:
        q |= Q(community__isnull=True, street_id__in=scope.street_ids)
    return q


def staff_sees_unit(user, *, street_id, community_id, level=Level.ORG) -> bool:
    """One row's check (no query): the same rule as the querysets above."""
    scope = actor_scope(user)
    if scope.is_global:
        return True
    if not scope.is_staff_scope:
        return False
    if community_id is not None:
        return scope.covers(Community(pk=community_id), level)
    return scope.covers(Street(pk=street_id), level)


def manages_unit(user, *, street_id, community_id) -> bool:
    scope = actor_scope(user)
    if scope.is_global:
        return True
    if community_id is not None:
        return community_id in scope.people_community_ids
    return street_id in scope.street_ids


def unit_ids(obj):
    """(street id, community id) of a notice, consultation or grids unit being addressed.
    A street-wide target has no community. Reads loaded ids only."""
    from grids.models import Building, Compound

    if isinstance(obj, Street):
        return obj.pk, None
    if isinstance(obj, Community):
        return obj.street_id, obj.pk
    if isinstance(obj, Compound | Building):
        return None, obj.community_id
    for parent in ("notice", "consultation"):
        # A row of a notice or consultation (an answer sheet, an attachment) is its parent's.
        if hasattr(obj, f"{parent}_id"):
            return unit_ids(getattr(obj, parent))
    street_id = getattr(obj, "street_id", None)
    return street_id, obj.community_id


# ---------------------------------------------------------------------------------------------
# Residents: what addresses them


def addressed_q(user) -> Q:
    """Notices addressed to the user as a resident: their street and community (the claimed
    one until verified), their compound and building (once verified)."""
    scope = actor_scope(user)
    q = Q(audience=Audience.STREET, street_id__in=scope.resident_street_ids) | Q(
        audience=Audience.COMMUNITY, community_id__in=scope.resident_community_ids
    )
    home = resident_home(user)
    if home is not None:
        if home.compound_id is not None:
            q |= Q(audience=Audience.COMPOUND, compound_id=home.compound_id)
        if home.building_id is not None:
            q |= Q(audience=Audience.BUILDING, building_id=home.building_id)
    return q


def is_addressed(user, obj) -> bool:
    """The same rule for one notice (or consultation target), without a query beyond the
    cached home."""
    scope = actor_scope(user)
    if obj.audience == Audience.STREET:
        return obj.street_id in scope.resident_street_ids
    if obj.audience == Audience.COMMUNITY:
        return obj.community_id in scope.resident_community_ids
    home = resident_home(user)
    if home is None:
        return False
    if obj.audience == Audience.COMPOUND:
        return home.compound_id is not None and obj.compound_id == home.compound_id
    return home.building_id is not None and obj.building_id == home.building_id


def home_in_target(home: Home | None, obj) -> bool:
    """Whether a resident living at `home` belongs to the unit `obj` addresses."""
    if home is None:
        return False
    if obj.audience == Audience.STREET:
        return home.street_id == obj.street_id
    if obj.audience == Audience.COMMUNITY:
        return home.community_id == obj.community_id
    if obj.audience == Audience.COMPOUND:
        return home.compound_id is not None and home.compound_id == obj.compound_id
    return home.building_id is not None and home.building_id == obj.building_id


def residents_in_target_q(obj, prefix="") -> Q:
    """Residents (or, with prefix "", households: same field names) of the addressed unit."""
    if obj.audience == Audience.STREET:
        return Q(**{f"{prefix}community__street_id": obj.street_id})
    if obj.audience == Audience.COMMUNITY:
        return Q(**{f"{prefix}community_id": obj.community_id})
    if obj.audience == Audience.COMPOUND:
        return Q(**{f"{prefix}building__compound_id": obj.compound_id})
    return Q(**{f"{prefix}building_id": obj.building_id})
