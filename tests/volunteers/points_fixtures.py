"""Fixtures of the points tests (import the ones a module uses: `from .points_fixtures import *`
would hide what is used, so modules import them by name)."""

import pytest

from tests.factories.proposals import verified_resident
from tests.factories.volunteers_points import (
    PointsActivityFactory,
    PointsPolicyFactory,
    PointsRuleFactory,
    RewardFactory,
)
from volunteers.models import PointsAccount, PointsEntry
from volunteers.services.points import points_adjust


def credit(worker, user, community, points, reason="初始积分"):
    """Give `user` points through the real adjust service (the account is created first)."""
    account, _ = PointsAccount.objects.get_or_create(
        user=user, street=community.street, defaults={"community": community}
    )
    points_adjust(actor=worker, account=account, points=points, reason=reason)
    account.refresh_from_db()
    return account


def assert_balance_is_sum(account):
    account.refresh_from_db()
    total = sum(PointsEntry.objects.filter(account=account).values_list("points", flat=True))
    assert account.balance == total
    last = PointsEntry.objects.filter(account=account).order_by("-created_at", "-pk").first()
    assert (last.balance_after if last else 0) == account.balance


@pytest.fixture
def member(org):
    """A verified resident of org.community."""
    return verified_resident(org.community, real_name="王阿姨")


@pytest.fixture
def rule(org):
    return PointsRuleFactory(street=org.street, name="通用规则", points_per_hour=10)


@pytest.fixture
def policy(org):
    return PointsPolicyFactory(street=org.street)


@pytest.fixture
def points_activity(org, rule):
    return PointsActivityFactory(community=org.community, points_rule=rule)


@pytest.fixture
def reward(org):
    return RewardFactory(community=org.community, name="环保袋", points_cost=30, stock=5)
