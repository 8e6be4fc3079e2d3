"""The street's points policy and rules: written by its street admins only."""

import pytest

from core.exceptions import ApplicationError
from tests.factories.volunteers_points import PointsRuleFactory
from volunteers.models import PointsPolicy, PointsRule
from volunteers.services.points import (
    points_policy_update,
    points_rule_create,
    points_rule_update,
)


def test_street_admin_writes_and_publishes_the_policy(actors, org):
    policy = points_policy_update(
        actor=actors.street_admin, street=org.street, text="每小时 10 分", daily_cap=40
    )
    assert (policy.daily_cap, policy.published_at) == (40, None)
    policy = points_policy_update(actor=actors.street_admin, street=org.street, publish=True)
    assert policy.published_at is not None and policy.text == "每小时 10 分"
    policy = points_policy_update(actor=actors.street_admin, street=org.street, daily_cap=None)
    assert policy.daily_cap is None
    assert PointsPolicy.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"daily_cap": 0}, "daily_cap"),
        ({"expiry_months": "x"}, "expiry_months"),
        ({"title": ""}, "title"),
    ],
)
def test_bad_policy_input(actors, org, changes, field):
    with pytest.raises(ApplicationError) as info:
        points_policy_update(actor=actors.street_admin, street=org.street, **changes)
    assert field in info.value.fields
    assert not PointsPolicy.objects.exists()


@pytest.mark.parametrize(
    "who", ["worker", "grid_leader", "district_leader", "foreign_admin", "resident"]
)
def test_roles_that_may_not_write_the_rules(actors, org, who):
    user = getattr(actors, who)
    rule = PointsRuleFactory(street=org.street, name="通用")
    for call in (
        lambda: points_policy_update(actor=user, street=org.street, daily_cap=10),
        lambda: points_rule_create(actor=user, street=org.street, name="新规则"),
        lambda: points_rule_update(actor=user, rule=rule, points_per_hour=99),
    ):
        with pytest.raises(ApplicationError) as info:
            call()
        assert info.value.code == "forbidden"
    rule.refresh_from_db()
    assert rule.points_per_hour == 10
    assert not PointsPolicy.objects.exists() and PointsRule.objects.count() == 1


def test_rule_create_and_update(actors, org):
    rule = points_rule_create(
        actor=actors.street_admin,
        street=org.street,
        name="为老服务",
        activity_kind="post",
        category="为老服务",
        points_per_hour=8,
        max_points_per_attendance=30,
        is_default=True,
    )
    assert (rule.points_per_hour, rule.max_points_per_attendance) == (8, 30)
    rule = points_rule_update(actor=actors.superuser, rule=rule, bonus_points=5)
    assert rule.bonus_points == 5
    for fields, field in (
        ({"name": "为老服务"}, "name"),
        ({"name": "x", "activity_kind": "party"}, "activity_kind"),
        ({"name": "y", "points_per_hour": -1}, "points_per_hour"),
        ({"name": "z", "max_points_per_attendance": 0}, "max_points_per_attendance"),
    ):
        with pytest.raises(ApplicationError) as info:
            points_rule_create(actor=actors.street_admin, street=org.street, **fields)
        assert field in info.value.fields
    assert PointsRule.objects.count() == 1
