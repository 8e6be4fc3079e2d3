"""List query counts, filters, categories, photos."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from proposals import services
from proposals.models import Topic, TopicPhoto
from tests.factories.proposals import TopicFactory

pytestmark = pytest.mark.django_db


def _topics(world, n):
    topics = [
        TopicFactory(
            community=world.org.community,
            grid=world.org.grid,
            category=world.category,
            raised_by=world.resident,
        )
        for _ in range(n)
    ]
    for t in topics[: n // 2]:
        services.topic_open_for_hands(actor=world.actors.worker, topic=t, threshold=3)
    return topics


@pytest.mark.parametrize("user", ["resident", "worker"])
@pytest.mark.parametrize("n", [1, 30])
def test_list_query_count_is_constant(api, world, django_assert_max_num_queries, n, user):
    _topics(world, n)
    actor = world.resident if user == "resident" else world.actors.worker
    api.force_authenticate(actor)
    with django_assert_max_num_queries(6):
        r = api.get("/api/v1/topics/?page_size=50")
    assert r.status_code == 200 and r.data["count"] == n


def test_filters(api, world, time_machine):
    time_machine.move_to("2026-11-23 09:00 +0800", tick=False)
    mine, other, answered = _topics(world, 3)[:3]
    Topic.objects.filter(pk=other.pk).update(raised_by=world.neighbour)
    services.topic_answer(actor=world.actors.worker, topic=answered, text="好")
    time_machine.move_to("2026-11-23 14:00 +0800", tick=False)
    api.force_authenticate(world.neighbour)
    ids = lambda q: sorted(r["id"] for r in api.get(f"/api/v1/topics/?{q}").data["results"])  # noqa: E731
    assert ids("mine=true") == [other.pk]
    assert ids("state=open_for_hands") == [mine.pk]
    assert ids("overdue=true") == [other.pk]
    assert ids("awaiting_response=true") == [other.pk]
    assert ids(f"grid={world.org.grid.pk}&category={world.category.pk}") == sorted(
        [mine.pk, other.pk, answered.pk]
    )
    assert api.get("/api/v1/topics/?state=bogus").status_code == 400


def test_categories_are_the_streets(api, world):
    from tests.factories.proposals import CategoryFactory

    CategoryFactory(street=world.org.foreign_street, name="外街道")
    api.force_authenticate(world.resident)
    names = [c["name"] for c in api.get("/api/v1/categories/").data]
    assert names == ["环境卫生"]


def _png():
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buf, "PNG")
    return SimpleUploadedFile("a.png", buf.getvalue(), content_type="image/png")


def test_raise_with_photos_multipart(api, world):
    api.force_authenticate(world.resident)
    r = api.post(
        "/api/v1/topics/",
        {
            "title": "墙皮脱落",
            "body": "见图",
            "category": world.category.pk,
            "photos": [_png(), _png()],
        },
        format="multipart",
    )
    assert r.status_code == 201, r.data
    assert len(r.data["photos"]) == 2 and TopicPhoto.objects.count() == 2


def test_a_file_that_is_not_an_image_is_refused(api, world):
    api.force_authenticate(world.resident)
    fake = SimpleUploadedFile("a.jpg", b"not an image at all", content_type="image/jpeg")
    r = api.post(
        "/api/v1/topics/",
        {"title": "t", "body": "b", "category": world.category.pk, "photos": [fake]},
        format="multipart",
    )
    assert r.status_code == 400 and "photos" in r.data["fields"]
    assert Topic.objects.count() == 0 and TopicPhoto.objects.count() == 0
