"""Simultaneous redemptions on PostgreSQL: the balance and the stock come out exact."""

import threading

import pytest
from django.db import connection

from accounts.models import User
from core.exceptions import ApplicationError
from tests.factories.proposals import verified_resident
from tests.factories.volunteers_points import RewardFactory
from volunteers.models import PointsAccount, PointsEntry, Redemption
from volunteers.services.points import reward_redeem

from .points_fixtures import assert_balance_is_sum, credit

NEEDS_PG = "needs PostgreSQL: SELECT … FOR UPDATE row locks; SQLite serialises writers"


def _race(user_ids, reward):
    """Each user id redeems `reward` once, all released at the same instant by a barrier."""
    barrier = threading.Barrier(len(user_ids))
    outcomes = []

    def redeem(user_id):
        try:
            user = User.objects.get(pk=user_id)
            barrier.wait()
            reward_redeem(actor=user, reward=reward)
            outcomes.append("ok")
        except ApplicationError as exc:
            outcomes.append(exc.code)
        except Exception as exc:  # pragma: no cover - reported by the assertion
            outcomes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=redeem, args=(uid,)) for uid in user_ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(outcomes)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_simultaneous_redemptions_by_one_resident(org, actors):
    if connection.vendor != "postgresql":
        pytest.skip(NEEDS_PG)
    member = verified_resident(org.community, real_name="王阿姨")
    account = credit(actors.worker, member, org.community, 100)
    reward = RewardFactory(community=org.community, points_cost=30, stock=5)

    outcomes = _race([member.pk] * 10, reward)

    assert outcomes == ["conflict"] * 7 + ["ok"] * 3
    account.refresh_from_db()
    reward.refresh_from_db()
    assert (account.balance, reward.stock) == (10, 2)
    assert Redemption.objects.filter(account=account).count() == 3
    assert PointsEntry.objects.filter(account=account, kind="redeem").count() == 3
    assert_balance_is_sum(account)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_many_residents_race_for_the_last_items(org, actors):
    if connection.vendor != "postgresql":
        pytest.skip(NEEDS_PG)
    people = [verified_resident(org.community, real_name=f"居民{i}") for i in range(12)]
    for person in people:
        credit(actors.worker, person, org.community, 100)
    reward = RewardFactory(community=org.community, points_cost=30, stock=4)

    outcomes = _race([p.pk for p in people], reward)

    assert outcomes == ["conflict"] * 8 + ["ok"] * 4
    reward.refresh_from_db()
    assert reward.stock == 0
    assert Redemption.objects.filter(reward=reward).count() == 4
    for account in PointsAccount.objects.filter(user__in=people):
        assert account.balance in (70, 100)
        assert_balance_is_sum(account)
    assert sum(PointsAccount.objects.values_list("balance", flat=True)) == 12 * 100 - 4 * 30


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_cancellations_and_redemptions_at_once_keep_the_ledger_exact(org, actors):
    if connection.vendor != "postgresql":
        pytest.skip(NEEDS_PG)
    from volunteers.services.points import redemption_cancel

    member = verified_resident(org.community, real_name="王阿姨")
    account = credit(actors.worker, member, org.community, 90)
    reward = RewardFactory(community=org.community, points_cost=30, stock=10)
    orders = [reward_redeem(actor=member, reward=reward) for _ in range(3)]  # balance 0
    barrier = threading.Barrier(9)
    outcomes = []

    def run(call):
        try:
            barrier.wait()
            call()
            outcomes.append("ok")
        except ApplicationError as exc:
            outcomes.append(exc.code)
        except Exception as exc:  # pragma: no cover - reported by the assertion
            outcomes.append(repr(exc))
        finally:
            connection.close()

    def cancel(order):
        return lambda: redemption_cancel(
            actor=User.objects.get(pk=actors.worker.pk), redemption=order, reason="退回"
        )

    def redeem():
        reward_redeem(actor=User.objects.get(pk=member.pk), reward=reward)

    # Each order cancelled twice at once (one refund each), and three new redemptions.
    calls = [cancel(o) for o in orders] * 2 + [redeem] * 3
    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert all(o in ("ok", "conflict") for o in outcomes), outcomes
    assert PointsEntry.objects.filter(kind="refund").count() == 3
    account.refresh_from_db()
    reward.refresh_from_db()
    live = Redemption.objects.filter(reward=reward, status="requested").count()
    assert account.balance == 90 - 30 * live >= 0
    assert reward.stock == 10 - live
    assert_balance_is_sum(account)
