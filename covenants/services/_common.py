"""Plumbing of the covenants' services: the board's checks and timeline labels, the lock,
the status summary on the covenant, and who lives in a covenant's scope."""

from django.db.models import Exists, OuterRef

from accounts.models import User
from board.scope import residents_in_target_q
from board.services._common import (
    actor_label,
    conflict,
    insert_once,
    invalid,
    require,
    text,
)
from core.exceptions import ApplicationError
from residents.models import Household, Resident

from ..models import Covenant, CovenantEvent, CovenantVersion, VersionState

Status = Covenant.Status
S = VersionState

__all__ = [
    "ApplicationError",
    "actor_label",
    "conflict",
    "eligible_households",
    "eligible_users",
    "event",
    "insert_once",
    "invalid",
    "lock",
    "require",
    "sync_status",
    "text",
]


def lock(covenant) -> Covenant:
    """The covenant's row, locked: every move of any of its versions takes this lock first,
    so two moves of one covenant run one after the other."""
    return (
        Covenant.objects.select_for_update(of=("self",))
        .select_related("community", "compound", "building")
        .get(pk=covenant.pk)
    )


def open_version(covenant) -> CovenantVersion | None:
    return (
        CovenantVersion.objects.filter(
            covenant=covenant, state__in=[S.DRAFT, S.DISCUSSION, S.SIGNING]
        )
        .order_by("-number")
        .first()
    )


def sync_status(covenant):
    """Rewrite the covenant's summary of its versions (see covenants.models.covenants)."""
    newest = CovenantVersion.objects.filter(covenant=covenant).order_by("-number").first()
    in_force = CovenantVersion.objects.filter(covenant=covenant, state=S.IN_FORCE).first()
    if in_force is not None:
        status = Status.IN_FORCE
    elif covenant.repealed_at is not None:
        status = Status.REPEALED
    else:
        status = newest.state
    covenant.status = status
    covenant.current_version = newest
    covenant.in_force_version = in_force
    covenant.save(update_fields=["status", "current_version", "in_force_version", "updated_at"])
    return covenant


def event(
    covenant,
    *,
    actor,
    verb,
    version=None,
    note="",
    from_state="",
    to_state="",
    is_public=True,
    **data,
):
    """One row on the covenant's timeline, inside the move's transaction. The same row as
    core.timeline.timeline_append writes, plus the version it concerns (a column of
    CovenantEvent, which timeline_append's keyword data would put into the JSON)."""
    return CovenantEvent.objects.create(
        covenant=covenant,
        version_number=version.number if version is not None else None,
        actor=actor,
        actor_label=actor_label(actor),
        verb=verb,
        note=note,
        from_state=from_state,
        to_state=to_state,
        is_public=is_public,
        data=data,
    )


def _living():
    return Resident.objects.filter(household=OuterRef("pk"), status=Resident.Status.LIVING)


def eligible_households(covenant):
    """Households of the scope with at least one living member."""
    return Household.objects.filter(residents_in_target_q(covenant)).filter(Exists(_living()))


def eligible_users(covenant):
    """Active verified accounts of the living residents in the covenant's scope."""
    residents = Resident.objects.filter(status=Resident.Status.LIVING).filter(
        residents_in_target_q(covenant)
    )
    return User.objects.filter(
        is_active=True, verification_status=User.Verification.VERIFIED, resident__in=residents
    ).order_by("pk")


def not_allowed(message):
    return ApplicationError(message, code="forbidden")


def unit_name(covenant) -> str:
    if covenant.compound_id:
        return str(covenant.compound)
    if covenant.building_id:
        return str(covenant.building)
    return str(covenant.community)
