"""The place: one community with compounds A (buildings A1, A2) and B (B1); area A covers
compound A only. Households and residents in them; a draft election of area A with four
candidates (3 seats)."""

import pytest

from property_governance import services
from tests.factories import BuildingFactory, HouseholdFactory
from tests.factories.board import CompoundFactory, board_resident, offline_resident
from tests.factories.property_governance import (
    ElectionFactory,
    OwnersCommitteeFactory,
    PropertyAreaFactory,
)


@pytest.fixture
def place(org):
    class Place:
        pass

    p = Place()
    p.compound_a = CompoundFactory(community=org.community, name="望春里一期")
    p.compound_b = CompoundFactory(community=org.community, name="望春里二期")
    p.a1 = BuildingFactory(grid=org.grid, name="1号楼", compound=p.compound_a)
    p.a2 = BuildingFactory(grid=org.sibling_grid, name="2号楼", compound=p.compound_a)
    p.b1 = BuildingFactory(grid=org.grid, name="8号楼", compound=p.compound_b)
    p.home_1 = HouseholdFactory(building=p.a1, room="101")
    p.home_2 = HouseholdFactory(building=p.a2, room="201")
    p.home_3 = HouseholdFactory(building=p.b1, room="801")
    p.home_4 = HouseholdFactory(building=p.a1, room="102")
    # Alice and Bob share household 1 in A1; Erin lives in A2; Carol in compound B (not in
    # area A); Dave is pending in A1; Sun (no account) in household 4; Olga in another
    # community; Hank is verified in A1 but his household is not registered.
    p.alice = board_resident(org.community, building=p.a1, household=p.home_1, real_name="王阿姨")
    p.bob = board_resident(org.community, building=p.a1, household=p.home_1, real_name="王大伯")
    p.erin = board_resident(org.community, building=p.a2, household=p.home_2, real_name="钱阿姨")
    p.carol = board_resident(org.community, building=p.b1, household=p.home_3, real_name="李女士")
    p.dave = board_resident(org.community, building=p.a1, verified=False, real_name="赵先生")
    p.hank = board_resident(org.community, building=p.a1, real_name="韩先生")
    p.sun = offline_resident(org.community, building=p.a1, household=p.home_4)
    p.olga = board_resident(org.sibling_community, real_name="周女士")
    p.area = PropertyAreaFactory(
        community=org.community, name="望春里一期物业管理区域", compounds=[p.compound_a]
    )
    p.area_b = PropertyAreaFactory(
        community=org.community, name="望春里二期物业管理区域", compounds=[p.compound_b]
    )
    return p


def resident_of(user):
    return user.resident


@pytest.fixture
def election(place, actors):
    """A draft election of area A (3 seats) with four candidates in list order."""
    OwnersCommitteeFactory(area=place.area)
    e = ElectionFactory(area=place.area)
    for user in (place.alice, place.erin, place.bob):
        services.election_candidate_add(
            actor=actors.worker, election=e, resident=user.resident, statement="服务邻里"
        )
    services.election_candidate_add(actor=actors.worker, election=e, resident=place.sun)
    e.refresh_from_db()
    return e


@pytest.fixture
def voting(election, actors):
    services.election_publish_candidates(actor=actors.worker, election=election)
    services.election_open_voting(actor=actors.worker, election=election)
    election.refresh_from_db()
    return election


def candidates(election):
    return list(election.candidates.order_by("position"))
