"""Who may do what with departments and grid events (django-rules, autodiscovered).

Visibility is cases.scope's (an event out of sight is a 404 before these run). Then:
- The grid side files, dispatches, checks on the spot 核查 and cancels: community workers and
  grid leaders over their units, the street's admins over the street. Filing from the phone
  page is for community workers and grid leaders (the people in the grids).
- A department's staff accept, return and handle the events sent to their department, and
  nothing else.
- Street admins keep the street's departments, categories and department staff.
"""

import rules

from accounts.rules import (
    is_community_worker,
    is_grid_leader,
    is_people_staff,
    is_street_admin,
    is_superuser,
    obj_in_people_scope,
)
from accounts.scope import actor_scope

from .scope import department_ids, is_department_member


@rules.predicate
def is_department_staff(user):
    return bool(department_ids(user))


@rules.predicate
def obj_department_member(user, event):
    return event is None or is_department_member(user, event.department_id)


@rules.predicate
def obj_in_own_street(user, obj):
    """A department, category or staff row of a street the user administers."""
    if obj is None:
        return True
    street_id = obj.department.street_id if hasattr(obj, "department_id") else obj.street_id
    return street_id in actor_scope(user).street_ids


@rules.predicate
def obj_in_read_street(user, obj):
    if obj is None:
        return True
    from .scope import street_ids

    street_id = obj.department.street_id if hasattr(obj, "department_id") else obj.street_id
    return street_id in street_ids(user)


is_grid_worker = is_superuser | is_community_worker | is_grid_leader
grid_side = is_people_staff & obj_in_people_scope
department_side = is_superuser | (is_department_staff & obj_department_member)
street_keeper = is_superuser | (is_street_admin & obj_in_own_street)
case_reader = is_people_staff | is_department_staff

# The admin's module permission.
rules.add_perm("cases", case_reader)

rules.add_perm("cases.view_gridevent", case_reader)
rules.add_perm("cases.file_gridevent", is_grid_worker & obj_in_people_scope)
rules.add_perm("cases.add_gridevent", is_grid_worker)
rules.add_perm("cases.change_gridevent", rules.always_deny)  # moved by the verbs only
rules.add_perm("cases.delete_gridevent", rules.always_deny)  # cancelled, never deleted
rules.add_perm("cases.dispatch_gridevent", grid_side)
rules.add_perm("cases.cancel_gridevent", grid_side)
rules.add_perm("cases.check_gridevent", grid_side)
rules.add_perm("cases.accept_gridevent", department_side)
rules.add_perm("cases.return_gridevent", department_side)
rules.add_perm("cases.handle_gridevent", department_side)
rules.add_perm("cases.export_gridevent", case_reader)
for _model in ("eventphoto", "grideventstep"):
    rules.add_perm(f"cases.view_{_model}", case_reader)

for _model in ("department", "eventcategory", "departmentstaff"):
    rules.add_perm(f"cases.view_{_model}", case_reader & obj_in_read_street)
    rules.add_perm(f"cases.add_{_model}", is_superuser | is_street_admin)
    rules.add_perm(f"cases.change_{_model}", street_keeper)
    # Ended (is_active off), never deleted: events keep pointing at them.
    rules.add_perm(f"cases.delete_{_model}", rules.always_deny)
