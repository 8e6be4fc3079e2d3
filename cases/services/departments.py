"""Writes for a street's departments, event categories and department staff: kept by the
street's admins (the admin and the demo call these)."""

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Department, DepartmentStaff, EventCategory
from ..scope import forget_departments
from ._common import full_clean, invalid, require


def _perm(obj, action):
    return f"cases.{action}_{obj._meta.model_name}"


def _save(actor, obj):
    if not obj.pk:
        require(actor, _perm(obj, "add"), obj)
    # Only rows of a street the actor administers (a new row's street included).
    require(actor, _perm(obj, "change"), obj)
    if obj.pk:
        # The row as stored must be the actor's too (no moving a row out of another street).
        stored = type(obj).objects.select_for_update().get(pk=obj.pk)
        require(actor, _perm(stored, "change"), stored)
    full_clean(obj)
    obj.save()
    return obj


@transaction.atomic
def department_save(*, actor, department: Department, categories=None, communities=None):
    """Create or change a department; `categories` and `communities` (when given) replace its
    lists and must belong to its street."""
    _save(actor, department)
    if categories is not None:
        categories = list(categories)
        if any(c.street_id != department.street_id for c in categories):
            raise invalid("categories", _("只能选择本街道的事件类别。"))
        department.categories.set(categories)
    if communities is not None:
        communities = list(communities)
        if any(c.street_id != department.street_id for c in communities):
            raise invalid("communities", _("只能选择本街道的居民区。"))
        department.communities.set(communities)
    return department


@transaction.atomic
def category_save(*, actor, category: EventCategory):
    if category.default_department_id and (
        category.default_department.street_id != category.street_id
    ):
        raise invalid("default_department", _("默认部门须是本街道的部门。"))
    return _save(actor, category)


@transaction.atomic
def department_staff_save(*, actor, membership: DepartmentStaff):
    """Add an account to a department or end/restore its membership. The account needs staff
    status to sign in to the admin; it is given here."""
    _save(actor, membership)
    user = membership.user
    if membership.is_active and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    forget_departments(user)
    return membership
