"""The covenants' place: one community with two compounds (A: buildings A1 in grid G1 and A2
in grid G2; B: building B1 in G1), households and residents (the board's fixture shape)."""

import pytest

from tests.board.conftest import place  # noqa: F401  (the same households and residents)
from tests.factories.covenants import CovenantFactory


@pytest.fixture
def covenant(org):
    """A draft covenant of the whole community (households 1, 2 and 3 are eligible)."""
    return CovenantFactory(community=org.community)


@pytest.fixture
def compound_covenant(org, place):  # noqa: F811
    """A draft covenant of compound A (households 1 and 2 are eligible; 3 is not)."""
    c = CovenantFactory(community=org.community, audience="compound", compound=place.compound_a)
    return c
