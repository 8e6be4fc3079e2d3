"""The disputes' people: over the shared `org`/`actors`, a second worker of the community who
owns cases, a legal officer with an account and no staff role, and residents as parties."""

import pytest

from accounts.models import Role
from tests.factories import ResidentFactory, UserFactory, grant


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def people(org, actors):
    class People:
        pass

    p = People()
    p.owner = grant(
        UserFactory(username="owner", real_name="包案人"), Role.COMMUNITY_WORKER, org.community
    )
    p.legal = UserFactory(username="legal", real_name="法治专员甲")
    p.stranger = UserFactory(username="stranger")
    p.zhang = ResidentFactory(community=org.community, name="张三丰")
    p.li = ResidentFactory(community=org.community, name="李四海")
    p.outsider = ResidentFactory(community=org.sibling_community, name="王外人")
    return p
