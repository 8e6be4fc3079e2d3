import datetime
import random

import factory

from residents.idcard import check_char
from residents.models import Household, Resident, Tag, TagFamily

from .org import BuildingFactory, CommunityFactory


def valid_id_number(seed: int | None = None, *, born="19580301", area="310104") -> str:
    """A checksum-valid 18-digit number with a chosen birth date (fictional)."""
    rng = random.Random(seed)
    first17 = f"{area}{born}{rng.randint(0, 999):03d}"
    return first17 + check_char(first17)


def unique_id_number(n: int, *, area="310104") -> str:
    """The n-th of a series of distinct valid numbers (a new birth day every 1,000)."""
    born = datetime.date(1940, 1, 1) + datetime.timedelta(days=n // 1000)
    first17 = f"{area}{born:%Y%m%d}{n % 1000:03d}"
    return first17 + check_char(first17)


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag

    street = factory.SubFactory("tests.factories.org.StreetFactory")
    family = TagFamily.IDENTITY
    name = factory.Sequence(lambda n: f"标签{n}")


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    building = factory.SubFactory(BuildingFactory)
    grid = factory.LazyAttribute(lambda o: o.building.grid)
    community = factory.LazyAttribute(lambda o: o.building.community)
    room = factory.Sequence(lambda n: f"{100 + n}")


class ResidentFactory(factory.django.DjangoModelFactory):
    """A resident row without an ID number; use residents.services to set one."""

    class Meta:
        model = Resident

    community = factory.SubFactory(CommunityFactory)
    name = factory.Sequence(lambda n: f"居民{n}")
    gender = Resident.Gender.FEMALE
