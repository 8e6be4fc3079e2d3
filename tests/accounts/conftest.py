import pytest
from rest_framework.test import APIClient

from tests.factories import ResidentFactory


@pytest.fixture
def client_for():
    """An APIClient signed in as `user` (session, no CSRF checks: those have their own test)."""

    def make(user):
        client = APIClient()
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def resident_record(org):
    """The resident record the plain resident account will be matched to (一居, 一格)."""
    return ResidentFactory(community=org.community, grid=org.grid, name="王阿姨")
