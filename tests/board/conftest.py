"""The board's place: one community with two compounds (A: buildings A1 in grid G1 and A2 in
grid G2; B: building B1 in G1) and residents in them, households included."""

import pytest

from board import services
from tests.factories import BuildingFactory, HouseholdFactory
from tests.factories.board import (
    CompoundFactory,
    ConsultationFactory,
    add_questions,
    board_resident,
    offline_resident,
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
    # Alice and Bob share household 1 in A1; Carol lives in compound B; Dave is pending in A1;
    # Erin lives in A2 (another grid); Sun has no account; Olga lives in another community.
    p.alice = board_resident(org.community, building=p.a1, household=p.home_1, real_name="王阿姨")
    p.bob = board_resident(org.community, building=p.a1, household=p.home_1, real_name="王大伯")
    p.carol = board_resident(org.community, building=p.b1, household=p.home_3, real_name="李女士")
    p.dave = board_resident(org.community, building=p.a1, verified=False, real_name="赵先生")
    p.erin = board_resident(org.community, building=p.a2, household=p.home_2, real_name="钱阿姨")
    p.sun = offline_resident(org.community, building=p.a2, household=p.home_2)
    p.olga = board_resident(org.sibling_community, real_name="周女士")
    return p


@pytest.fixture
def consultation(org, actors):
    """A published consultation of the whole community, open now for a week, per resident,
    results after close; questions (single, multiple ≤ 2, optional text)."""
    c = ConsultationFactory(community=org.community, title="加装电梯意见征询")
    c.single, c.multiple, c.text = add_questions(c)
    services.consultation_publish(actor=actors.worker, consultation=c)
    c.refresh_from_db()
    return c


def answers(c, single=0, multiple=(0,), text=""):
    """A valid answer sheet for `c` (option indexes into each question's options)."""
    singles = list(c.single.options.all())
    multiples = list(c.multiple.options.all())
    sheet = [
        {"question": c.single.pk, "options": [singles[single].pk]},
        {"question": c.multiple.pk, "options": [multiples[i].pk for i in multiple]},
    ]
    if text:
        sheet.append({"question": c.text.pk, "text": text})
    return sheet
