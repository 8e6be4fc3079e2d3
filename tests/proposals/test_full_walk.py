"""One walk across both apps, through the API only: a resident raises a topic from the phone
with a photo and the whole community carries it to a closed, evaluated micro-project."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from notifications import clocks
from notifications.models import Notification
from projects.models import Project
from proposals.models import Topic
from tests.factories.projects import FundPoolFactory

pytestmark = pytest.mark.django_db


def photo():
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (30, 120, 200)).save(buffer, format="JPEG")
    return SimpleUploadedFile("lamp.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_from_a_raised_hand_to_a_closed_evaluated_project(api, world, time_machine):
    org, worker = world.org, world.actors.worker
    time_machine.move_to("2027-05-04 09:00 +0800", tick=False)
    pool = FundPoolFactory(community=org.community, year=2027, amount=Decimal("5000.00"))

    # 1. Collect: the resident raises a topic with a photo.
    api.force_authenticate(world.resident)
    r = api.post(
        "/api/v1/topics/",
        {
            "title": "健身苑加装遮阳棚",
            "body": "夏天太晒，老人没法锻炼。",
            "category": world.category.pk,
            "photos": [photo()],
        },
        format="multipart",
    )
    assert r.status_code == 201, r.json()
    topic_id = r.json()["id"]
    assert len(r.json()["photos"]) == 1

    # 2. The worker answers within the hour and opens it for hands.
    time_machine.move_to("2027-05-04 10:00 +0800", tick=False)
    api.force_authenticate(worker)
    assert (
        api.post(f"/api/v1/topics/{topic_id}/answer/", {"text": "收到，征集意见"}).status_code
        == 200
    )
    r = api.post(f"/api/v1/topics/{topic_id}/open-for-hands/", {"threshold": 2}, format="json")
    assert r.status_code == 200, r.json()

    # 3. Raise hands: two residents of the community; the threshold is reached.
    for resident in (world.resident, world.neighbour):
        api.force_authenticate(resident)
        assert api.post(f"/api/v1/topics/{topic_id}/hand/").status_code == 200
    assert Topic.objects.get(pk=topic_id).hand_count == 2

    # 4. Adopt: the topic becomes a project with money from the special fund.
    api.force_authenticate(worker)
    r = api.post(
        "/api/v1/projects/adopt/",
        {"topic": topic_id, "title": "健身苑遮阳棚", "plan": "搭建两处遮阳棚"},
        format="json",
    )
    assert r.status_code == 201, r.json()
    project_id = r.json()["id"]
    r = api.post(
        f"/api/v1/projects/{project_id}/budget-lines/",
        {"source": "special_fund", "amount": "4000.00", "pool": pool.pk, "description": "材料"},
        format="json",
    )
    assert r.status_code == 201, r.json()
    assert api.post(f"/api/v1/projects/{project_id}/start/").json()["stage"] == "in_progress"

    # Residents take part.
    api.force_authenticate(world.neighbour)
    r = api.post(f"/api/v1/projects/{project_id}/members/", {"role": "volunteer"}, format="json")
    assert r.status_code == 201, r.json()

    # 5. Publish for review; two residents evaluate.
    api.force_authenticate(worker)
    r = api.post(
        f"/api/v1/projects/{project_id}/publish/",
        {"results": "两处遮阳棚已建成", "review_days": 7},
        format="json",
    )
    assert r.status_code == 200, r.json()
    for resident, rating in ((world.resident, 5), (world.neighbour, 4)):
        api.force_authenticate(resident)
        r = api.post(
            f"/api/v1/projects/{project_id}/evaluations/",
            {"rating": rating, "comment": "好"},
            format="json",
        )
        assert r.status_code == 201, r.json()

    # 6. The review window ends: the sweep closes the project with its satisfaction score.
    time_machine.move_to(datetime.datetime(2027, 5, 12, 12, tzinfo=datetime.UTC), tick=False)
    clocks.reminders_sweep()
    project = Project.objects.get(pk=project_id)
    assert project.stage == Project.Stage.CLOSED
    assert project.satisfaction_score == Decimal("4.50")

    # Every step is public: the resident reads both timelines, and was told along the way.
    api.force_authenticate(world.resident)
    topic_verbs = [e["verb"] for e in api.get(f"/api/v1/topics/{topic_id}/timeline/").json()]
    assert topic_verbs[0] == "raised" and "answer" in topic_verbs and topic_verbs[-1] == "adopt"
    project_timeline = api.get(f"/api/v1/projects/{project_id}/timeline/").json()["results"]
    stages = [e["to_state"] for e in project_timeline if e["to_state"]]
    assert stages[-3:] == ["in_progress", "published", "closed"]
    assert Notification.objects.filter(recipient=world.resident).exists()
