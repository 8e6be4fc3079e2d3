"""Changes to a covenant after its first path: an amendment (a new version of an in-force
covenant, through the same path as the first), repeal of an in-force covenant with a reason,
and cancelling the version in draft or discussion. The legal moves are workflow.TRANSITIONS."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Covenant, CovenantVersion, VersionState
from ._common import conflict, event, lock, open_version, require, sync_status, text
from .workflow import _check_move, _clean_text, _the_open

S = VersionState


@transaction.atomic
def covenant_amend(*, actor, covenant, text_html, change_summary) -> Covenant:
    """Start an amendment: a new draft version of an in-force covenant (the version in force
    stays in force until the amendment itself comes into force)."""
    covenant = lock(covenant)
    require(actor, "covenants.change_covenant", covenant)
    if covenant.status != Covenant.Status.IN_FORCE:
        raise conflict(_("只有已生效的规约可以修订。"))
    if open_version(covenant) is not None:
        raise conflict(_("已有一个修订稿在进行中。"))
    summary = text(change_summary, "change_summary", max_length=300)
    body = _clean_text(text_html)
    number = covenant.versions.order_by("-number").values_list("number", flat=True).first() + 1
    version = CovenantVersion.objects.create(
        covenant=covenant, number=number, text=body, change_summary=summary, created_by=actor
    )
    event(
        covenant,
        actor=actor,
        verb="amendment_created",
        version=version,
        to_state=S.DRAFT,
        note=summary,
    )
    return sync_status(covenant)


@transaction.atomic
def covenant_repeal(*, actor, covenant, reason) -> Covenant:
    """Repeal an in-force covenant with a public reason (no amendment may be under way)."""
    covenant = lock(covenant)
    require(actor, "covenants.move_covenant", covenant)
    reason = text(reason, "reason", max_length=200)
    version = covenant.in_force_version
    if version is None:
        raise conflict(_("只有已生效的规约可以废止。"))
    if open_version(covenant) is not None:
        raise conflict(_("修订稿进行中，请先撤销修订稿再废止。"))
    version = CovenantVersion.objects.select_for_update().get(pk=version.pk)
    _check_move(version, S.REPEALED, _("废止"))
    now = timezone.now()
    version.state, version.ended_at = S.REPEALED, now
    version.save(update_fields=["state", "ended_at", "updated_at"])
    covenant.repealed_at, covenant.repeal_reason = now, reason
    covenant.save(update_fields=["repealed_at", "repeal_reason", "updated_at"])
    event(
        covenant,
        actor=actor,
        verb="repealed",
        version=version,
        from_state=S.IN_FORCE,
        to_state=S.REPEALED,
        note=reason,
    )
    return sync_status(covenant)


@transaction.atomic
def covenant_cancel(*, actor, covenant, reason) -> Covenant:
    """Call off the version in draft or discussion with a public reason. A first version
    cancelled ends the covenant; a cancelled amendment leaves the version in force as it was."""
    covenant = lock(covenant)
    require(actor, "covenants.move_covenant", covenant)
    reason = text(reason, "reason", max_length=200)
    version = _the_open(covenant)
    _check_move(version, S.CANCELLED, _("撤销"))
    from_state = version.state
    version.state = S.CANCELLED
    version.cancelled_at, version.cancel_reason = timezone.now(), reason
    version.save(update_fields=["state", "cancelled_at", "cancel_reason", "updated_at"])
    event(
        covenant,
        actor=actor,
        verb="cancelled",
        version=version,
        from_state=from_state,
        to_state=S.CANCELLED,
        note=reason,
    )
    return sync_status(covenant)
