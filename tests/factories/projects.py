"""Factories for micro-projects. First rows only: a project is reached through adoption (the
real services), never made directly, so its topic, timeline and members are always real."""

import factory

from projects import services
from projects.models import FundPool
from proposals import services as proposal_services

from .proposals import TopicFactory


class FundPoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundPool

    community = factory.SubFactory("tests.factories.org.CommunityFactory")
    year = 2026
    amount = factory.Faker("pydecimal", left_digits=5, right_digits=2, positive=True)


def adoptable_topic(*, worker, community, grid=None, **fields):
    """A topic opened for hands and taken on by the community's party branch: ready to adopt."""
    topic = TopicFactory(community=community, grid=grid, **fields)
    topic = proposal_services.topic_open_for_hands(actor=worker, topic=topic, threshold=10)
    return proposal_services.party_branch_hand_raise(actor=worker, topic=topic)


def adopted_project(
    *, worker, community, grid=None, title="楼道照明改造", lead=None, **topic_fields
):
    topic = adoptable_topic(worker=worker, community=community, grid=grid, **topic_fields)
    return services.project_adopt(
        actor=worker, topic=topic, title=title, plan="更换12号楼楼道灯", lead=lead
    )
