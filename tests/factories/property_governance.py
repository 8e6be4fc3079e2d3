"""Factories for property governance. First rows only (areas, companies, draft elections,
committees as recorded when the platform starts); later states through the services."""

import datetime

import factory
from django.utils import timezone

from property_governance.models import (
    ContractFee,
    Election,
    OwnersCommittee,
    PropertyArea,
    PropertyCompany,
    PropertyContract,
)

from .org import CommunityFactory, StreetFactory


class PropertyAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PropertyArea
        skip_postgeneration_save = True

    community = factory.SubFactory(CommunityFactory)
    name = factory.Sequence(lambda n: f"物业管理区域{n}")

    @factory.post_generation
    def compounds(self, create, extracted, **kwargs):
        if create and extracted:
            self.compounds.set(extracted)


class PropertyCompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PropertyCompany

    street = factory.SubFactory(StreetFactory)
    name = factory.Sequence(lambda n: f"安居物业服务有限公司{n}")
    credit_code = factory.Sequence(lambda n: f"91310000MA1K{n:06d}")
    contact_name = "张经理"
    contact_phone = "021-61234567"


def current_contract(area, company, *, years=3, fee="2.50"):
    today = timezone.localdate()
    contract = PropertyContract.objects.create(
        area=area,
        company=company,
        starts_on=today - datetime.timedelta(days=365),
        ends_on=today + datetime.timedelta(days=365 * years),
        chosen_by=PropertyContract.ChosenBy.EARLY_STAGE,
    )
    ContractFee.objects.create(
        contract=contract, property_kind="residential", yuan_per_m2_month=fee
    )
    return contract


class OwnersCommitteeFactory(factory.django.DjangoModelFactory):
    """A serving committee in the middle of its five-year term."""

    class Meta:
        model = OwnersCommittee

    area = factory.SubFactory(PropertyAreaFactory)
    term_number = 1
    term_starts_on = factory.LazyFunction(
        lambda: timezone.localdate() - datetime.timedelta(days=700)
    )
    term_ends_on = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=1000)
    )
    status = OwnersCommittee.Status.SERVING


class ElectionFactory(factory.django.DjangoModelFactory):
    """A draft election of an area, voting to close in a week, 3 seats."""

    class Meta:
        model = Election

    area = factory.SubFactory(PropertyAreaFactory)
    title = factory.Sequence(lambda n: f"第二届业委会选举{n}")
    term_number = 2
    seats = 3
    term_starts_on = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=30)
    )
    term_ends_on = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=30 + 5 * 365)
    )
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
