from types import SimpleNamespace

import pytest

from residents import services
from residents.models import TagFamily
from tests.factories.org import BuildingFactory
from tests.factories.residents import TagFactory, unique_id_number


@pytest.fixture
def place(org):
    """A building group in each of the org fixture's grids."""
    return SimpleNamespace(
        building=BuildingFactory(grid=org.grid, name="1号楼"),
        sibling_building=BuildingFactory(grid=org.sibling_grid, name="2号楼"),
        other_building=BuildingFactory(grid=org.other_community_grid, name="3号楼"),
    )


@pytest.fixture
def tags(org):
    """Tags of the org's street, one per family, plus one of a foreign street."""
    return SimpleNamespace(
        party=TagFactory(street=org.street, name="党员", color="#C0392B"),
        alone=TagFactory(street=org.street, name="独居老人", color="#8E44AD"),
        meals=TagFactory(street=org.street, name="助餐", family=TagFamily.SERVICE),
        follow=TagFactory(street=org.street, name="重点关注", family=TagFamily.MANAGEMENT),
        foreign=TagFactory(street=org.foreign_street, name="党员"),
    )


@pytest.fixture
def make_resident(actors, org):
    """Create residents through the real service, as the superuser unless told otherwise."""
    counter = iter(range(1, 10_000))

    def make(actor=None, *, with_id=True, **fields):
        fields.setdefault("community", org.community)
        fields.setdefault("name", f"居民{next(counter)}")
        if with_id and "id_number" not in fields:
            fields["id_number"] = unique_id_number(100_000 + next(counter))
        return services.resident_create(actor=actor or actors.superuser, **fields)

    return make
