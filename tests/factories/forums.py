"""Factories for forums. First rows only (an active forum, a member, a scheduled meeting); later
states are reached through forums.services."""

import datetime

import factory
from django.utils import timezone

from forums.models import Forum, ForumMember, Meeting, Represents

from .org import CommunityFactory


class ForumFactory(factory.django.DjangoModelFactory):
    """An active forum of a community, established a year ago."""

    class Meta:
        model = Forum

    community = factory.SubFactory(CommunityFactory)
    street = factory.LazyAttribute(lambda o: o.community.street if o.community else None)
    kind = Forum.Kind.COUNCIL
    name = factory.Sequence(lambda n: f"同心议事会{n}")
    established_on = factory.LazyFunction(
        lambda: timezone.localdate() - datetime.timedelta(days=365)
    )


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ForumMember

    forum = factory.SubFactory(ForumFactory)
    name = factory.Sequence(lambda n: f"成员{n}")
    represents = Represents.RESIDENTS
    joined_on = factory.LazyAttribute(lambda o: o.forum.established_on)


class MeetingFactory(factory.django.DjangoModelFactory):
    """A scheduled meeting an hour ago (so it can be recorded held now)."""

    class Meta:
        model = Meeting

    forum = factory.SubFactory(ForumFactory)
    title = factory.Sequence(lambda n: f"议事会议{n}")
    held_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))
    place = "居委会会议室"
    agenda = "1. 加装电梯；2. 楼道堆物。"


def joint_forum(community):
    """A joint meeting 三驾马车 forum with one member of each body (and a resident)."""
    forum = ForumFactory(community=community, kind=Forum.Kind.JOINT_MEETING, name="三驾马车")
    members = {
        body: MemberFactory(forum=forum, represents=body, name=label)
        for body, label in (
            (Represents.NEIGHBOURHOOD_COMMITTEE, "居委会书记"),
            (Represents.OWNERS_COMMITTEE, "业委会主任"),
            (Represents.PROPERTY_COMPANY, "物业经理"),
            (Represents.RESIDENTS, "居民代表"),
        )
    }
    return forum, members
