"""Reads for accounts: the signed-in user, the accounts staff may see, role assignments."""

from django.db.models import Prefetch, Q, QuerySet

from .models import Role, RoleAssignment, User
from .scope import Level, actor_scope

ASSIGNMENT_RELATED = ("district", "street", "community__street", "grid__community__street")


def _assignments_in_streets(street_ids) -> Q:
    return (
        Q(street_id__in=street_ids)
        | Q(community__street_id__in=street_ids)
        | Q(grid__community__street_id__in=street_ids)
    )


def user_visible_list(*, actor) -> QuerySet[User]:
    """Accounts `actor` may see in the admin: those claiming (or verified into) a community of
    the actor's people scope, and for street admins also everyone holding a role in their
    street. Superusers see all."""
    scope = actor_scope(actor)
    qs = User.objects.select_related("claimed_community", "verified_by")
    if scope.is_global:
        return qs
    visible = Q(pk__in=[])
    if scope.people_community_ids:
        from residents.models import Resident

        visible |= scope.q(User, Level.PEOPLE)
        visible |= Q(
            pk__in=Resident.objects.filter(
                community_id__in=scope.people_community_ids, account__isnull=False
            ).values("account_id")
        )
    if scope.street_ids:
        visible |= Q(
            pk__in=RoleAssignment.objects.filter(_assignments_in_streets(scope.street_ids)).values(
                "user_id"
            )
        )
    return qs.filter(visible)


def pending_account_list(*, actor, filters=None) -> QuerySet[User]:
    """Unverified accounts claiming a community in the actor's people scope, oldest first."""
    qs = actor_scope(actor).filter(
        User.objects.filter(
            verification_status=User.Verification.PENDING,
            is_active=True,
            claimed_community__isnull=False,  # staff accounts claim none: nothing to verify
        ),
        Level.PEOPLE,
    )
    filters = filters or {}
    if filters.get("claimed_community"):
        qs = qs.filter(claimed_community_id=filters["claimed_community"])
    return qs.select_related("claimed_community").order_by("date_joined", "pk")


def account_for_review_get(*, actor, pk) -> User | None:
    """An account (pending or rejected) that `actor` may verify or reject, else None."""
    return (
        actor_scope(actor)
        .filter(
            User.objects.exclude(verification_status=User.Verification.VERIFIED).filter(
                claimed_community__isnull=False
            ),
            Level.PEOPLE,
        )
        .filter(pk=pk)
        .first()
    )


def role_assignment_list(*, actor, filters=None) -> QuerySet[RoleAssignment]:
    """Role assignments over units of the actor's streets (all for superusers)."""
    scope = actor_scope(actor)
    qs = RoleAssignment.objects.select_related("user", "granted_by", *ASSIGNMENT_RELATED)
    if not scope.is_global:
        qs = qs.filter(_assignments_in_streets(scope.street_ids)) if scope.street_ids else qs.none()
    filters = filters or {}
    if filters.get("role"):
        qs = qs.filter(role=filters["role"])
    if filters.get("user"):
        qs = qs.filter(user_id=filters["user"])
    if filters.get("active") is True:
        qs = qs.active()
    return qs.order_by("-starts_on", "-pk")


def role_assignment_get(*, actor, pk) -> RoleAssignment | None:
    return role_assignment_list(actor=actor).filter(pk=pk).first()


def user_me_get(*, user) -> User:
    """The signed-in user with their current roles and units, and the linked resident's
    community (never any of the resident's personal fields)."""
    from residents.models import Resident

    active = RoleAssignment.objects.active().select_related(*ASSIGNMENT_RELATED).order_by("role")
    me = (
        User.objects.select_related("claimed_community__street")
        .prefetch_related(
            Prefetch("role_assignments", queryset=active, to_attr="active_assignments")
        )
        .get(pk=user.pk)
    )
    me.linked_resident = (
        Resident.objects.filter(account=me)
        .select_related("community__street", "grid")
        .only("pk", "community__name", "community__street__name", "grid__name", "account_id")
        .first()
    )
    return me


def unit_for_role_get(*, role, unit_id):
    """The unit a role is held over (a District, Street, Community or MicroGrid), or None."""
    from grids.models import Community, District, MicroGrid, Street

    model = {
        Role.DISTRICT_LEADER: District,
        Role.STREET_ADMIN: Street,
        Role.COMMUNITY_WORKER: Community,
        Role.GRID_LEADER: MicroGrid,
    }[Role(role)]
    related = {Community: ("street",), MicroGrid: ("community__street",)}.get(model, ())
    return model.objects.select_related(*related).filter(pk=unit_id).first()
