"""Permissions of the grids app (django-rules), shared by the admin and the API.

Reading: the organisation tree is readable by anyone signed in, within their PUBLIC scope
(a resident sees their own community); grid work is readable by staff, district leaders
included, within their ORG scope. Writing grid work: people-level staff within their PEOPLE
scope (a grid leader in their grid, a community worker in their community, a street admin in
their street). Appointing grid roles, keeping grid resources and drawing grids and buildings
is the community's job (community workers, street admins), not a grid leader's.
"""

import rules

from accounts.rules import (
    is_community_worker,
    is_org_staff,
    is_people_staff,
    is_street_admin,
    is_superuser,
    obj_in_org_scope,
    obj_in_people_scope,
)
from accounts.scope import Level, actor_scope


@rules.predicate
def obj_in_public_scope(user, obj):
    return obj is None or actor_scope(user).covers(obj, Level.PUBLIC)


@rules.predicate
def obj_in_community_staff_scope(user, obj):
    """The object's community is one the user covers as community worker or street admin
    (a grid leader's grid does not count)."""
    if obj is None:
        return True
    scope = actor_scope(user)
    return (
        scope.is_global or obj.scope_paths.resolve(obj, "community") in scope.people_community_ids
    )


@rules.predicate
def obj_in_admin_street(user, obj):
    """The object's street is one the user administers as street admin."""
    if obj is None:
        return True
    scope = actor_scope(user)
    return scope.is_global or obj.scope_paths.resolve(obj, "street") in scope.street_ids


@rules.predicate
def resource_visible(user, obj):
    """A resource is visible in its community's ORG scope, and to the grid leaders of the
    grids it is linked to (selectors prefetch `grids`, so this does not query per row)."""
    if obj is None:
        return True
    scope = actor_scope(user)
    if scope.covers(obj, Level.ORG):
        return True
    return any(grid.pk in scope.grid_ids for grid in obj.grids.all())


is_community_staff = is_superuser | is_street_admin | is_community_worker
can_read_tree = rules.is_authenticated & obj_in_public_scope
can_read_work = is_org_staff & obj_in_org_scope
can_write_work = is_people_staff & obj_in_people_scope
can_manage_community = is_community_staff & obj_in_community_staff_scope

# The admin index lists the app to every staff role.
rules.add_perm("grids", is_org_staff)

# The organisation tree.
rules.add_perm("grids.view_district", can_read_tree)
rules.add_perm("grids.add_district", is_superuser)
rules.add_perm("grids.change_district", is_superuser)
rules.add_perm("grids.view_street", can_read_tree)
rules.add_perm("grids.add_street", is_superuser)
rules.add_perm("grids.change_street", is_superuser | (is_street_admin & obj_in_admin_street))
rules.add_perm("grids.view_communitytype", can_read_tree)
for action in ("add", "change"):
    rules.add_perm(
        f"grids.{action}_communitytype", is_superuser | (is_street_admin & obj_in_admin_street)
    )
rules.add_perm("grids.view_community", can_read_tree)
rules.add_perm("grids.add_community", is_superuser | (is_street_admin & obj_in_admin_street))
rules.add_perm("grids.change_community", can_manage_community)
for model in ("microgrid", "building", "compound"):
    rules.add_perm(f"grids.view_{model}", can_read_tree)
    rules.add_perm(f"grids.add_{model}", can_manage_community)
    rules.add_perm(f"grids.change_{model}", can_manage_community)

# Who holds which grid role, and the grid's resources: kept by the community.
rules.add_perm("grids.view_gridrole", can_read_work)
rules.add_perm("grids.add_gridrole", can_manage_community)
rules.add_perm("grids.change_gridrole", can_manage_community)
rules.add_perm("grids.view_gridresource", is_org_staff & resource_visible)
rules.add_perm("grids.add_gridresource", can_manage_community)
rules.add_perm("grids.change_gridresource", can_manage_community)

# Grid work: recorded by whoever does it, within their people scope.
for model in (
    "gridplace",
    "visitrecord",
    "diaryentry",
    "pairing",
    "practicaldeed",
    "patrolrecord",
    "patrolproblem",
):
    rules.add_perm(f"grids.view_{model}", can_read_work)
    rules.add_perm(f"grids.add_{model}", can_write_work)
    rules.add_perm(f"grids.change_{model}", can_write_work)

rules.add_perm("grids.view_weeklyvisitround", can_read_work)
