"""Who may do what with the people's-conditions database (django-rules, autodiscovered).

Rows outside an actor's scope never reach these checks (selectors and the admin's querysets
drop them); the object predicates here guard writes and the few actions narrower than scope.

- Residents and households: street admins, community workers and grid leaders of the unit
  (a grid leader only their grid's people). District leaders see counts, never people.
- The full ID number: street admins and community workers of the resident's community, with a
  reason that is logged. Grid leaders (often volunteers) work with the masked number.
- Tags: read by people staff of the street, edited by the street's admins.
- The access log and the change history: street admins of the street, and superusers.
"""

import rules

from accounts.rules import (
    is_community_worker,
    is_org_staff,
    is_people_staff,
    is_street_admin,
    is_street_or_super,
    is_superuser,
    obj_in_people_scope,
)
from accounts.scope import actor_scope


@rules.predicate
def obj_in_admin_street(user, obj):
    """`obj` (a tag, resident, household or access log) lies in a street the user administers."""
    if obj is None:
        return True
    scope = actor_scope(user)
    if scope.is_global:
        return True
    street_id = getattr(obj, "street_id", None)
    if street_id is None:
        street_id = obj.scope_paths.resolve(obj, "street")
    return street_id in scope.street_ids


@rules.predicate
def obj_in_people_community(user, obj):
    """The resident's whole community is covered (street admin or worker), not only a grid."""
    if obj is None:
        return True
    scope = actor_scope(user)
    return scope.is_global or obj.community_id in scope.people_community_ids


rules.add_perm("residents", is_people_staff)

rules.add_perm("residents.view_resident", is_people_staff & obj_in_people_scope)
rules.add_perm("residents.add_resident", is_people_staff)
rules.add_perm("residents.change_resident", is_people_staff & obj_in_people_scope)
rules.add_perm("residents.delete_resident", is_street_or_super & obj_in_people_scope)
rules.add_perm(
    "residents.reveal_id_number_resident",
    is_superuser | ((is_street_admin | is_community_worker) & obj_in_people_community),
)
rules.add_perm("residents.lookup_resident", is_people_staff)
rules.add_perm("residents.view_history_resident", is_street_or_super & obj_in_admin_street)
rules.add_perm("residents.view_stats_resident", is_org_staff)

rules.add_perm("residents.view_household", is_people_staff & obj_in_people_scope)
rules.add_perm("residents.add_household", is_people_staff)
rules.add_perm("residents.change_household", is_people_staff & obj_in_people_scope)
rules.add_perm("residents.delete_household", is_street_or_super & obj_in_people_scope)
rules.add_perm("residents.view_history_household", is_street_or_super & obj_in_admin_street)

rules.add_perm("residents.view_tag", is_people_staff & obj_in_people_scope)
rules.add_perm("residents.add_tag", is_street_or_super)
rules.add_perm("residents.change_tag", is_street_or_super & obj_in_admin_street)
rules.add_perm("residents.delete_tag", is_street_or_super & obj_in_admin_street)

rules.add_perm("residents.view_residentaccesslog", is_street_or_super & obj_in_admin_street)
