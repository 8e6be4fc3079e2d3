"""Factories for grid work. They make first rows only; later states come from the services."""

import datetime

import factory

from grids.models import (
    DiaryEntry,
    GridPlace,
    GridResource,
    GridRole,
    GridRoleKind,
    Pairing,
    PatrolProblem,
    PatrolRecord,
    PracticalDeed,
    VisitRecord,
)

from .accounts import UserFactory
from .org import MicroGridFactory


class GridRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GridRole

    grid = factory.SubFactory(MicroGridFactory)
    kind = GridRoleKind.LIAISON
    name = factory.Sequence(lambda n: f"联络员{n}")
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    starts_on = datetime.date(2024, 1, 1)


class GridPlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GridPlace

    grid = factory.SubFactory(MicroGridFactory)
    kind = GridPlace.Kind.SHOP
    name = factory.Sequence(lambda n: f"便民商铺{n}")


class GridResourceFactory(factory.django.DjangoModelFactory):
    """Pass `grids=[...]` to link it; the community defaults to the first grid's."""

    class Meta:
        model = GridResource
        skip_postgeneration_save = True

    community = factory.SubFactory("tests.factories.org.CommunityFactory")
    kind = GridResource.Kind.SCHOOL
    name = factory.Sequence(lambda n: f"实验小学{n}")
    offers = "暑期志愿辅导"

    @factory.post_generation
    def grids(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.grids.add(*extracted)


class VisitRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VisitRecord

    grid = factory.SubFactory(MicroGridFactory)
    visitor = factory.SubFactory(UserFactory)
    visited_on = datetime.date(2024, 3, 1)
    summary = "了解老人近况，身体良好"


class DiaryEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DiaryEntry

    grid = factory.SubFactory(MicroGridFactory)
    author = factory.SubFactory(UserFactory)
    written_on = datetime.date(2024, 3, 1)
    content = "3号楼居民反映楼道灯不亮"


class PairingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pairing

    grid = factory.SubFactory(MicroGridFactory)
    household = factory.SubFactory(
        "tests.factories.residents.HouseholdFactory",
        building__grid=factory.SelfAttribute("...grid"),
    )
    helper_name = factory.Sequence(lambda n: f"党员{n}")
    since = datetime.date(2024, 1, 1)


class PracticalDeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PracticalDeed

    grid = factory.SubFactory(MicroGridFactory)
    title = factory.Sequence(lambda n: f"修缮楼道扶手{n}")
    description = "更换3号楼楼道扶手"
    done_on = datetime.date(2024, 3, 1)
    recorded_by = factory.SubFactory(UserFactory)


class PatrolRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PatrolRecord

    grid = factory.SubFactory(MicroGridFactory)
    patroller = factory.SubFactory(UserFactory)
    patrolled_on = datetime.date(2024, 3, 1)
    route = "1号楼—北门—菜场"


class PatrolProblemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PatrolProblem

    patrol = factory.SubFactory(PatrolRecordFactory)
    grid = factory.SelfAttribute("patrol.grid")
    description = factory.Sequence(lambda n: f"楼道堆物{n}")
