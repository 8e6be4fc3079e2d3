import pytest
from rest_framework.test import APIClient

from accounts.models import Role
from tests.factories import (
    CommunityFactory,
    DistrictFactory,
    MicroGridFactory,
    StreetFactory,
    UserFactory,
    grant,
)


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def org(db):
    """Two districts; district A has streets A1 and A2; A1 has communities C1, C2; C1 has grids
    G1 and G2. Everything a scope test needs to show who sees what."""

    class Org:
        pass

    o = Org()
    o.district = DistrictFactory(name="甲区")
    o.other_district = DistrictFactory(name="乙区")
    o.street = StreetFactory(district=o.district, name="甲一街道")
    o.sibling_street = StreetFactory(district=o.district, name="甲二街道")
    o.foreign_street = StreetFactory(district=o.other_district, name="乙一街道")
    o.community = CommunityFactory(street=o.street, name="一居")
    o.sibling_community = CommunityFactory(street=o.street, name="二居")
    o.sibling_street_community = CommunityFactory(street=o.sibling_street, name="三居")
    o.foreign_community = CommunityFactory(street=o.foreign_street, name="四居")
    o.grid = MicroGridFactory(community=o.community, name="一格")
    o.sibling_grid = MicroGridFactory(community=o.community, name="二格")
    o.other_community_grid = MicroGridFactory(community=o.sibling_community, name="三格")
    return o


@pytest.fixture
def actors(org):
    """One user per role over `org`'s first unit of each level, plus a plain resident."""

    class Actors:
        pass

    a = Actors()
    a.superuser = UserFactory(username="root", is_superuser=True, is_staff=True)
    a.district_leader = grant(UserFactory(username="leader"), Role.DISTRICT_LEADER, org.district)
    a.street_admin = grant(UserFactory(username="street"), Role.STREET_ADMIN, org.street)
    a.worker = grant(UserFactory(username="worker"), Role.COMMUNITY_WORKER, org.community)
    a.grid_leader = grant(UserFactory(username="gridleader"), Role.GRID_LEADER, org.grid)
    a.other_worker = grant(
        UserFactory(username="otherworker"), Role.COMMUNITY_WORKER, org.sibling_community
    )
    a.foreign_admin = grant(UserFactory(username="foreign"), Role.STREET_ADMIN, org.foreign_street)
    a.resident = UserFactory(
        username="13800000001", phone="13800000001", claimed_community=org.community
    )
    a.anonymous = None
    return a


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counters and lock-outs live in the cache (Redis in CI): start each test clean."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _default_language():
    """LocaleMiddleware leaves the thread in the last request's language: reset it."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
