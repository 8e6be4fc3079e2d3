"""Factories for the community board (and the grids' compounds it addresses). First rows
only: drafts and their questions; later states are reached through board.services."""

import datetime

import factory
from django.utils import timezone

from accounts.models import User
from accounts.scope import forget_scope
from board.models import Audience, Consultation, Notice, Option, Question
from grids.models import Compound

from .accounts import UserFactory
from .org import CommunityFactory
from .residents import ResidentFactory


class CompoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Compound

    community = factory.SubFactory(CommunityFactory)
    name = factory.Sequence(lambda n: f"第{n}小区")


class NoticeFactory(factory.django.DjangoModelFactory):
    """A draft notice to a whole community."""

    class Meta:
        model = Notice

    audience = Audience.COMMUNITY
    community = factory.SubFactory(CommunityFactory)
    street = factory.LazyAttribute(lambda o: o.community.street if o.community else None)
    title = factory.Sequence(lambda n: f"公告{n}")
    body = "<p>本周六上午九点在小区广场开展消防演练，请居民配合。</p>"


class ConsultationFactory(factory.django.DjangoModelFactory):
    """A draft consultation of a whole community, open from an hour ago for a week (publish
    it with the service). Add questions with `add_questions`."""

    class Meta:
        model = Consultation

    community = factory.SubFactory(CommunityFactory)
    audience = Audience.COMMUNITY
    title = factory.Sequence(lambda n: f"意见征询{n}")
    description = "请大家发表意见。"
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))


def add_questions(consultation):
    """A single-choice, a multiple-choice (at most 2) and an optional free-text question.
    Returns (single, multiple, text)."""
    single = Question.objects.create(
        consultation=consultation, position=1, kind=Question.Kind.SINGLE, text="是否同意加装电梯？"
    )
    for n, label in enumerate(("同意", "不同意", "无所谓"), 1):
        Option.objects.create(question=single, position=n, text=label)
    multiple = Question.objects.create(
        consultation=consultation,
        position=2,
        kind=Question.Kind.MULTIPLE,
        text="最关心哪些方面？",
        max_choices=2,
    )
    for n, label in enumerate(("费用分摊", "施工噪音", "采光", "维护"), 1):
        Option.objects.create(question=multiple, position=n, text=label)
    text = Question.objects.create(
        consultation=consultation,
        position=3,
        kind=Question.Kind.TEXT,
        text="其他意见",
        required=False,
        max_length=50,
    )
    return single, multiple, text


def board_resident(community, *, building=None, household=None, verified=True, **user_fields):
    """A resident record (living at `building`, in `household`) with an account linked to
    it: verified (may act) or pending."""
    user = UserFactory(
        phone=user_fields.pop("phone", None),
        claimed_community=community,
        verification_status=User.Verification.VERIFIED if verified else User.Verification.PENDING,
        verified_at=timezone.now() if verified else None,
        **user_fields,
    )
    ResidentFactory(
        community=community,
        name=user.real_name,
        grid=building.grid if building is not None else None,
        building=building,
        household=household,
        room=household.room if household is not None else "",
        account=user if verified else None,
        phone=f"1380000{user.pk:04d}",
    )
    forget_scope(user)
    return user


def offline_resident(community, *, building=None, household=None, name="孙奶奶"):
    """A living resident without an account (paper answers, visits)."""
    return ResidentFactory(
        community=community,
        grid=building.grid if building is not None else None,
        building=building,
        household=household,
        room=household.room if household is not None else "",
        name=name,
        phone="13912345678",
    )
