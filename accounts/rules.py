"""Permission predicates (django-rules) for accounts, and the role predicates every app reuses."""

import rules

from .models import Role
from .scope import Level, actor_scope


@rules.predicate
def is_superuser(user):
    return user.is_superuser


@rules.predicate
def is_district_leader(user):
    return Role.DISTRICT_LEADER in actor_scope(user).roles


@rules.predicate
def is_street_admin(user):
    return Role.STREET_ADMIN in actor_scope(user).roles


@rules.predicate
def is_community_worker(user):
    return Role.COMMUNITY_WORKER in actor_scope(user).roles


@rules.predicate
def is_grid_leader(user):
    return Role.GRID_LEADER in actor_scope(user).roles


@rules.predicate
def is_verified_resident(user):
    """A real-name verified account linked to a resident record: may act (post, raise hands)."""
    return (
        user.is_authenticated
        and user.is_verified
        and bool(actor_scope(user).resident_community_ids)
    )


@rules.predicate
def obj_in_people_scope(user, obj):
    return obj is None or actor_scope(user).covers(obj, Level.PEOPLE)


@rules.predicate
def obj_in_org_scope(user, obj):
    return obj is None or actor_scope(user).covers(obj, Level.ORG)


# Staff who work with people's records (not district leaders).
is_people_staff = is_superuser | is_street_admin | is_community_worker | is_grid_leader
is_org_staff = is_people_staff | is_district_leader
is_street_or_super = is_superuser | is_street_admin

# Roles a street admin may hand out within their street; the rest only a superuser grants.
STREET_GRANTABLE_ROLES = frozenset({Role.COMMUNITY_WORKER, Role.GRID_LEADER})
# Holders of these roles are managed by superusers only (a street admin cannot edit a
# fellow street admin or a district leader, nor reset their password).
SENIOR_ROLES = frozenset({Role.STREET_ADMIN, Role.DISTRICT_LEADER})


def assignment_street_id(assignment):
    """The street an assignment's unit sits in (None for a district)."""
    if assignment.street_id:
        return assignment.street_id
    if assignment.community_id:
        return assignment.community.street_id
    if assignment.grid_id:
        return assignment.grid.community.street_id
    return None


@rules.predicate
def obj_assignment_in_granted_street(user, assignment):
    """A street admin manages worker and grid-leader roles over units of their own street."""
    if assignment is None:
        return True
    scope = actor_scope(user)
    return (
        assignment.role in STREET_GRANTABLE_ROLES
        and assignment_street_id(assignment) in scope.street_ids
    )


@rules.predicate
def obj_user_is_manageable(user, target):
    """Non-superusers may not manage superusers or holders of senior roles."""
    if target is None:
        return True
    if target.is_superuser:
        return False
    return not actor_scope(target).roles & SENIOR_ROLES


rules.add_perm("accounts.view_user", is_superuser | is_street_admin | is_community_worker)
rules.add_perm(
    "accounts.change_user",
    is_superuser | ((is_street_admin | is_community_worker) & obj_user_is_manageable),
)
rules.add_perm("accounts.add_user", is_street_or_super)
rules.add_perm("accounts.delete_user", is_superuser)
# Real-name verification: people-level staff over the account's claimed community.
rules.add_perm("accounts.verify_user", is_people_staff & obj_in_people_scope)
# A resident account may act (post, raise a hand) only once verified.
rules.add_perm("accounts.act", is_verified_resident)
rules.add_perm("accounts.view_roleassignment", is_street_or_super)
rules.add_perm("accounts.grant_roleassignment", is_street_or_super)
rules.add_perm("accounts.add_roleassignment", is_street_or_super)
rules.add_perm(
    "accounts.change_roleassignment",
    is_superuser | (is_street_admin & obj_assignment_in_granted_street),
)
rules.add_perm(
    "accounts.end_roleassignment",
    is_superuser | (is_street_admin & obj_assignment_in_granted_street),
)
rules.add_perm("accounts.delete_roleassignment", is_superuser)
