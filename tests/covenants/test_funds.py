"""Money collected in advance: append-only pledges, receipts and reversals; the public total."""

from decimal import Decimal

import pytest
from django.db import IntegrityError

from core.exceptions import ApplicationError
from covenants import selectors, services
from covenants.models import FundEntry
from tests.factories.covenants import CovenantFactory, to_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def fund_covenant(org, actors, place):
    covenant = CovenantFactory(
        community=org.community, collects_funds=True, fund_purpose="楼道维修"
    )
    return to_state(covenant, actors.worker, "signing")


def test_pledges_receipts_and_a_reversal(org, actors, place, fund_covenant):
    pledge = services.covenant_fund_pledge(
        actor=actors.worker, covenant=fund_covenant, household=place.home_1, amount="800"
    )
    receipt = services.covenant_fund_receipt(
        actor=actors.worker, covenant=fund_covenant, household=place.home_1, amount="800.00"
    )
    services.covenant_fund_receipt(
        actor=actors.worker, covenant=fund_covenant, household=place.home_3, amount="500"
    )
    assert pledge.amount == Decimal("800") and receipt.entered_by == actors.worker
    reversal = services.covenant_fund_reverse(actor=actors.worker, entry=receipt, reason="重复录入")
    assert reversal.kind == "reversal" and reversal.reverses == receipt
    assert reversal.amount == Decimal("800.00")
    totals = selectors.fund_totals(fund_covenant)
    assert totals == {
        "pledged": Decimal("800.00"),
        "received": Decimal("500.00"),
        "households": 2,
    }
    with pytest.raises(ApplicationError) as err:
        services.covenant_fund_reverse(actor=actors.worker, entry=receipt, reason="再冲")
    assert err.value.code == "conflict"
    with pytest.raises(ApplicationError):
        services.covenant_fund_reverse(actor=actors.worker, entry=reversal, reason="冲冲正")
    per = {
        h.pk: (h.pledged, h.received)
        for h in selectors.fund_by_household(actor=actors.worker, covenant=fund_covenant)
    }
    assert per == {
        place.home_1.pk: (Decimal("800.00"), Decimal("0.00")),
        place.home_3.pk: (Decimal("0.00"), Decimal("500.00")),
    }


@pytest.mark.parametrize("amount", ["0", "-5", "abc", "1.234", "2000000", None])
def test_bad_amounts_are_refused(org, actors, place, fund_covenant, amount):
    with pytest.raises(ApplicationError) as err:
        services.covenant_fund_receipt(
            actor=actors.worker, covenant=fund_covenant, household=place.home_1, amount=amount
        )
    assert "amount" in err.value.fields
    assert not FundEntry.objects.exists()


def test_the_database_refuses_non_positive_amounts(org, actors, place, fund_covenant):
    with pytest.raises(IntegrityError):
        FundEntry.objects.create(
            covenant=fund_covenant, household=place.home_1, kind="receipt", amount=0
        )


def test_refusals(org, actors, place, covenant, fund_covenant):
    with pytest.raises(ApplicationError) as err:  # no fund on this covenant
        services.covenant_fund_pledge(
            actor=actors.worker, covenant=covenant, household=place.home_1, amount=1
        )
    assert err.value.code == "conflict"
    other = place.olga  # no household
    assert other is not None
    for who in ("grid_leader", "district_leader", "other_worker"):
        with pytest.raises(ApplicationError) as err:
            services.covenant_fund_pledge(
                actor=getattr(actors, who),
                covenant=fund_covenant,
                household=place.home_1,
                amount=1,
            )
        assert err.value.code == "forbidden"
    assert not FundEntry.objects.exists()


def test_household_outside_the_scope(org, actors, place):
    covenant = CovenantFactory(
        community=org.community,
        audience="compound",
        compound=place.compound_a,
        collects_funds=True,
    )
    to_state(covenant, actors.worker, "signing")
    with pytest.raises(ApplicationError) as err:
        services.covenant_fund_pledge(
            actor=actors.worker, covenant=covenant, household=place.home_3, amount=10
        )
    assert "household" in err.value.fields


def test_draft_collects_nothing(org, actors, place):
    covenant = CovenantFactory(community=org.community, collects_funds=True)
    with pytest.raises(ApplicationError) as err:
        services.covenant_fund_pledge(
            actor=actors.worker, covenant=covenant, household=place.home_1, amount=10
        )
    assert err.value.code == "conflict"


def test_the_database_wants_a_reason_on_a_reversal_and_none_on_a_receipt(
    org, actors, place, fund_covenant
):
    receipt = services.covenant_fund_receipt(
        actor=actors.worker, covenant=fund_covenant, household=place.home_1, amount=10
    )
    with pytest.raises(IntegrityError):
        FundEntry.objects.create(
            covenant=fund_covenant,
            household=place.home_1,
            kind="reversal",
            amount=10,
            reverses=receipt,
            reason="",
        )


def test_a_receipt_cannot_name_an_entry(org, actors, place, fund_covenant):
    receipt = services.covenant_fund_receipt(
        actor=actors.worker, covenant=fund_covenant, household=place.home_1, amount=10
    )
    with pytest.raises(IntegrityError):
        FundEntry.objects.create(
            covenant=fund_covenant,
            household=place.home_1,
            kind="receipt",
            amount=10,
            reverses=receipt,
        )
