"""Writes of the money collected in advance under a covenant: pledges, receipts and
reversals, by the community's workers. Append-only: nothing is edited or deleted."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from board.scope import residents_in_target_q
from residents.models import Household

from ..models import Covenant, FundEntry
from ._common import conflict, event, invalid, lock, require, text

Kind = FundEntry.Kind
MAX_AMOUNT = Decimal("1000000")
FUND_STATUSES = {Covenant.Status.SIGNING, Covenant.Status.IN_FORCE}


def _amount(value) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        raise invalid("amount", _("请填写金额。")) from None
    if not amount.is_finite() or amount <= 0:
        raise invalid("amount", _("金额须大于 0。"))
    if amount > MAX_AMOUNT or amount != amount.quantize(Decimal("0.01")):
        raise invalid("amount", _("金额须在 100 万元以内，最多两位小数。"))
    return amount


def _household(covenant, household):
    pk = getattr(household, "pk", household)
    found = Household.objects.filter(residents_in_target_q(covenant), pk=pk).first()
    if found is None:
        raise invalid("household", _("该户不在规约的适用范围内。"))
    return found


def _entry(*, actor, covenant, household, amount, kind, note):
    covenant = lock(covenant)
    require(actor, "covenants.enter_fund", covenant)
    if not covenant.collects_funds:
        raise conflict(_("该规约不预收资金。"))
    if covenant.status not in FUND_STATUSES:
        raise conflict(_("规约进入签署或生效后才能登记资金。"))
    amount = _amount(amount)
    household = _household(covenant, household)
    note = text(note, "note", max_length=200, required=False)
    entry = FundEntry.objects.create(
        covenant=covenant,
        household=household,
        kind=kind,
        amount=amount,
        reason=note,
        entered_by=actor,
        at=timezone.now(),
    )
    event(covenant, actor=actor, verb=f"fund_{kind}", is_public=False, entry=entry.pk)
    return entry


@transaction.atomic
def covenant_fund_pledge(*, actor, covenant, household, amount, note="") -> FundEntry:
    """A household's pledge (认缴) under the covenant."""
    return _entry(
        actor=actor,
        covenant=covenant,
        household=household,
        amount=amount,
        kind=Kind.PLEDGE,
        note=note,
    )


@transaction.atomic
def covenant_fund_receipt(*, actor, covenant, household, amount, note="") -> FundEntry:
    """Money received (实收) from a household."""
    return _entry(
        actor=actor,
        covenant=covenant,
        household=household,
        amount=amount,
        kind=Kind.RECEIPT,
        note=note,
    )


@transaction.atomic
def covenant_fund_reverse(*, actor, entry, reason) -> FundEntry:
    """Cancel a wrong pledge or receipt by a reversal row naming it and the reason."""
    reason = text(reason, "reason", max_length=200)
    entry = FundEntry.objects.select_for_update().select_related("covenant").get(pk=entry.pk)
    covenant = lock(entry.covenant)
    require(actor, "covenants.enter_fund", covenant)
    if entry.kind == Kind.REVERSAL:
        raise conflict(_("冲正记录不能再冲正。"))
    if FundEntry.objects.filter(reverses=entry).exists():
        raise conflict(_("该记录已冲正。"))
    reversal = FundEntry.objects.create(
        covenant=covenant,
        household_id=entry.household_id,
        kind=Kind.REVERSAL,
        amount=entry.amount,
        reverses=entry,
        reason=reason,
        entered_by=actor,
        at=timezone.now(),
    )
    event(
        covenant,
        actor=actor,
        verb="fund_reversal",
        is_public=False,
        note=reason,
        entry=reversal.pk,
    )
    return reversal
