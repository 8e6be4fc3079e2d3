"""Factories for the cadres' review. First rows only: a draft round and its cadres; later
states (open, closed, published, cancelled) are reached through cadres.services."""

import datetime

import factory
from django.utils import timezone

from cadres.models import Body, Cadre, ReviewRound

from .org import CommunityFactory


class ReviewRoundFactory(factory.django.DjangoModelFactory):
    """A draft round of this year, open from an hour ago for two weeks."""

    class Meta:
        model = ReviewRound

    community = factory.SubFactory(CommunityFactory)
    year = factory.LazyFunction(lambda: timezone.now().year)
    title = factory.LazyAttribute(lambda o: f"{o.year}年度两委干部测评")
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=14))


class CadreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cadre

    round = factory.SubFactory(ReviewRoundFactory)
    position = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"干部{n}")
    body = Body.NEIGHBOURHOOD_COMMITTEE
    post = "委员"


def add_cadres(round_):
    """The usual two committees in small: a branch secretary, a director (on both bodies: one
    listing per body) and a committee member."""
    return [
        CadreFactory(round=round_, position=1, name="张书记", body=Body.PARTY_BRANCH, post="书记"),
        CadreFactory(
            round=round_, position=2, name="李主任", body=Body.NEIGHBOURHOOD_COMMITTEE, post="主任"
        ),
        CadreFactory(
            round=round_, position=3, name="王委员", body=Body.NEIGHBOURHOOD_COMMITTEE, post="委员"
        ),
    ]
