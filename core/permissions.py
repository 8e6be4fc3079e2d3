"""The one DRF permission class: a view names a django-rules permission per action."""

from rest_framework.permissions import BasePermission


class RulesPermission(BasePermission):
    """Checks `view.permission_required[action]` (or the view's `permission_required` string).

    The model-level check runs in `has_permission`; the object-level check in
    `has_object_permission`. Scope (which rows exist for the caller at all) is the selectors'
    job: an object out of scope is a 404 before it ever reaches here.
    """

    def _perm(self, request, view):
        required = getattr(view, "permission_required", None)
        if isinstance(required, dict):
            action = getattr(view, "action", None) or request.method.lower()
            return required.get(action, required.get("*"))
        return required

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        perm = self._perm(request, view)
        return perm is None or request.user.has_perm(perm)

    def has_object_permission(self, request, view, obj):
        perm = self._perm(request, view)
        return perm is None or request.user.has_perm(perm, obj)
