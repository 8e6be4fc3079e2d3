"""Notices: writing, publishing with inbox notices, withdrawing, expiry, what residents see,
reads and acknowledgements, who has not acknowledged; who may NOT, bad input."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from board import services, tasks
from board.models import Notice, NoticeAck, NoticeEvent, NoticeRead
from notifications.models import Notification
from tests.factories.board import NoticeFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/notices/"


def url(notice, suffix=""):
    return f"{URL}{notice.pk}/{suffix}"


def community_notice(org, **fields):
    return NoticeFactory(community=org.community, **fields)


def publish(actor, notice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.notice_publish(actor=actor, notice=notice)


# -- writing ----------------------------------------------------------------------------------


def test_worker_writes_a_compound_notice_and_the_body_is_sanitised(api, org, actors, place):
    api.force_authenticate(actors.worker)
    response = api.post(
        URL,
        {
            "audience": "compound",
            "compound": place.compound_a.pk,
            "title": "停水通知",
            "body": '<p onclick="x()">周三停水<script>alert(1)</script>'
            '<a href="javascript:alert(1)">详情</a><a href="https://example.cn/a">公告</a></p>',
            "requires_ack": True,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft" and body["phase"] == "draft"
    assert body["community"]["id"] == org.community.pk
    assert body["street"]["id"] == org.street.pk
    assert body["target"] == "一居 · 望春里一期"
    assert "script" not in body["body"] and "onclick" not in body["body"]
    assert "javascript" not in body["body"]
    assert 'href="https://example.cn/a"' in body["body"]
    assert {"update", "publish"} <= set(body["actions"])


def test_street_admin_writes_a_street_notice_a_worker_may_not(api, org, actors):
    data = {"audience": "street", "street": org.street.pk, "title": "街道通知", "body": "<p>x</p>"}
    api.force_authenticate(actors.worker)
    response = api.post(URL, data, format="json")
    assert response.status_code == 403
    assert not Notice.objects.exists()
    api.force_authenticate(actors.street_admin)
    assert api.post(URL, data, format="json").status_code == 201


@pytest.mark.parametrize("who", ["grid_leader", "district_leader", "resident", "foreign_admin"])
def test_who_may_not_write_a_community_notice(api, org, actors, who):
    api.force_authenticate(getattr(actors, who))
    response = api.post(
        URL,
        {"audience": "community", "community": org.community.pk, "title": "t", "body": "<p>x</p>"},
        format="json",
    )
    # Out of scope: the community does not exist for them (400 on the field); in scope: 403.
    assert response.status_code in (400, 403)
    if response.status_code == 400:
        assert "community" in response.json()["fields"]
    assert not Notice.objects.exists()


def test_another_communitys_worker_cannot_address_this_community(api, org, actors, place):
    api.force_authenticate(actors.other_worker)
    response = api.post(
        URL,
        {"audience": "compound", "compound": place.compound_a.pk, "title": "t", "body": "<p>x</p>"},
        format="json",
    )
    # The compound lies outside their scope: it does not exist for them.
    assert response.status_code == 400 and "compound" in response.json()["fields"]
    assert not Notice.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (
            {"audience": "community", "community": None, "title": "t", "body": "<p>x</p>"},
            "community",
        ),
        ({"audience": "compound", "title": "t", "body": "<p>x</p>"}, "compound"),
        ({"audience": "community", "title": "", "body": "<p>x</p>"}, "title"),
        ({"audience": "community", "title": "t", "body": "<script>x</script>"}, "body"),
        ({"audience": "bogus", "title": "t", "body": "<p>x</p>"}, "audience"),
        (
            {
                "audience": "community",
                "title": "t",
                "body": "<p>x</p>",
                "expires_at": "2020-01-01T00:00:00Z",
            },
            "expires_at",
        ),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_writes_nothing(api, org, actors, data, field):
    data = {**data}
    data.setdefault("community", org.community.pk)
    api.force_authenticate(actors.worker)
    response = api.post(URL, data, format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()["fields"]
    assert not Notice.objects.exists()


def test_photos_must_be_images(api, org, actors):
    from django.core.files.uploadedfile import SimpleUploadedFile

    api.force_authenticate(actors.worker)
    fake = SimpleUploadedFile("a.jpg", b"not an image at all", content_type="image/jpeg")
    response = api.post(
        URL,
        {
            "audience": "community",
            "community": org.community.pk,
            "title": "t",
            "body": "<p>x</p>",
            "photos": [fake],
        },
        format="multipart",
    )
    assert response.status_code == 400 and "photos" in response.json()["fields"]
    assert not Notice.objects.exists()


def test_photo_and_pdf_attachments_are_stored(api, org, actors):
    from django.core.files.uploadedfile import SimpleUploadedFile

    png = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
        b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7"
        b"5\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
    )
    api.force_authenticate(actors.worker)
    response = api.post(
        URL,
        {
            "audience": "community",
            "community": org.community.pk,
            "title": "t",
            "body": "<p>x</p>",
            "photos": [SimpleUploadedFile("p.png", png, content_type="image/png")],
            "attachments": [
                SimpleUploadedFile("n.pdf", b"%PDF-1.4 x", content_type="application/pdf")
            ],
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    kinds = sorted(a["kind"] for a in response.json()["attachments"])
    assert kinds == ["file", "photo"]
    bad = SimpleUploadedFile("n.pdf", b"MZ not a pdf", content_type="application/pdf")
    notice = Notice.objects.get()
    response = api.post(
        url(notice, "attachments/"), {"kind": "file", "file": bad}, format="multipart"
    )
    assert response.status_code == 400 and "attachments" in response.json()["fields"]
    assert notice.attachments.count() == 2


# -- publishing, inbox ------------------------------------------------------------------------


def test_publishing_notifies_the_residents_addressed_once(
    org, actors, place, django_capture_on_commit_callbacks
):
    notice = NoticeFactory(
        audience="compound", community=org.community, compound=place.compound_a, title="停水"
    )
    publish(actors.worker, notice, django_capture_on_commit_callbacks)
    notified = set(
        Notification.objects.filter(kind="board.notice").values_list("recipient_id", flat=True)
    )
    # Verified residents of compound A; not Carol (compound B), not pending Dave, not Olga.
    assert notified == {place.alice.pk, place.bob.pk, place.erin.pk}
    notice.refresh_from_db()
    assert notice.notified_at is not None and notice.status == "published"
    # The task run again (a redelivery, the sweep) sends nothing more.
    tasks.notify_notice(notice.pk)
    tasks.notify_due_notices()
    assert Notification.objects.filter(kind="board.notice").count() == 3
    assert NoticeEvent.objects.filter(notice=notice, verb="publish").exists()


def test_delivery_goes_in_batches_with_a_cursor(
    org, actors, place, monkeypatch, django_capture_on_commit_callbacks
):
    from board.services import notices as notice_services

    monkeypatch.setattr(notice_services, "NOTIFY_BATCH", 2)
    calls = []
    real = notice_services.notice_notify_batch

    def spy(**kwargs):
        result = real(batch=2, notice_id=kwargs["notice_id"])
        calls.append(result)
        return result

    monkeypatch.setattr(tasks, "notice_notify_batch", spy)
    notice = community_notice(org)
    publish(actors.worker, notice, django_capture_on_commit_callbacks)
    # Alice, Bob, Carol, Erin: two full batches, then an empty one that finishes.
    assert calls == [(2, False), (2, False), (0, True)]
    assert Notification.objects.filter(kind="board.notice").count() == 4


def test_a_scheduled_notice_goes_up_and_out_at_its_time(
    api, org, actors, place, django_capture_on_commit_callbacks
):
    later = timezone.now() + datetime.timedelta(days=2)
    notice = community_notice(org, publish_at=later)
    publish(actors.worker, notice, django_capture_on_commit_callbacks)
    assert not Notification.objects.exists()
    api.force_authenticate(place.alice)
    assert api.get(URL).json()["count"] == 0
    api.force_authenticate(actors.worker)
    assert api.get(url(notice)).json()["phase"] == "scheduled"
    with time_machine.travel(later + datetime.timedelta(minutes=1)):
        tasks.notify_due_notices()
        api.force_authenticate(place.alice)
        assert api.get(URL).json()["count"] == 1
    assert Notification.objects.filter(recipient=place.alice).count() == 1


def test_withdrawn_before_it_went_out_notifies_nobody(org, actors, place):
    later = timezone.now() + datetime.timedelta(days=1)
    notice = community_notice(org, publish_at=later)
    services.notice_publish(actor=actors.worker, notice=notice)
    services.notice_withdraw(actor=actors.worker, notice=notice, reason="时间调整")
    with time_machine.travel(later + datetime.timedelta(minutes=1)):
        tasks.notify_due_notices()
        tasks.notify_notice(notice.pk)
    assert not Notification.objects.exists()


# -- transitions ------------------------------------------------------------------------------


def test_withdraw_needs_a_reason_and_hides_the_notice(api, org, actors, place):
    notice = community_notice(org)
    services.notice_publish(actor=actors.worker, notice=notice)
    api.force_authenticate(actors.worker)
    response = api.post(url(notice, "withdraw/"), {"reason": ""}, format="json")
    assert response.status_code == 400 and "reason" in response.json()["fields"]
    assert Notice.objects.get().status == "published"
    response = api.post(url(notice, "withdraw/"), {"reason": "内容有误，将重新发布"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "withdrawn" and body["withdraw_reason"] == "内容有误，将重新发布"
    assert [e["verb"] for e in body["events"]] == ["publish", "withdraw"]
    api.force_authenticate(place.alice)
    assert api.get(URL).json()["count"] == 0
    assert api.get(url(notice)).status_code == 404


def test_forbidden_moves_are_conflicts(api, org, actors):
    notice = community_notice(org)
    api.force_authenticate(actors.worker)
    assert api.post(url(notice, "withdraw/"), {"reason": "x"}, format="json").status_code == 409
    assert api.post(url(notice, "publish/")).status_code == 200
    assert api.post(url(notice, "publish/")).status_code == 409
    # Published: only the pin and the expiry change.
    response = api.patch(url(notice), {"title": "改标题"}, format="json")
    assert response.status_code == 400 and "title" in response.json()["fields"]
    assert api.patch(url(notice), {"pinned": True}, format="json").json()["pinned"] is True
    assert api.post(url(notice, "withdraw/"), {"reason": "x"}, format="json").status_code == 200
    assert api.patch(url(notice), {"pinned": False}, format="json").status_code == 409
    assert api.post(url(notice, "publish/")).status_code == 409


@pytest.mark.parametrize("who", ["grid_leader", "district_leader", "other_worker", "resident"])
def test_who_may_not_publish_or_withdraw(api, org, actors, who):
    notice = community_notice(org)
    api.force_authenticate(getattr(actors, who))
    assert api.post(url(notice, "publish/")).status_code in (403, 404)
    assert Notice.objects.get().status == "draft"
    services.notice_publish(actor=actors.worker, notice=notice)
    response = api.post(url(notice, "withdraw/"), {"reason": "x"}, format="json")
    assert response.status_code in (403, 404)
    assert Notice.objects.get().status == "published"


def test_a_street_notice_is_the_street_admins_not_a_workers(api, org, actors):
    notice = NoticeFactory(audience="street", community=None, street=org.street)
    api.force_authenticate(actors.worker)
    assert api.get(url(notice)).status_code == 404  # a draft is its writers' business
    assert api.post(url(notice, "publish/")).status_code == 404
    api.force_authenticate(actors.street_admin)
    assert api.post(url(notice, "publish/")).status_code == 200
    for who in ("worker", "grid_leader", "district_leader"):
        api.force_authenticate(getattr(actors, who))
        detail = api.get(url(notice))
        assert detail.status_code == 200, who  # they read it
        assert detail.json()["actions"] == []
        response = api.post(url(notice, "withdraw/"), {"reason": "x"}, format="json")
        assert response.status_code == 403, who
    api.force_authenticate(actors.foreign_admin)
    assert api.get(url(notice)).status_code == 404


# -- what residents see -----------------------------------------------------------------------


def test_residents_see_what_addresses_them_pinned_first_not_expired(api, org, actors, place):
    now = timezone.now()
    made = {
        "street": NoticeFactory(audience="street", community=None, street=org.street),
        "community": community_notice(org),
        "compound_a": NoticeFactory(
            audience="compound", community=org.community, compound=place.compound_a
        ),
        "compound_b": NoticeFactory(
            audience="compound", community=org.community, compound=place.compound_b
        ),
        "building_a1": NoticeFactory(
            audience="building", community=org.community, building=place.a1
        ),
        "pinned": community_notice(org, pinned=True),
        "expiring": community_notice(org, expires_at=now + datetime.timedelta(hours=1)),
        "other_community": NoticeFactory(community=org.sibling_community),
        "draft": community_notice(org),
    }
    for key, notice in made.items():
        if key != "draft":
            actor = actors.street_admin
            services.notice_publish(actor=actor, notice=notice)
    api.force_authenticate(place.alice)
    titles = [n["title"] for n in api.get(URL).json()["results"]]
    expected = {
        made[k].title
        for k in ("street", "community", "compound_a", "building_a1", "pinned", "expiring")
    }
    assert set(titles) == expected
    assert titles[0] == made["pinned"].title
    first = api.get(URL).json()["results"][0]
    assert first["read_count"] is None and first["ack_count"] is None  # workers' figures
    api.force_authenticate(place.carol)
    carol = {n["title"] for n in api.get(URL).json()["results"]}
    assert made["compound_b"].title in carol and made["compound_a"].title not in carol
    assert api.get(url(made["compound_a"])).status_code == 404
    # A pending account reads the street's and its claimed community's notices only.
    api.force_authenticate(place.dave)
    dave = {n["title"] for n in api.get(URL).json()["results"]}
    assert made["building_a1"].title not in dave and made["community"].title in dave
    with time_machine.travel(now + datetime.timedelta(hours=2)):
        api.force_authenticate(place.alice)
        titles = {n["title"] for n in api.get(URL).json()["results"]}
        assert made["expiring"].title not in titles
        assert Notice.objects.expired().get() == made["expiring"]
        api.force_authenticate(actors.worker)
        assert api.get(url(made["expiring"])).json()["phase"] == "expired"
        assert api.get(URL, {"phase": "expired"}).json()["count"] == 1


# -- reads and acknowledgements ---------------------------------------------------------------


def test_first_read_is_counted_once_and_staff_do_not_count(api, org, actors, place):
    notice = community_notice(org)
    services.notice_publish(actor=actors.worker, notice=notice)
    api.force_authenticate(place.alice)
    assert api.post(url(notice, "read/")).json() == {"counted": True}
    assert api.post(url(notice, "read/")).json() == {"counted": True}
    api.force_authenticate(actors.worker)
    assert api.post(url(notice, "read/")).json() == {"counted": False}
    assert NoticeRead.objects.filter(notice=notice).count() == 1
    detail = api.get(url(notice)).json()
    assert detail["read_count"] == 1
    assert detail["audience_counts"] == {"residents": 6, "accounts": 4}


def test_acknowledge_once_only_when_asked_and_verified(api, org, actors, place):
    plain = community_notice(org)
    asked = community_notice(org, requires_ack=True)
    for notice in (plain, asked):
        services.notice_publish(actor=actors.worker, notice=notice)
    api.force_authenticate(place.alice)
    assert api.post(url(plain, "ack/")).status_code == 409
    detail = api.get(url(asked)).json()
    assert "ack" in detail["actions"]
    assert api.post(url(asked, "ack/")).status_code == 201
    assert api.post(url(asked, "ack/")).status_code == 409
    assert api.get(url(asked)).json()["my_ack"] is True
    api.force_authenticate(place.dave)  # pending
    assert api.post(url(asked, "ack/")).status_code == 403
    api.force_authenticate(place.olga)  # another community: not even visible
    assert api.post(url(asked, "ack/")).status_code == 404
    assert NoticeAck.objects.count() == 1
    api.force_authenticate(actors.worker)
    assert api.get(url(asked)).json()["ack_count"] == 1


def test_unacknowledged_lists_residents_in_scope_with_masked_phones(api, org, actors, place):
    notice = NoticeFactory(
        audience="compound", community=org.community, compound=place.compound_a, requires_ack=True
    )
    services.notice_publish(actor=actors.worker, notice=notice)
    services.notice_acknowledge(actor=place.alice, notice=notice)
    api.force_authenticate(actors.worker)
    rows = api.get(url(notice, "unacknowledged/")).json()
    names = {r["name"] for r in rows["results"]}
    # Compound A's living residents minus Alice: Bob, Dave (pending), Erin, Sun (no account).
    assert names == {"王大伯", "赵先生", "钱阿姨", "孙奶奶"}
    sun = next(r for r in rows["results"] if r["name"] == "孙奶奶")
    assert sun["has_account"] is False and sun["phone_masked"] == "139****5678"
    assert "phone" not in sun
    # The grid leader of G1 sees only G1's residents (A1: Bob, Dave).
    api.force_authenticate(actors.grid_leader)
    names = {r["name"] for r in api.get(url(notice, "unacknowledged/")).json()["results"]}
    assert names == {"王大伯", "赵先生"}
    for who, code in (("district_leader", 403), ("other_worker", 404), ("resident", 404)):
        api.force_authenticate(getattr(actors, who))
        assert api.get(url(notice, "unacknowledged/")).status_code == code, who
    api.force_authenticate(place.bob)
    assert api.get(url(notice, "unacknowledged/")).status_code == 403
