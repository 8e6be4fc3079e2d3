"""Who sees which grid events, on top of the one scope mechanism (accounts.scope).

- The grid side (street admins, community workers, grid leaders) sees the events of the units
  in their PEOPLE scope: a grid leader their grid's, a worker their community's, a street
  admin the street's. District leaders see none (aggregates only, on the dashboards).
- A department's staff see ONLY the events sent to their department. Holding an active
  DepartmentStaff row is the department role (accounts' Role choices stay as they are); the
  department ids are read once per request and cached on the user, like actor_scope.
"""

from django.db.models import Q

from accounts.scope import Level, actor_scope

CACHE_ATTR = "_cases_department_ids"


def department_ids(user) -> frozenset:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, CACHE_ATTR, None)
    if cached is not None:
        return cached
    from .models import DepartmentStaff

    ids = frozenset(
        DepartmentStaff.objects.filter(
            user=user, is_active=True, department__is_active=True
        ).values_list("department_id", flat=True)
    )
    setattr(user, CACHE_ATTR, ids)
    return ids


def forget_departments(user):
    if hasattr(user, CACHE_ATTR):
        delattr(user, CACHE_ATTR)


def is_department_member(user, department_id) -> bool:
    return department_id is not None and department_id in department_ids(user)


def event_q(user) -> Q:
    """The events `user` may see at all (anything else answers 404)."""
    from .models import GridEvent

    scope = actor_scope(user)
    if scope.is_global:
        return Q()
    q = scope.q(GridEvent, Level.PEOPLE)
    departments = department_ids(user)
    if departments:
        q |= Q(department_id__in=departments)
    return q


def sees_event(user, event) -> bool:
    if event is None:
        return True
    scope = actor_scope(user)
    return scope.covers(event, Level.PEOPLE) or is_department_member(user, event.department_id)


def street_ids(user) -> frozenset:
    """Streets whose departments and categories the user reads (the grid side's streets, and
    the streets of their own departments)."""
    from .models import Department

    scope = actor_scope(user)
    ids = set(scope.people_street_ids)
    departments = department_ids(user)
    if departments:
        ids.update(
            Department.objects.filter(pk__in=departments).values_list("street_id", flat=True)
        )
    return frozenset(ids)
