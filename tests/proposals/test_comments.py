"""Comments: reports (once each; N hide it), worker moderation with a reason, rate limit."""

import pytest

from proposals import services
from proposals.models import Comment, CommentReport, TopicEvent
from tests.factories.proposals import verified_resident

pytestmark = pytest.mark.django_db


def _comment(api, user, topic, body="说得对"):
    api.force_authenticate(user)
    r = api.post(f"/api/v1/topics/{topic.pk}/comments/", {"body": body}, format="json")
    assert r.status_code == 201, r.data
    return r.data["id"]


def test_three_reports_hide_until_reviewed(api, world, topic):
    cid = _comment(api, world.neighbour, topic, "骂人的话")
    reporters = [world.resident] + [verified_resident(world.org.community) for _ in range(2)]
    api.force_authenticate(reporters[0])
    assert api.post(f"/api/v1/comments/{cid}/report/", {}, format="json").status_code == 200
    r = api.post(f"/api/v1/comments/{cid}/report/", {}, format="json")
    assert r.status_code == 409  # once each
    assert CommentReport.objects.count() == 1
    for user in reporters[1:]:
        api.force_authenticate(user)
        r = api.post(f"/api/v1/comments/{cid}/report/", {"reason": "辱骂"}, format="json")
        assert r.status_code == 200
    comment = Comment.objects.get(pk=cid)
    assert comment.hidden and comment.auto_hidden
    # residents see it hidden, with the reason; staff see everything
    api.force_authenticate(world.resident)
    row = api.get(f"/api/v1/topics/{topic.pk}/comments/").data["results"][0]
    assert row["body"] == "已隐藏" and "3 位居民举报" in row["hidden_reason"]
    api.force_authenticate(world.actors.worker)
    row = api.get(f"/api/v1/topics/{topic.pk}/comments/").data["results"][0]
    assert row["body"] == "骂人的话"
    # the worker reviews it and restores it
    r = api.post(f"/api/v1/comments/{cid}/restore/", {"note": "未违规"}, format="json")
    assert r.status_code == 200 and r.data["hidden"] is False
    assert TopicEvent.objects.filter(topic=topic, verb="comment_restored", is_public=False).exists()


def test_worker_hides_with_a_reason_that_stays(api, world, topic):
    cid = _comment(api, world.neighbour, topic)
    api.force_authenticate(world.actors.worker)
    r = api.post(f"/api/v1/comments/{cid}/hide/", {"reason": ""}, format="json")
    assert r.status_code == 400 and "reason" in r.data["fields"]
    assert not Comment.objects.get(pk=cid).hidden
    r = api.post(f"/api/v1/comments/{cid}/hide/", {"reason": "含个人电话"}, format="json")
    assert r.status_code == 200 and r.data["hidden_reason"] == "含个人电话"
    c = Comment.objects.get(pk=cid)
    assert c.hidden_by == world.actors.worker and c.hidden_at is not None
    assert (
        api.post(f"/api/v1/comments/{cid}/hide/", {"reason": "x"}, format="json").status_code == 409
    )
    # residents may not moderate
    api.force_authenticate(world.resident)
    assert api.post(f"/api/v1/comments/{cid}/restore/", {}, format="json").status_code == 403


def test_outsiders_cannot_see_or_report(api, world, topic):
    cid = _comment(api, world.neighbour, topic)
    api.force_authenticate(world.outsider)
    assert api.post(f"/api/v1/comments/{cid}/report/", {}, format="json").status_code == 404
    assert api.get(f"/api/v1/topics/{topic.pk}/comments/").status_code == 404


def test_residents_cannot_flood(api, world, topic):
    api.force_authenticate(world.resident)
    codes = [
        api.post(
            f"/api/v1/topics/{topic.pk}/comments/", {"body": f"第{i}条"}, format="json"
        ).status_code
        for i in range(6)
    ]
    assert codes == [201] * 5 + [429]
    assert Comment.objects.count() == 5


def test_comment_body_required(api, world, topic):
    api.force_authenticate(world.resident)
    r = api.post(f"/api/v1/topics/{topic.pk}/comments/", {"body": ""}, format="json")
    assert r.status_code == 400 and "body" in r.data["fields"]


def test_internal_notes_are_never_shown_to_residents(api, world, topic):
    services.topic_note_add(actor=world.actors.worker, topic=topic, text="该户情绪激动")
    api.force_authenticate(world.resident)
    assert api.get(f"/api/v1/topics/{topic.pk}/notes/").status_code == 403
    verbs = [e["verb"] for e in api.get(f"/api/v1/topics/{topic.pk}/timeline/").data]
    assert "note" not in verbs
    assert (
        api.post(f"/api/v1/topics/{topic.pk}/notes/", {"text": "x"}, format="json").status_code
        == 403
    )
    api.force_authenticate(world.actors.worker)
    notes = api.get(f"/api/v1/topics/{topic.pk}/notes/").data
    assert [n["note"] for n in notes] == ["该户情绪激动"]


def test_deliberation_is_recorded_and_on_the_timeline(api, world, topic):
    api.force_authenticate(world.actors.worker)
    payload = {
        "round": "building",
        "held_on": "2026-01-05",
        "place": "3号楼门厅",
        "attendance": 12,
        "minutes": "讨论加装电梯",
        "outcome": "同意进入小区续议",
    }
    r = api.post(f"/api/v1/topics/{topic.pk}/deliberations/", payload, format="json")
    assert r.status_code == 201, r.data
    r = api.post(
        f"/api/v1/topics/{topic.pk}/deliberations/", {**payload, "attendance": 0}, format="json"
    )
    assert r.status_code == 400 and "attendance" in r.data["fields"]
    api.force_authenticate(world.resident)
    assert len(api.get(f"/api/v1/topics/{topic.pk}/deliberations/").data) == 1
    assert (
        api.post(f"/api/v1/topics/{topic.pk}/deliberations/", payload, format="json").status_code
        == 403
    )
    verbs = [e["verb"] for e in api.get(f"/api/v1/topics/{topic.pk}/timeline/").data]
    assert "deliberation" in verbs


def test_follow_and_be_notified(api, world, topic):
    from notifications.models import Notification

    api.force_authenticate(world.neighbour)
    r = api.post(f"/api/v1/topics/{topic.pk}/follow/")
    assert r.status_code == 200 and r.data["following"] is True and "unfollow" in r.data["actions"]
    services.topic_answer(actor=world.actors.worker, topic=topic, text="收到")
    assert set(
        Notification.objects.filter(kind="proposals.topic.answer").values_list(
            "recipient__username", flat=True
        )
    ) == {"res1", "res2"}
    r = api.delete(f"/api/v1/topics/{topic.pk}/follow/")
    assert r.data["following"] is False
