"""Factories for the points side: rules, policies, rewards, and approved-looking attendance.

Attendance rows are made directly (activity → confirmed sign-up → approved attendance) so the
points tests do not depend on the activities services; balances are reached through the real
points services (points_adjust, points_earn_for_attendance)."""

import datetime

import factory
from django.utils import timezone

from volunteers.models import (
    Activity,
    Attendance,
    PointsPolicy,
    PointsRule,
    Reward,
    SignUp,
)

from .accounts import UserFactory
from .org import CommunityFactory, StreetFactory


class PointsPolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PointsPolicy

    street = factory.SubFactory(StreetFactory)
    text = "参加志愿服务每小时积 10 分，积分可在居民区兑换奖励。"
    published_at = factory.LazyFunction(timezone.now)


class PointsRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PointsRule

    street = factory.SubFactory(StreetFactory)
    name = factory.Sequence(lambda n: f"积分规则{n}")
    points_per_hour = 10


class PointsActivityFactory(factory.django.DjangoModelFactory):
    """A finished activity of yesterday, 2 hours long."""

    class Meta:
        model = Activity

    community = factory.SubFactory(CommunityFactory)
    title = factory.Sequence(lambda n: f"积分活动{n}")
    place = "小区广场"
    category = "环境整治"
    starts_at = factory.LazyFunction(
        lambda: (
            timezone.now().replace(minute=0, second=0, microsecond=0) - datetime.timedelta(days=1)
        )
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=2))
    signup_deadline = factory.LazyAttribute(lambda o: o.starts_at - datetime.timedelta(days=1))
    capacity = 10
    status = Activity.Status.FINISHED


def approved_attendance(activity, user=None, *, hours="2.00", status=None) -> Attendance:
    """A confirmed sign-up of `user` with an approved attendance of `hours`."""
    user = user or UserFactory()
    signup = SignUp.objects.create(
        activity=activity,
        user=user,
        status=SignUp.Status.CONFIRMED,
        confirmed_at=activity.starts_at - datetime.timedelta(days=2),
    )
    return Attendance.objects.create(
        signup=signup,
        activity=activity,
        user=user,
        method=Attendance.Method.WORKER,
        checked_in_at=activity.starts_at,
        checked_out_at=activity.ends_at,
        hours=hours,
        status=status or Attendance.Status.APPROVED,
        reviewed_at=activity.ends_at,
    )


class RewardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reward

    community = factory.SubFactory(CommunityFactory)
    name = factory.Sequence(lambda n: f"奖励{n}")
    points_cost = 30
    stock = 5
