"""Factories for topics. Only first rows: later states are reached through the services."""

import datetime

import factory
from django.utils import timezone

from accounts.models import User
from accounts.scope import forget_scope
from proposals.models import Category, Comment, Topic

from .accounts import UserFactory
from .org import CommunityFactory
from .residents import ResidentFactory


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    street = factory.SubFactory("tests.factories.org.StreetFactory")
    name = factory.Sequence(lambda n: f"类别{n}")


def verified_resident(community, *, grid=None, building=None, **user_fields):
    """A resident record with a verified account linked to it: may act in `community`."""
    user = UserFactory(
        phone=user_fields.pop("phone", None),
        claimed_community=community,
        verification_status=User.Verification.VERIFIED,
        verified_at=timezone.now(),
        **user_fields,
    )
    ResidentFactory(community=community, grid=grid, building=building, account=user)
    forget_scope(user)
    return user


class TopicFactory(factory.django.DjangoModelFactory):
    """A raised topic with the default 4-hour clock (1 hour reminder lead)."""

    class Meta:
        model = Topic

    community = factory.SubFactory(CommunityFactory)
    category = factory.LazyAttribute(lambda o: CategoryFactory(street=o.community.street))
    title = factory.Sequence(lambda n: f"议题{n}")
    body = "楼道灯坏了，晚上看不见。"
    raised_at = factory.LazyFunction(timezone.now)
    first_response_due_at = factory.LazyAttribute(
        lambda o: o.raised_at + datetime.timedelta(hours=4)
    )
    first_response_remind_at = factory.LazyAttribute(
        lambda o: o.first_response_due_at - datetime.timedelta(hours=1)
    )


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    topic = factory.SubFactory(TopicFactory)
    author = factory.SubFactory(UserFactory)
    author_label = "居民"
    body = factory.Sequence(lambda n: f"评论{n}")
