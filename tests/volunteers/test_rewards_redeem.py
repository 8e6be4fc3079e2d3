"""Rewards, redemptions, hand-over and cancellation through the services."""

# Fixtures are imported from points_fixtures (the shared conftest belongs to another module).
# ruff: noqa: F401, F811

import pytest
from django.db import IntegrityError, transaction

from core.exceptions import ApplicationError
from tests.factories.accounts import UserFactory
from tests.factories.proposals import verified_resident
from tests.factories.volunteers_points import RewardFactory
from volunteers.models import PointsAccount, PointsEntry, Redemption, Reward
from volunteers.services.points import (
    points_adjust,
    redemption_cancel,
    redemption_hand_over,
    reward_create,
    reward_redeem,
    reward_update,
)

from .points_fixtures import assert_balance_is_sum, credit, member, reward


def test_redeem_debits_points_and_takes_stock(actors, org, member, reward):
    account = credit(actors.worker, member, org.community, 100)
    redemption = reward_redeem(actor=member, reward=reward, quantity=2)
    reward.refresh_from_db()
    account.refresh_from_db()
    assert (redemption.points, redemption.quantity, redemption.status) == (60, 2, "requested")
    assert (account.balance, reward.stock) == (40, 3)
    entry = PointsEntry.objects.get(redemption=redemption)
    assert (entry.kind, entry.points, entry.balance_after) == ("redeem", -60, 40)
    assert_balance_is_sum(account)


def test_insufficient_balance_is_a_conflict_with_the_numbers(actors, org, member, reward):
    account = credit(actors.worker, member, org.community, 50)
    with pytest.raises(ApplicationError) as info:
        reward_redeem(actor=member, reward=reward, quantity=2)
    assert info.value.code == "conflict"
    assert "积分不足" in info.value.message and "50" in info.value.message
    assert "60" in info.value.message
    reward.refresh_from_db()
    account.refresh_from_db()
    assert (account.balance, reward.stock) == (50, 5)
    assert not Redemption.objects.exists()


def test_out_of_stock_is_a_conflict(actors, org, member, reward):
    credit(actors.worker, member, org.community, 1000)
    with pytest.raises(ApplicationError) as info:
        reward_redeem(actor=member, reward=reward, quantity=6)
    assert info.value.code == "conflict"
    assert "库存不足" in info.value.message and "5" in info.value.message
    assert not Redemption.objects.exists()


def test_withdrawn_reward_cannot_be_redeemed(actors, org, member, reward):
    credit(actors.worker, member, org.community, 100)
    reward_update(actor=actors.worker, reward=reward, is_active=False)
    with pytest.raises(ApplicationError) as info:
        reward_redeem(actor=member, reward=reward)
    assert info.value.code == "conflict"


def test_unverified_and_other_community_residents_may_not_redeem(actors, org, reward):
    outsider = verified_resident(org.sibling_community)
    for user in (actors.resident, outsider, actors.worker, actors.district_leader):
        with pytest.raises(ApplicationError) as info:
            reward_redeem(actor=user, reward=reward)
        assert info.value.code == "forbidden"
    assert not Redemption.objects.exists()
    assert not PointsAccount.objects.exists()


def test_bad_quantity_is_refused(actors, org, member, reward):
    credit(actors.worker, member, org.community, 100)
    for quantity in (0, -1, "x", 101):
        with pytest.raises(ApplicationError) as info:
            reward_redeem(actor=member, reward=reward, quantity=quantity)
        assert info.value.code == "invalid" and "quantity" in info.value.fields


def test_cancel_refunds_once_and_returns_stock(actors, org, member, reward):
    account = credit(actors.worker, member, org.community, 100)
    redemption = reward_redeem(actor=member, reward=reward)
    redemption_cancel(actor=member, redemption=redemption)
    with pytest.raises(ApplicationError) as info:
        redemption_cancel(actor=actors.worker, redemption=redemption, reason="再退一次")
    assert info.value.code == "conflict"
    account.refresh_from_db()
    reward.refresh_from_db()
    redemption.refresh_from_db()
    assert (account.balance, reward.stock, redemption.status) == (100, 5, "cancelled")
    assert PointsEntry.objects.filter(redemption=redemption, kind="refund").count() == 1
    assert_balance_is_sum(account)


def test_database_refuses_a_second_refund(actors, org, member, reward):
    account = credit(actors.worker, member, org.community, 100)
    redemption = reward_redeem(actor=member, reward=reward)
    redemption_cancel(actor=member, redemption=redemption)
    account.refresh_from_db()
    with pytest.raises(IntegrityError), transaction.atomic():
        PointsEntry.objects.create(
            account=account,
            kind="refund",
            points=30,
            balance_after=account.balance + 30,
            redemption=redemption,
        )


def test_worker_hands_over_then_resident_cannot_cancel(actors, org, member, reward):
    credit(actors.worker, member, org.community, 100)
    redemption = reward_redeem(actor=member, reward=reward)
    for refused in (actors.other_worker, actors.district_leader, actors.grid_leader, member):
        with pytest.raises(ApplicationError) as info:
            redemption_hand_over(actor=refused, redemption=redemption)
        assert info.value.code == "forbidden"
    redemption = redemption_hand_over(actor=actors.worker, redemption=redemption)
    assert redemption.status == "handed_over" and redemption.handed_over_by == actors.worker
    with pytest.raises(ApplicationError) as info:
        redemption_hand_over(actor=actors.worker, redemption=redemption)
    assert info.value.code == "conflict"
    with pytest.raises(ApplicationError) as info:
        redemption_cancel(actor=member, redemption=redemption)
    assert info.value.code == "conflict"


def test_worker_cancels_a_returned_item_with_a_reason(actors, org, member, reward):
    account = credit(actors.worker, member, org.community, 100)
    redemption = reward_redeem(actor=member, reward=reward)
    redemption_hand_over(actor=actors.worker, redemption=redemption)
    with pytest.raises(ApplicationError) as info:
        redemption_cancel(actor=actors.worker, redemption=redemption, reason=" ")
    assert info.value.fields.keys() == {"reason"}
    redemption_cancel(actor=actors.worker, redemption=redemption, reason="物品退回")
    account.refresh_from_db()
    reward.refresh_from_db()
    assert (account.balance, reward.stock) == (100, 5)


def test_another_resident_cannot_cancel_my_order(actors, org, member, reward):
    credit(actors.worker, member, org.community, 100)
    redemption = reward_redeem(actor=member, reward=reward)
    neighbour = verified_resident(org.community)
    with pytest.raises(ApplicationError) as info:
        redemption_cancel(actor=neighbour, redemption=redemption)
    assert info.value.code == "forbidden"


def test_adjust_cannot_take_the_balance_below_zero(actors, org, member):
    account = credit(actors.worker, member, org.community, 10)
    with pytest.raises(ApplicationError) as info:
        points_adjust(actor=actors.worker, account=account, points=-11, reason="纠错")
    assert info.value.code == "conflict"
    account.refresh_from_db()
    assert account.balance == 10
    assert account.entries.count() == 1
    entry = points_adjust(actor=actors.worker, account=account, points=-10, reason="纠错")
    assert (entry.balance_after, entry.actor, entry.reason) == (0, actors.worker, "纠错")
    assert_balance_is_sum(account)


def test_adjust_needs_a_reason_and_a_nonzero_amount(actors, org, member):
    account = credit(actors.worker, member, org.community, 10)
    for points, reason, field in ((5, "", "reason"), (0, "x", "points"), ("abc", "x", "points")):
        with pytest.raises(ApplicationError) as info:
            points_adjust(actor=actors.worker, account=account, points=points, reason=reason)
        assert field in info.value.fields
    assert account.entries.count() == 1


@pytest.mark.parametrize("who", ["other_worker", "district_leader", "grid_leader", "resident"])
def test_roles_that_may_not_adjust(actors, org, member, who):
    account = credit(actors.worker, member, org.community, 10)
    with pytest.raises(ApplicationError) as info:
        points_adjust(actor=getattr(actors, who), account=account, points=5, reason="奖励")
    assert info.value.code == "forbidden"
    assert account.entries.count() == 1


def test_reward_create_and_update(actors, org):
    reward = reward_create(
        actor=actors.street_admin, community=org.community, name="理发券", points_cost=20, stock=3
    )
    assert reward.community == org.community and reward.kind == "goods"
    reward = reward_update(actor=actors.worker, reward=reward, stock=10, kind="voucher")
    assert (reward.stock, reward.kind) == (10, "voucher")
    for bad, field in (({"stock": -1}, "stock"), ({"points_cost": 0}, "points_cost")):
        with pytest.raises(ApplicationError) as info:
            reward_update(actor=actors.worker, reward=reward, **bad)
        assert field in info.value.fields
    for who in (actors.other_worker, actors.grid_leader, actors.district_leader, actors.resident):
        with pytest.raises(ApplicationError) as info:
            reward_create(actor=who, community=org.community, name="x", points_cost=1, stock=1)
        assert info.value.code == "forbidden"
    assert Reward.objects.count() == 1
