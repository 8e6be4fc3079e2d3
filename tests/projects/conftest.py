import datetime
from decimal import Decimal

import pytest

from projects import services
from tests.factories.accounts import UserFactory
from tests.factories.projects import FundPoolFactory, adopted_project
from tests.factories.proposals import verified_resident


@pytest.fixture
def resident(org):
    """A verified resident of the projects' community."""
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
def pool(org):
    return FundPoolFactory(community=org.community, year=2026, amount=Decimal("10000.00"))


@pytest.fixture
def project(org, actors, resident):
    return adopted_project(
        worker=actors.worker, community=org.community, grid=org.grid, lead=resident.resident
    )


@pytest.fixture
def published(project, actors):
    services.project_start(actor=actors.worker, project=project)
    return services.project_publish(
        actor=actors.worker, project=project, results="灯已换好", review_days=7
    )


def url(project, suffix=""):
    return f"/api/v1/projects/{project.pk}/{suffix}"


DAY = datetime.timedelta(days=1)


def png_file(name="photo.png"):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")
