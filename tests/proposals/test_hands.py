"""Hands: one per resident (constraint too), withdraw, deadline, a true count, concurrency."""

import datetime
import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from core.exceptions import ApplicationError
from proposals import services
from proposals.models import Hand, Topic
from tests.factories.proposals import CategoryFactory, TopicFactory, verified_resident

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_topic(world, topic):
    return services.topic_open_for_hands(actor=world.actors.worker, topic=topic, threshold=5)


def _url(topic):
    return f"/api/v1/topics/{topic.pk}/hand/"


def test_one_hand_per_resident_withdraw_and_raise_again(api, world, open_topic):
    api.force_authenticate(world.resident)
    assert api.post(_url(open_topic)).data["hand_count"] == 1
    r = api.post(_url(open_topic))
    assert r.status_code == 409
    assert Topic.objects.get(pk=open_topic.pk).hand_count == 1
    r = api.delete(_url(open_topic))
    assert r.status_code == 200 and r.data["hand_count"] == 0 and r.data["my_hand"] is False
    assert api.delete(_url(open_topic)).status_code == 409
    assert api.post(_url(open_topic)).data["hand_count"] == 1
    # the withdrawn hand stays on record
    assert Hand.objects.filter(topic=open_topic).count() == 2
    assert Hand.objects.filter(topic=open_topic, withdrawn_at__isnull=True).count() == 1


def test_the_database_allows_one_active_hand_per_resident(world, open_topic):
    Hand.objects.create(topic=open_topic, user=world.resident)
    with pytest.raises(IntegrityError), transaction.atomic():
        Hand.objects.create(topic=open_topic, user=world.resident)
    # a withdrawn one does not block a new one
    Hand.objects.filter(topic=open_topic).update(withdrawn_at=timezone.now())
    Hand.objects.create(topic=open_topic, user=world.resident)


def test_hands_refused_after_the_deadline_and_when_not_open(api, world, topic, time_machine):
    time_machine.move_to("2026-11-23 09:00 +0800", tick=False)
    api.force_authenticate(world.resident)
    assert api.post(_url(topic)).status_code == 409  # still raised, not open for hands
    services.topic_open_for_hands(
        actor=world.actors.worker,
        topic=topic,
        threshold=2,
        deadline=timezone.now() + datetime.timedelta(days=1),
    )
    time_machine.move_to("2026-11-24 09:00 +0800", tick=False)
    r = api.post(_url(topic))
    assert r.status_code == 409 and "截止" in r.data["detail"]
    assert Hand.objects.count() == 0


def test_refused_hands(api, world, open_topic):
    # another community's resident: the topic does not exist for them
    api.force_authenticate(world.outsider)
    assert api.post(_url(open_topic)).status_code == 404
    # a worker is not a resident
    api.force_authenticate(world.actors.worker)
    assert api.post(_url(open_topic)).status_code == 403
    # an unverified account of the community
    a = world.actors
    api.force_authenticate(a.resident)
    r = api.post(_url(open_topic))
    assert r.status_code == 403 and "实名" in r.data["detail"]
    assert Hand.objects.count() == 0


def test_party_branch_hand_once_and_only_by_staff(api, world, open_topic):
    api.force_authenticate(world.resident)
    assert api.post(f"/api/v1/topics/{open_topic.pk}/party-branch-hand/").status_code == 403
    api.force_authenticate(world.actors.worker)
    r = api.post(f"/api/v1/topics/{open_topic.pk}/party-branch-hand/", {}, format="json")
    assert r.status_code == 200 and r.data["party_branch_hand"] is True
    assert "adopt" in r.data["actions"]
    assert api.post(f"/api/v1/topics/{open_topic.pk}/party-branch-hand/").status_code == 409


def test_adopt_short_of_threshold_is_refused(world, open_topic):
    with pytest.raises(ApplicationError) as exc:
        services.topic_adopt(actor=world.actors.worker, topic=open_topic)
    assert exc.value.code == "conflict"
    assert Topic.objects.get(pk=open_topic.pk).state == Topic.State.OPEN_FOR_HANDS


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_hands_count_exactly(org):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: row locks across threads; SQLite serialises writers")
    from accounts.models import Role
    from tests.factories import UserFactory, grant

    worker = grant(UserFactory(), Role.COMMUNITY_WORKER, org.community)
    category = CategoryFactory(street=org.street)
    topic = TopicFactory(community=org.community, category=category)
    services.topic_open_for_hands(actor=worker, topic=topic, threshold=50)
    residents = [verified_resident(org.community) for _ in range(20)]
    # every resident twice: 40 threads at once
    attempts = residents + residents
    barrier = threading.Barrier(len(attempts))
    conflicts, errors = [], []

    def raise_hand(user):
        try:
            barrier.wait()
            services.hand_raise(actor=user, topic=topic)
        except ApplicationError as exc:
            conflicts.append(exc.code)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=raise_hand, args=(u,)) for u in attempts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert conflicts == ["conflict"] * 20
    topic.refresh_from_db()
    assert topic.hand_count == 20
    assert Hand.objects.filter(topic=topic, withdrawn_at__isnull=True).count() == 20
