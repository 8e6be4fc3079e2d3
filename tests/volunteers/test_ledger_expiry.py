"""Points expiry: FIFO spending, never more than the balance, once per period."""

# Fixtures are imported from points_fixtures (the shared conftest belongs to another module).
# ruff: noqa: F401, F811

import datetime

import pytest
import time_machine

from tests.factories.volunteers_points import PointsPolicyFactory
from volunteers.models import PointsEntry
from volunteers.services.points import (
    expired_amount,
    points_adjust,
    points_expire,
    redemption_cancel,
    reward_redeem,
)
from volunteers.tasks import expire_points

from .points_fixtures import assert_balance_is_sum, credit, member, reward

# Role assignments start today, so the back-dated writes are a superuser's.
SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def at(*args):
    return time_machine.travel(datetime.datetime(*args, 10, 0, tzinfo=SHANGHAI), tick=False)


def test_expiry_is_fifo_and_runs_once_per_period(actors, org, member, reward):
    PointsPolicyFactory(street=org.street, expiry_months=12)
    with at(2025, 1, 10):
        account = credit(actors.superuser, member, org.community, 50)
    with at(2025, 6, 1):
        points_adjust(actor=actors.superuser, account=account, points=30, reason="补录")
    with at(2025, 8, 1):
        reward.points_cost = 40
        reward.save()
        reward_redeem(actor=member, reward=reward)  # spends the oldest: 40 of January's 50
    with at(2026, 3, 1):
        points_adjust(actor=actors.superuser, account=account, points=20, reason="补录")

    # Cutoff 2025-07-15: 80 earned before it, 40 of them spent → 40 expire; 20 stay.
    with at(2026, 7, 15):
        assert points_expire() == 1
        assert points_expire() == 0
        assert expire_points() == 0
    account.refresh_from_db()
    assert account.balance == 20
    entry = PointsEntry.objects.get(account=account, kind="expire")
    assert (entry.points, entry.period, entry.balance_after) == (-40, "2026-07", 20)

    # Next month nothing more is old enough; the earlier expiry counts as spent.
    with at(2026, 8, 2):
        assert points_expire() == 0
    # A year after March's 20 points, they expire too; the balance ends at zero, never below.
    with at(2027, 3, 5):
        assert expire_points() == 1
    account.refresh_from_db()
    assert account.balance == 0
    assert list(
        PointsEntry.objects.filter(account=account, kind="expire")
        .order_by("created_at")
        .values_list("period", "points")
    ) == [("2026-07", -40), ("2027-03", -20)]
    assert_balance_is_sum(account)


def test_refunds_give_back_what_was_spent(actors, org, member, reward):
    PointsPolicyFactory(street=org.street, expiry_months=6)
    with at(2026, 1, 5):
        account = credit(actors.superuser, member, org.community, 100)
        redemption = reward_redeem(actor=member, reward=reward)  # 30 spent …
        redemption_cancel(actor=member, redemption=redemption)  # … and refunded
    with at(2026, 7, 10):
        points_adjust(actor=actors.superuser, account=account, points=-10, reason="纠错")
        # 100 old, 10 spent in all (the refunded order nets to nothing) → 90 expire.
        assert points_expire() == 1
    account.refresh_from_db()
    assert account.balance == 0
    assert_balance_is_sum(account)


def test_expiry_never_takes_more_than_the_balance(actors, org, member):
    PointsPolicyFactory(street=org.street, expiry_months=1)
    with at(2026, 1, 5):
        account = credit(actors.superuser, member, org.community, 30)
        points_adjust(actor=actors.superuser, account=account, points=-25, reason="纠错")
    with at(2026, 3, 1):
        account.refresh_from_db()
        assert expired_amount(account, datetime.datetime(2026, 2, 1, tzinfo=SHANGHAI)) == 5
        assert points_expire() == 1
    account.refresh_from_db()
    assert account.balance == 0


def test_no_expiry_without_a_validity_or_for_recent_points(actors, org, member):
    with at(2024, 1, 5):
        account = credit(actors.superuser, member, org.community, 30)
    with at(2026, 3, 1):
        assert points_expire() == 0  # the street sets no validity
    PointsPolicyFactory(street=org.street, expiry_months=36)
    with at(2026, 3, 1):
        assert points_expire() == 0  # 26 months old, valid for 36
    account.refresh_from_db()
    assert account.balance == 30


def test_database_refuses_two_expiries_in_one_period(actors, org, member):
    from django.db import IntegrityError, transaction

    PointsPolicyFactory(street=org.street, expiry_months=1)
    with at(2026, 1, 5):
        account = credit(actors.superuser, member, org.community, 30)
    with at(2026, 3, 1):
        points_expire()
    account.refresh_from_db()
    with pytest.raises(IntegrityError), transaction.atomic():
        PointsEntry.objects.create(
            account=account, kind="expire", points=-1, balance_after=0, period="2026-03"
        )
