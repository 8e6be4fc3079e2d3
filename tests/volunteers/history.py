"""A volunteer's past service, for the exports and the certificate (see the `history` fixture
in conftest): 王阿姨 served 5.0 approved hours in 2026 (3 activities) and 2.0 in 2025; 李大伯
has 3.0 approved and 4.0 awaiting approval."""

import datetime
from decimal import Decimal

from tests.factories.proposals import verified_resident
from tests.factories.volunteers import ActivityFactory, ServiceTeamFactory, VolunteerProfileFactory
from volunteers.models import Attendance, SignUp, TeamMembership

HOUR = datetime.timedelta(hours=1)


def _served(activity, user, hours, status=Attendance.Status.APPROVED):
    """First rows of past service (the services' clock-bound steps are tested elsewhere)."""
    signup = SignUp.objects.create(activity=activity, user=user, status="confirmed")
    return Attendance.objects.create(
        signup=signup,
        activity=activity,
        user=user,
        method="worker",
        checked_in_at=activity.starts_at,
        checked_out_at=activity.starts_at + HOUR * float(hours),
        hours=Decimal(hours),
        status=status,
    )


def _past(community, year, month, **kwargs):
    start = datetime.datetime(year, month, 10, 1, tzinfo=datetime.UTC)
    return ActivityFactory(
        community=community,
        starts_at=start,
        ends_at=start + 4 * HOUR,
        signup_deadline=start - HOUR,
        status="finished",
        **kwargs,
    )


def build_history(org):
    team = ServiceTeamFactory(community=org.community, name="为老服务队")
    wang = VolunteerProfileFactory(
        user=verified_resident(org.community, real_name="王阿姨"), community=org.community
    )
    li = VolunteerProfileFactory(
        user=verified_resident(org.community, real_name="李大伯"), community=org.community
    )
    for profile in (wang, li):
        TeamMembership.objects.create(
            team=team, profile=profile, joined_on=datetime.date(2025, 1, 1)
        )
    first = _past(org.community, 2026, 3, team=team, title="理发日")
    second = _past(org.community, 2026, 6, team=team, title="送餐")
    other_year = _past(org.community, 2025, 6, team=team, title="去年的活动")
    no_team = _past(org.community, 2026, 7, title="社区清扫")
    _served(first, wang.user, "2.5")
    _served(first, li.user, "3.0")
    _served(second, wang.user, "1.5")
    _served(second, li.user, "4.0", status=Attendance.Status.CHECKED_OUT)  # not approved
    _served(other_year, wang.user, "2.0")
    _served(no_team, wang.user, "1.0")
    return team, wang, li
