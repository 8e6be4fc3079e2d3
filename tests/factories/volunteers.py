"""Factories for volunteer service: first rows only; later states come from the services."""

import datetime

import factory
from django.utils import timezone

from volunteers.models import Activity, PartyMemberReport, ServiceTeam, VolunteerProfile
from volunteers.services.activities import new_checkin_code

from .org import CommunityFactory


def _in_days(days, hours=0):
    base = timezone.now().replace(minute=0, second=0, microsecond=0)
    return base + datetime.timedelta(days=days, hours=hours)


class ActivityFactory(factory.django.DjangoModelFactory):
    """A published activity two days ahead, 09:00–11:00-ish, sign-up closing a day before."""

    class Meta:
        model = Activity

    community = factory.SubFactory(CommunityFactory)
    title = factory.Sequence(lambda n: f"志愿活动{n}")
    place = "小区广场"
    category = "环境整治"
    starts_at = factory.LazyFunction(lambda: _in_days(2))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=2))
    signup_deadline = factory.LazyAttribute(lambda o: o.starts_at - datetime.timedelta(days=1))
    capacity = 5
    checkin_code = factory.LazyFunction(new_checkin_code)
    status = Activity.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class VolunteerProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VolunteerProfile

    user = factory.SubFactory("tests.factories.accounts.UserFactory")
    community = factory.SubFactory(CommunityFactory)
    skills = "理发"
    availability = "周末上午"


class ServiceTeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceTeam

    community = factory.SubFactory(CommunityFactory)
    name = factory.Sequence(lambda n: f"服务队{n}")


class PartyMemberReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartyMemberReport

    profile = factory.SubFactory(VolunteerProfileFactory)
    community = factory.LazyAttribute(lambda o: o.profile.community)
    employer_party_org = "某单位党支部"
    reported_on = factory.LazyFunction(timezone.localdate)
