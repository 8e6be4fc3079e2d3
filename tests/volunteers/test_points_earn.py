"""Every points rule, the caps, and earning once per attendance."""

# Fixtures are imported from points_fixtures (the shared conftest belongs to another module).
# ruff: noqa: F401, F811

import datetime

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.factories.accounts import UserFactory
from tests.factories.volunteers_points import (
    PointsActivityFactory,
    PointsPolicyFactory,
    PointsRuleFactory,
    approved_attendance,
)
from volunteers.models import Activity, Attendance, PointsAccount, PointsEntry
from volunteers.services.points import points_earn_for_attendance, points_for_attendance

from .points_fixtures import assert_balance_is_sum, member, points_activity, rule


def _earn(actors, attendance):
    return points_earn_for_attendance(actor=actors.worker, attendance=attendance)


@pytest.mark.parametrize(
    ("hours", "expected"),
    [("2.00", 20), ("1.50", 15), ("0.25", 3), ("0.24", 2), ("0.05", 1), ("0.04", 0)],
)
def test_per_hour_rounds_half_up(actors, org, hours, expected):
    # 10 points an hour: 0.25 h → 2.5 → 3 (half up), 0.24 h → 2.4 → 2, 0.04 h → 0.4 → 0.
    rule = PointsRuleFactory(street=org.street, points_per_hour=10)
    activity = PointsActivityFactory(community=org.community, points_rule=rule)
    attendance = approved_attendance(activity, hours=hours)
    assert points_for_attendance(attendance) == expected


def test_per_attendance_bonus_and_cap(actors, org):
    rule = PointsRuleFactory(
        street=org.street, points_per_hour=5, points_per_attendance=3, bonus_points=2
    )
    activity = PointsActivityFactory(community=org.community, points_rule=rule)
    attendance = approved_attendance(activity, hours="3.00")
    assert points_for_attendance(attendance) == 15 + 3 + 2

    rule.max_points_per_attendance = 12
    rule.save()
    attendance.activity.refresh_from_db()
    entry = _earn(actors, attendance)
    assert entry.points == 12
    assert entry.rule == rule
    assert entry.kind == PointsEntry.Kind.EARN


def test_default_rule_by_kind_and_category(actors, org):
    PointsRuleFactory(
        street=org.street, name="通用", is_default=True, points_per_hour=0, points_per_attendance=1
    )
    PointsRuleFactory(
        street=org.street,
        name="岗位",
        is_default=True,
        activity_kind=Activity.Kind.POST,
        points_per_hour=0,
        points_per_attendance=7,
    )
    PointsRuleFactory(
        street=org.street,
        name="为老岗位",
        is_default=True,
        activity_kind=Activity.Kind.POST,
        category="为老服务",
        points_per_hour=0,
        points_per_attendance=9,
    )
    PointsRuleFactory(
        street=org.street,
        name="停用",
        is_default=True,
        is_active=False,
        points_per_hour=0,
        points_per_attendance=99,
    )
    PointsRuleFactory(
        street=org.sibling_street, is_default=True, points_per_hour=0, points_per_attendance=50
    )

    plain = PointsActivityFactory(community=org.community, points_rule=None)
    post = PointsActivityFactory(community=org.community, kind=Activity.Kind.POST)
    elderly = PointsActivityFactory(
        community=org.community, kind=Activity.Kind.POST, category="为老服务"
    )
    assert points_for_attendance(approved_attendance(plain)) == 1
    assert points_for_attendance(approved_attendance(post)) == 7
    assert points_for_attendance(approved_attendance(elderly)) == 9


def test_no_rule_earns_nothing(actors, org):
    activity = PointsActivityFactory(community=org.community, points_rule=None)
    attendance = approved_attendance(activity)
    assert points_for_attendance(attendance) == 0
    assert _earn(actors, attendance) is None
    assert not PointsEntry.objects.exists()


def test_earn_creates_account_and_entry(actors, org, points_activity, member):
    attendance = approved_attendance(points_activity, member, hours="1.50")
    entry = _earn(actors, attendance)
    account = PointsAccount.objects.get(user=member, street=org.street)
    assert account.community == org.community
    assert (entry.points, entry.balance_after, account.balance) == (15, 15, 15)
    assert entry.actor == actors.worker
    assert_balance_is_sum(account)


def test_earning_twice_writes_one_entry(actors, points_activity, member):
    attendance = approved_attendance(points_activity, member)
    assert _earn(actors, attendance) is not None
    assert _earn(actors, attendance) is None
    assert PointsEntry.objects.filter(attendance=attendance).count() == 1
    assert PointsAccount.objects.get(user=member).balance == 20


def test_database_refuses_second_earn_entry(actors, points_activity, member):
    attendance = approved_attendance(points_activity, member)
    entry = _earn(actors, attendance)
    with pytest.raises(IntegrityError), transaction.atomic():
        PointsEntry.objects.create(
            account=entry.account, kind="earn", points=5, balance_after=25, attendance=attendance
        )


def test_database_refuses_negative_balance_and_wrong_signs(actors, points_activity, member):
    entry = _earn(actors, approved_attendance(points_activity, member))
    account = entry.account
    with pytest.raises(IntegrityError), transaction.atomic():
        PointsAccount.objects.filter(pk=account.pk).update(balance=-1)
    with pytest.raises(IntegrityError), transaction.atomic():
        PointsEntry.objects.create(account=account, kind="redeem", points=5, balance_after=25)
    with pytest.raises(IntegrityError), transaction.atomic():
        PointsEntry.objects.create(account=account, kind="adjust", points=5, balance_after=25)


def test_daily_cap_counts_todays_earnings_in_shanghai(actors, org, rule, member):
    PointsPolicyFactory(street=org.street, daily_cap=50)
    activities = [
        PointsActivityFactory(community=org.community, points_rule=rule) for _ in range(4)
    ]
    # 2026-11-23 23:30 in Shanghai is 15:30 UTC: the local day is the 23rd.
    with time_machine.travel(datetime.datetime(2026, 11, 23, 15, 30, tzinfo=datetime.UTC)):
        first = _earn(actors, approved_attendance(activities[0], member, hours="3.00"))
        second = _earn(actors, approved_attendance(activities[1], member, hours="3.00"))
        third = _earn(actors, approved_attendance(activities[2], member, hours="1.00"))
    assert (first.points, second.points, third) == (30, 20, None)
    # 16:30 UTC is 00:30 on the 24th in Shanghai: a new day, a new cap.
    with time_machine.travel(datetime.datetime(2026, 11, 23, 16, 30, tzinfo=datetime.UTC)):
        fourth = _earn(actors, approved_attendance(activities[3], member, hours="3.00"))
    assert fourth.points == 30
    account = PointsAccount.objects.get(user=member)
    assert account.balance == 80
    assert_balance_is_sum(account)


def test_daily_cap_is_per_person(actors, org, rule, member):
    PointsPolicyFactory(street=org.street, daily_cap=25)
    activity = PointsActivityFactory(community=org.community, points_rule=rule)
    other = UserFactory()
    assert _earn(actors, approved_attendance(activity, member, hours="3.00")).points == 25
    assert _earn(actors, approved_attendance(activity, other, hours="2.00")).points == 20


def test_unapproved_attendance_earns_nothing(actors, points_activity, member):
    attendance = approved_attendance(points_activity, member, status=Attendance.Status.CHECKED_OUT)
    with pytest.raises(Exception) as info:
        _earn(actors, attendance)
    assert getattr(info.value, "code", None) == "conflict"
    assert not PointsEntry.objects.exists()


@pytest.mark.parametrize("who", ["district_leader", "grid_leader", "other_worker", "resident"])
def test_roles_that_may_not_award_points(actors, points_activity, member, who):
    attendance = approved_attendance(points_activity, member)
    with pytest.raises(Exception) as info:
        points_earn_for_attendance(actor=getattr(actors, who), attendance=attendance)
    assert getattr(info.value, "code", None) == "forbidden"
    assert not PointsEntry.objects.exists()


def test_street_admin_may_award(actors, points_activity, member):
    entry = points_earn_for_attendance(
        actor=actors.street_admin, attendance=approved_attendance(points_activity, member)
    )
    assert entry.points == 20
    assert entry.created_at <= timezone.now()
