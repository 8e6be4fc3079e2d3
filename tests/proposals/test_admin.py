"""The workers' inbox in the admin: the action forms call the services."""

import pytest
from django.test import Client

from proposals import services
from proposals.models import Topic, TopicEvent
from tests.factories.proposals import TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_for():
    def make(user):
        c = Client()
        c.force_login(user)
        return c

    return make


def _act(client, topic, action, data):
    return client.post(f"/admin/proposals/topic/{topic.pk}/act/{action}/", data)


def test_walk_through_the_admin(world, topic, client_for):
    worker = client_for(world.actors.worker)
    page = worker.get(f"/admin/proposals/topic/{topic.pk}/change/")
    assert page.status_code == 200
    assert "/act/answer/" in page.content.decode()
    r = _act(worker, topic, "answer", {"text": "已收到，今天处理"})
    assert r.status_code == 302
    r = _act(worker, topic, "open_for_hands", {"threshold": "2", "note": ""})
    assert r.status_code == 302
    topic.refresh_from_db()
    assert topic.state == Topic.State.OPEN_FOR_HANDS and topic.hands_threshold == 2
    for user in (world.resident, world.neighbour):
        services.hand_raise(actor=user, topic=topic)
    r = _act(worker, topic, "adopt", {"title": "更换楼道灯", "plan": "", "note": ""})
    assert r.status_code == 302, r.content.decode()[:2000]
    topic.refresh_from_db()
    assert topic.state == Topic.State.ADOPTED
    verbs = list(TopicEvent.objects.filter(topic=topic).values_list("verb", flat=True))
    assert verbs[:2] == ["answer", "open_for_hands"] and verbs[-1] == "adopt"


def test_service_errors_come_back_as_messages(world, topic, client_for):
    worker = client_for(world.actors.worker)
    r = _act(worker, topic, "open_for_hands", {"threshold": "0"})
    assert r.status_code == 200
    assert "立项举手数至少为 1" in r.content.decode()
    services.topic_decline(actor=world.actors.worker, topic=topic, reason="重复")
    r = _act(worker, topic, "answer", {"text": "x"})
    assert r.status_code == 200 and "不能回应" in r.content.decode()
    assert Topic.objects.get(pk=topic.pk).state == Topic.State.DECLINED


def test_inbox_orders_unanswered_by_due_time_and_shows_time_left(world, client_for, time_machine):
    import datetime

    from django.utils import timezone

    time_machine.move_to("2026-11-23 09:00 +0800", tick=False)
    org = world.org
    late = TopicFactory(
        community=org.community,
        category=world.category,
        title="早的",
        raised_at=timezone.now() - datetime.timedelta(hours=6),
    )
    soon = TopicFactory(community=org.community, category=world.category, title="新的")
    answered = TopicFactory(community=org.community, category=world.category, title="回过的")
    services.topic_answer(actor=world.actors.worker, topic=answered, text="好")
    html = client_for(world.actors.worker).get("/admin/proposals/topic/").content.decode()
    assert html.index("早的") < html.index("新的") < html.index("回过的")
    assert "已超时 2 小时" in html and "剩余 4 小时 0 分" in html
    assert late.pk and soon.pk


def test_other_community_worker_gets_404_and_district_leader_sees_nothing(world, topic, client_for):
    other = client_for(world.actors.other_worker)
    assert other.get(f"/admin/proposals/topic/{topic.pk}/change/").status_code in (302, 404)
    assert _act(other, topic, "answer", {"text": "x"}).status_code == 404
    assert Topic.objects.get(pk=topic.pk).state == Topic.State.RAISED


def test_worker_enters_a_topic_and_moderates_a_comment(world, client_for):
    worker = client_for(world.actors.worker)
    r = worker.post(
        "/admin/proposals/topic/enter/",
        {
            "community": world.org.community.pk,
            "category": world.category.pk,
            "title": "井盖松动",
            "body": "巡查发现",
            "source": "patrol",
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    topic = Topic.objects.get(title="井盖松动")
    assert topic.entered_by == world.actors.worker and topic.source == "patrol"
    comment = services.comment_create(actor=world.neighbour, topic=topic, body="电话138…")
    r = worker.post(f"/admin/proposals/comment/{comment.pk}/moderate/hide/", {"reason": ""})
    assert r.status_code == 200
    comment.refresh_from_db()
    assert not comment.hidden
    r = worker.post(
        f"/admin/proposals/comment/{comment.pk}/moderate/hide/", {"reason": "含个人信息"}
    )
    assert r.status_code == 302
    comment.refresh_from_db()
    assert comment.hidden and comment.hidden_reason == "含个人信息"
