import pytest

from accounts.models import Role
from tests.factories import UserFactory, grant
from tests.factories.proposals import CategoryFactory, TopicFactory, verified_resident


@pytest.fixture
def world(org, actors):
    """`org` and `actors` plus what topics need: a category, verified residents of C1 (one in
    grid G1), a verified resident of C2, a grid leader of the sibling grid."""

    class World:
        pass

    w = World()
    w.org, w.actors = org, actors
    w.category = CategoryFactory(street=org.street, name="环境卫生")
    w.resident = verified_resident(org.community, grid=org.grid, username="res1", real_name="张三")
    w.neighbour = verified_resident(org.community, grid=org.grid, username="res2", real_name="李四")
    w.outsider = verified_resident(org.sibling_community, username="res3", real_name="王五")
    w.sibling_grid_leader = grant(
        UserFactory(username="sibgridleader"), Role.GRID_LEADER, org.sibling_grid
    )
    return w


@pytest.fixture
def topic(world):
    return TopicFactory(
        community=world.org.community,
        grid=world.org.grid,
        category=world.category,
        raised_by=world.resident,
    )
