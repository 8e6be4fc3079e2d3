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
    return user.is_authenticated and user.is_verified and bool(actor_scope(user).resident_community_ids)


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

rules.add_perm("accounts.view_user", is_superuser | is_street_admin | is_community_worker)
rules.add_perm("accounts.change_user", is_superuser | is_street_admin | is_community_worker)
rules.add_perm("accounts.add_user", is_street_or_super)
rules.add_perm("accounts.delete_user", is_superuser)
rules.add_perm("accounts.view_roleassignment", is_street_or_super)
rules.add_perm("accounts.add_roleassignment", is_street_or_super)
rules.add_perm("accounts.change_roleassignment", is_street_or_super)
rules.add_perm("accounts.delete_roleassignment", is_street_or_super)
