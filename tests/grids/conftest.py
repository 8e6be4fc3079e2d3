import datetime

import pytest
import time_machine

from tests.factories.org import BuildingFactory
from tests.factories.residents import HouseholdFactory

NOW = "2024-03-06 10:00 +0800"


@pytest.fixture
def login(api):
    def _login(user):
        api.force_authenticate(user=user)
        return api

    return _login


@pytest.fixture
def building(org):
    return BuildingFactory(grid=org.grid, name="1号楼")


@pytest.fixture
def household(building):
    return HouseholdFactory(building=building, room="302")


@pytest.fixture
def today():
    return datetime.date(2024, 3, 6)


@pytest.fixture(autouse=True)
def _frozen_now():
    """Every grids test runs at a fixed moment (Wednesday 6 March 2024, 10:00 in Shanghai),
    set before the role fixtures so that their terms have begun. Tests that need a later
    moment travel forward from here."""
    with time_machine.travel(NOW, tick=False):
        yield
