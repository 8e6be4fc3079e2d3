"""The one scope mechanism: what part of the organisation tree an actor's roles cover.

`actor_scope(user)` resolves the user's active roles once per request (two queries, then
cached on the user object) into sets of unit ids. `scope_queryset(qs, actor, level=...)`
limits any queryset whose model declares `scope_paths` (core.scope.ScopePaths). The admin's
`get_queryset` and every API selector go through it; an object outside scope is simply not
in the queryset, so it answers 404 like a missing one.

Levels of visibility:
- PEOPLE: residents' personal data and casework. Street admins, community workers and grid
  leaders; never a district leader (leaders see aggregates, not people).
- ORG: the organisation map, grid work and aggregates. Everyone with a staff role, district
  leaders included; a unit's ancestors are visible to whoever holds a unit below them
  (a grid leader sees their community and street, not their siblings' data).
- PUBLIC: what is public to a community (topics, projects, notices in later issues): staff
  scope plus a resident's own community.
"""

from dataclasses import dataclass, field
from enum import Enum

from django.db.models import Q, QuerySet

from .models import Role, RoleAssignment

CACHE_ATTR = "_portal_scope"


class Level(Enum):
    PEOPLE = "people"
    ORG = "org"
    PUBLIC = "public"


@dataclass(frozen=True)
class Scope:
    is_global: bool = False
    roles: frozenset = field(default_factory=frozenset)
    # Units held, by role.
    district_ids: frozenset = field(default_factory=frozenset)  # as district leader
    street_ids: frozenset = field(default_factory=frozenset)  # as street admin
    community_ids: frozenset = field(default_factory=frozenset)  # as community worker
    grid_ids: frozenset = field(default_factory=frozenset)  # as grid leader
    # Resolved: every community covered in full (street admins' and workers'), and the same
    # with district leaders' communities added (for ORG visibility).
    people_community_ids: frozenset = field(default_factory=frozenset)
    org_community_ids: frozenset = field(default_factory=frozenset)
    # Ancestors of every held unit, for upward visibility of the organisation map.
    touched_community_ids: frozenset = field(default_factory=frozenset)
    touched_street_ids: frozenset = field(default_factory=frozenset)
    touched_district_ids: frozenset = field(default_factory=frozenset)
    # Streets where a PEOPLE-level role is held (street-level data such as resident tags).
    people_street_ids: frozenset = field(default_factory=frozenset)
    # A resident's own community (verified link, else the one claimed at sign-up).
    resident_community_ids: frozenset = field(default_factory=frozenset)
    resident_street_ids: frozenset = field(default_factory=frozenset)

    @property
    def is_staff_scope(self):
        return self.is_global or bool(self.roles)

    @property
    def sees_people(self):
        return self.is_global or bool(self.people_community_ids or self.grid_ids)

    def has_role(self, role):
        return self.is_global or role in self.roles

    def _allowed(self, paths, level):
        """(path, allowed ids) pairs for a model's paths at `level`: a row is in scope when
        any of its paths points into the ids allowed for it."""
        upward = level is not Level.PEOPLE
        if level is Level.PEOPLE:
            communities, streets = self.people_community_ids, self.people_street_ids
        else:
            communities, streets = self.org_community_ids, self.touched_street_ids
        if level is Level.PUBLIC:
            communities = communities | self.resident_community_ids
            streets = streets | self.resident_street_ids
        pairs = []
        if paths.grid:
            pairs.append((paths.grid, self.grid_ids))
        if paths.community:
            if paths.community == "pk" and upward:
                communities = communities | self.touched_community_ids
            pairs.append((paths.community, communities))
        elif paths.street:
            pairs.append((paths.street, streets))
        elif paths.district:
            pairs.append((paths.district, self.touched_district_ids if upward else frozenset()))
        return pairs

    def q(self, model, level=Level.PEOPLE):
        """A Q object selecting the rows of `model` this scope covers at `level`."""
        if self.is_global:
            return Q()
        q = Q(pk__in=[])
        for path, ids in self._allowed(model.scope_paths, level):
            if ids:
                q |= Q(**{_in(path): ids})
        return q

    def filter(self, qs: QuerySet, level=Level.PEOPLE) -> QuerySet:
        if self.is_global:
            return qs
        return qs.filter(self.q(qs.model, level))

    def covers(self, obj, level=Level.PEOPLE) -> bool:
        """Whether one object is in scope (follows its paths; may query)."""
        if self.is_global:
            return True
        paths = obj.scope_paths
        for path, ids in self._allowed(paths, level):
            level_name = next(
                name
                for name in ("grid", "community", "street", "district")
                if getattr(paths, name) == path
            )
            if paths.resolve(obj, level_name) in ids:
                return True
        return False


def _in(path):
    return "pk__in" if path == "pk" else f"{path}_id__in"


EMPTY = Scope()


def actor_scope(user) -> Scope:
    """The scope of `user`, computed once and cached on the user object."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return EMPTY
    cached = getattr(user, CACHE_ATTR, None)
    if cached is not None:
        return cached
    scope = _compute_scope(user)
    setattr(user, CACHE_ATTR, scope)
    return scope


def forget_scope(user):
    """Drop the cached scope (after a role change within the same request or test)."""
    if hasattr(user, CACHE_ATTR):
        delattr(user, CACHE_ATTR)


def _compute_scope(user) -> Scope:
    from grids.models import Community

    if user.is_superuser:
        return Scope(is_global=True, roles=frozenset(Role))

    rows = list(
        RoleAssignment.objects.active()
        .filter(user=user)
        .values_list(
            "role",
            "district_id",
            "street_id",
            "street__district_id",
            "community_id",
            "community__street_id",
            "community__street__district_id",
            "grid_id",
            "grid__community_id",
            "grid__community__street_id",
            "grid__community__street__district_id",
        )
    )
    roles, districts, streets, communities, grids = set(), set(), set(), set(), set()
    touched_c, touched_s, touched_d, people_s = set(), set(), set(), set()
    for role, d, s, s_d, c, c_s, c_d, g, g_c, g_s, g_d in rows:
        roles.add(role)
        if role == Role.DISTRICT_LEADER:
            districts.add(d)
            touched_d.add(d)
        elif role == Role.STREET_ADMIN:
            streets.add(s)
            touched_s.add(s)
            people_s.add(s)
            touched_d.add(s_d)
        elif role == Role.COMMUNITY_WORKER:
            communities.add(c)
            touched_c.add(c)
            touched_s.add(c_s)
            people_s.add(c_s)
            touched_d.add(c_d)
        elif role == Role.GRID_LEADER:
            grids.add(g)
            touched_c.add(g_c)
            touched_s.add(g_s)
            people_s.add(g_s)
            touched_d.add(g_d)

    people, org = set(communities), set(communities)
    if streets or districts:
        for cid, sid, did in Community.objects.filter(
            Q(street_id__in=streets) | Q(street__district_id__in=districts)
        ).values_list("id", "street_id", "street__district_id"):
            org.add(cid)
            if sid in streets:
                people.add(cid)
                touched_c.add(cid)
            if did in districts:
                touched_s.add(sid)
                touched_c.add(cid)

    resident_communities, resident_streets = set(), set()
    home = _linked_resident_community(user) or user.claimed_community_id
    if home:
        resident_communities.add(home)
        resident_streets.update(
            Community.objects.filter(pk=home).values_list("street_id", flat=True)
        )

    return Scope(
        roles=frozenset(roles),
        district_ids=frozenset(districts),
        street_ids=frozenset(streets),
        community_ids=frozenset(communities),
        grid_ids=frozenset(grids),
        people_community_ids=frozenset(people),
        org_community_ids=frozenset(org),
        touched_community_ids=frozenset(touched_c),
        touched_street_ids=frozenset(touched_s),
        touched_district_ids=frozenset(touched_d),
        people_street_ids=frozenset(people_s),
        resident_community_ids=frozenset(resident_communities),
        resident_street_ids=frozenset(resident_streets),
    )


def _linked_resident_community(user):
    if not user.is_verified:
        return None
    from residents.models import Resident

    return Resident.objects.filter(account=user).values_list("community_id", flat=True).first()


def scope_queryset(qs: QuerySet, actor, level=Level.PEOPLE) -> QuerySet:
    return actor_scope(actor).filter(qs, level)
