"""Fixtures for the volunteers tests (activities side and points side alike)."""

import datetime
import importlib.util

import pytest

from tests.factories.accounts import UserFactory
from tests.factories.proposals import verified_resident
from tests.factories.volunteers import ActivityFactory

HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


def points_module_ready() -> bool:
    """Whether the points side (volunteers.services.points) exists yet."""
    return importlib.util.find_spec("volunteers.services.points") is not None


needs_points = pytest.mark.skipif(
    not points_module_ready(),
    reason="volunteers.services.points (the points helper's module) is not there yet",
)


@pytest.fixture
def resident(org):
    """A verified resident of the activities' community."""
    return verified_resident(org.community, grid=org.grid, real_name="王阿姨")


@pytest.fixture
def neighbour(org):
    return verified_resident(org.community, real_name="李大伯")


@pytest.fixture
def outsider(org):
    """A verified resident of another community of the same street."""
    return verified_resident(org.sibling_community, real_name="赵先生")


@pytest.fixture
def unverified(org):
    return UserFactory(phone="13900000009", claimed_community=org.community)


@pytest.fixture
def activity(org):
    """A published activity of org.community, two days ahead, 5 places."""
    return ActivityFactory(community=org.community, title="清理楼道杂物")


@pytest.fixture
def history(org):
    """Past approved (and not yet approved) service of two volunteers (tests/volunteers/history)."""
    from .history import build_history

    return build_history(org)


def url(activity, suffix=""):
    return f"/api/v1/volunteer-activities/{activity.pk}/{suffix}"
