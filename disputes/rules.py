"""Who may read and work a dispute case (django-rules, autodiscovered).

Case files are personal data (accounts.scope Level.PEOPLE):
- read: the case owner 包案人, the mediators who have an account, the community's workers and
  the street's admins, and a grid leader for the cases of their own micro-grid (they found or
  swept them; a case with no grid is not theirs). District leaders never read a case: they see
  counts on the dashboards only.
- manage (open a case, assign the owner, cancel, close, schedule receptions): the community's
  workers and the street's admins.
- work (parties, mediators, sessions, outcome, follow-up): the managers, the owner, and the
  mediators with an account.
- sweeps: grid leaders of the grid and the managers record them.
"""

import rules

from accounts.rules import is_people_staff, is_street_admin, is_superuser
from accounts.scope import Level, actor_scope


def _community_id(obj):
    from grids.models import Community

    if isinstance(obj, Community):
        return obj.pk
    return getattr(obj, "community_id", None)


@rules.predicate
def manages_community(user, obj):
    scope = actor_scope(user)
    if scope.is_global:
        return True
    if obj is None:
        return bool(scope.people_community_ids)
    return _community_id(obj) in scope.people_community_ids


@rules.predicate
def in_people_scope(user, obj):
    if obj is None:
        return actor_scope(user).sees_people
    return actor_scope(user).covers(obj, Level.PEOPLE)


@rules.predicate
def is_case_owner(user, case):
    return case is not None and case.owner_id is not None and case.owner_id == user.pk


@rules.predicate
def is_case_mediator(user, case):
    if case is None:
        return False
    ids = getattr(case, "_mediator_user_ids", None)
    if ids is None:
        ids = set(case.mediators.exclude(user=None).values_list("user_id", flat=True))
        case._mediator_user_ids = ids
    return user.pk in ids


@rules.predicate
def sweeps_grid(user, obj):
    scope = actor_scope(user)
    if obj is None:
        return bool(scope.grid_ids or scope.people_community_ids) or scope.is_global
    from grids.models import MicroGrid

    grid_id = obj.pk if isinstance(obj, MicroGrid) else getattr(obj, "grid_id", None)
    community_id = _community_id(obj)
    return (
        scope.is_global or grid_id in scope.grid_ids or community_id in scope.people_community_ids
    )


case_reader = (is_people_staff & in_people_scope) | is_case_owner | is_case_mediator
case_manager = is_superuser | manages_community
case_worker = case_manager | is_case_owner | is_case_mediator

rules.add_perm("disputes", is_people_staff)
rules.add_perm("disputes.view_disputecase", case_reader)
rules.add_perm("disputes.view_case_file", case_reader)
rules.add_perm("disputes.add_disputecase", case_manager)
rules.add_perm("disputes.change_disputecase", case_worker)
rules.add_perm("disputes.delete_disputecase", rules.always_deny)
rules.add_perm("disputes.assign_disputecase", case_manager)
rules.add_perm("disputes.cancel_disputecase", case_manager)
rules.add_perm("disputes.close_disputecase", case_manager)
rules.add_perm("disputes.work_disputecase", case_worker)
for _model in ("disputeparty", "disputemediator", "disputesession", "disputecaseevent"):
    rules.add_perm(f"disputes.view_{_model}", case_reader)

rules.add_perm("disputes.view_disputesweep", is_people_staff & in_people_scope)
rules.add_perm("disputes.add_disputesweep", is_people_staff & sweeps_grid)
rules.add_perm("disputes.view_receptionday", is_people_staff & in_people_scope)
rules.add_perm("disputes.add_receptionday", case_manager & is_people_staff)


@rules.predicate
def receives_at(user, reception):
    return reception is not None and reception.receivers.filter(pk=user.pk).exists()


rules.add_perm("disputes.view_receptionrecord", is_people_staff & in_people_scope)
rules.add_perm("disputes.add_receptionrecord", is_people_staff & (case_manager | receives_at))


# The access log and the street's setting: street admins (and superusers).
@rules.predicate
def admin_of_street(user, obj):
    scope = actor_scope(user)
    if obj is None:
        return bool(scope.street_ids)
    street_id = getattr(obj, "street_id", None) or obj.pk
    return street_id in scope.street_ids


is_street_admin_here = is_superuser | (is_street_admin & admin_of_street)
# Rows: the admin limits the log to the street admin's streets.
rules.add_perm("disputes.view_disputeaccesslog", is_superuser | is_street_admin)
rules.add_perm("disputes.view_disputesetting", is_street_admin_here)
rules.add_perm("disputes.change_disputesetting", is_street_admin_here)
rules.add_perm("disputes.add_disputesetting", is_street_admin_here)
