"""Meetings: scheduled → held (minutes, attendance, decisions) or cancelled; every forbidden
move; the joint meeting's three bodies; decisions on the topic's timeline; follow-up; what
residents see."""

import datetime

import pytest
from django.utils import timezone

from core.exceptions import ApplicationError
from forums import services
from forums.models import Attendance, Decision, Meeting, MeetingEvent
from notifications.models import Notification
from proposals.models import TopicEvent
from tests.factories.forums import MeetingFactory, MemberFactory, joint_forum
from tests.factories.proposals import TopicFactory

from .conftest import hold_payload

pytestmark = pytest.mark.django_db


def _hold(actor, meeting, **kw):
    args = {
        "minutes": "<p>同意。</p>",
        "present_members": [meeting.forum.chair],
        **kw,
    }
    return services.meeting_hold(actor=actor, meeting=meeting, **args)


# ---------------------------------------------------------------------------------------------
# Transitions


def test_schedule_notifies_members_with_accounts(org, actors, forum):
    MemberFactory(forum=forum, account=actors.resident, name="账号成员")
    meeting = services.meeting_create(
        actor=actors.worker,
        forum=forum,
        title="楼道堆物",
        held_at=timezone.now() + datetime.timedelta(days=2),
        place="会议室",
        agenda="清理方案",
    )
    assert meeting.status == Meeting.Status.SCHEDULED
    assert MeetingEvent.objects.filter(meeting=meeting, verb="schedule").exists()
    assert Notification.objects.filter(
        recipient=actors.resident, kind="forums.meeting.scheduled"
    ).exists()


def test_hold_records_minutes_attendance_decisions(org, actors, forum, meeting, topic):
    held = services.meeting_hold(
        actor=actors.worker,
        meeting=meeting,
        minutes="<p>同意推进。</p><script>alert(1)</script><a href='javascript:x()'>x</a>",
        present_members=[forum.chair],
        guests=[{"name": "物业经理", "represents": "property_company"}],
        decisions=[{"text": "成立工作小组", "topic": topic}, {"text": "下月再议"}],
    )
    assert held.status == Meeting.Status.HELD and held.minutes_recorded_at
    assert "<script" not in held.minutes and "javascript" not in held.minutes
    rows = {(a.name, a.present, a.is_guest) for a in Attendance.objects.filter(meeting=held)}
    assert rows == {("王书记", True, False), ("李阿姨", False, False), ("物业经理", True, True)}
    assert list(held.decisions.values_list("position", "text")) == [
        (1, "成立工作小组"),
        (2, "下月再议"),
    ]
    event = TopicEvent.objects.get(topic=topic, verb="forum_decision")
    assert event.is_public and "成立工作小组" in event.note and "一居同心议事会" in event.note
    assert MeetingEvent.objects.filter(meeting=held, verb="hold", to_state="held").exists()


def test_cancel_with_reason(actors, meeting):
    cancelled = services.meeting_cancel(actor=actors.worker, meeting=meeting, reason="台风")
    assert cancelled.status == Meeting.Status.CANCELLED and cancelled.cancel_reason == "台风"
    assert MeetingEvent.objects.filter(meeting=meeting, verb="cancel", note="台风").exists()


@pytest.mark.parametrize("first", ["hold", "cancel"])
@pytest.mark.parametrize("then", ["hold", "cancel", "update"])
def test_forbidden_moves(actors, forum, meeting, first, then):
    if first == "hold":
        _hold(actors.worker, meeting)
    else:
        services.meeting_cancel(actor=actors.worker, meeting=meeting, reason="改期")
    with pytest.raises(ApplicationError) as exc:
        if then == "hold":
            _hold(actors.worker, meeting)
        elif then == "cancel":
            services.meeting_cancel(actor=actors.worker, meeting=meeting, reason="再取消")
        else:
            services.meeting_update(actor=actors.worker, meeting=meeting, place="新地点")
    assert exc.value.code == "conflict"


def test_update_while_scheduled(actors, meeting):
    services.meeting_update(actor=actors.worker, meeting=meeting, place="社区活动室")
    meeting.refresh_from_db()
    assert meeting.place == "社区活动室"


def test_cannot_hold_a_future_meeting(actors, forum):
    meeting = MeetingFactory(forum=forum, held_at=timezone.now() + datetime.timedelta(days=1))
    with pytest.raises(ApplicationError) as exc:
        _hold(actors.worker, meeting)
    assert "held_at" in exc.value.fields


def test_hold_needs_minutes_and_attendance(actors, meeting):
    with pytest.raises(ApplicationError) as exc:
        _hold(actors.worker, meeting, minutes="<script>x</script>")
    assert "minutes" in exc.value.fields
    with pytest.raises(ApplicationError) as exc:
        _hold(actors.worker, meeting, present_members=[])
    assert "present_members" in exc.value.fields
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SCHEDULED
    assert not Attendance.objects.exists()


def test_present_member_must_be_current_member_of_this_forum(org, actors, forum, meeting):
    stranger = MemberFactory(name="别的平台成员")
    with pytest.raises(ApplicationError) as exc:
        _hold(actors.worker, meeting, present_members=[stranger])
    assert "present_members" in exc.value.fields


def test_decision_topic_of_another_community_is_refused(org, actors, meeting):
    elsewhere = TopicFactory(community=org.sibling_community)
    with pytest.raises(ApplicationError) as exc:
        _hold(actors.worker, meeting, decisions=[{"text": "x", "topic": elsewhere}])
    assert "decisions" in exc.value.fields
    assert not Decision.objects.exists() and not TopicEvent.objects.exists()


def test_joint_meeting_needs_the_three_bodies(org, actors):
    forum, members = joint_forum(org.community)
    meeting = MeetingFactory(forum=forum)
    with pytest.raises(ApplicationError) as exc:
        services.meeting_hold(
            actor=actors.worker,
            meeting=meeting,
            minutes="纪要",
            present_members=[members["neighbourhood_committee"], members["owners_committee"]],
        )
    assert "物业公司" in exc.value.message
    # A guest from the property company completes the table.
    held = services.meeting_hold(
        actor=actors.worker,
        meeting=meeting,
        minutes="纪要",
        present_members=[members["neighbourhood_committee"], members["owners_committee"]],
        guests=[{"name": "物业公司代表", "represents": "property_company"}],
    )
    assert held.status == Meeting.Status.HELD


# ---------------------------------------------------------------------------------------------
# Decisions' follow-up


def test_follow_up_moves(actors, forum, meeting, topic):
    _hold(actors.worker, meeting, decisions=[{"text": "修路灯", "topic": topic}])
    decision = meeting.decisions.get()
    services.decision_follow_up(actor=actors.worker, decision=decision, follow_up="in_progress")
    services.decision_follow_up(actor=actors.worker, decision=decision, follow_up="done")
    decision.refresh_from_db()
    assert decision.follow_up == "done"
    assert TopicEvent.objects.filter(topic=topic, verb="forum_decision_follow_up").exists()
    for follow_up in ("pending", "in_progress", "done", "dropped"):
        with pytest.raises(ApplicationError) as exc:
            services.decision_follow_up(
                actor=actors.worker, decision=decision, follow_up=follow_up, note="n"
            )
        assert exc.value.code == "conflict"


def test_dropping_needs_a_note(actors, meeting):
    _hold(actors.worker, meeting, decisions=[{"text": "修路灯"}])
    decision = meeting.decisions.get()
    with pytest.raises(ApplicationError) as exc:
        services.decision_follow_up(actor=actors.worker, decision=decision, follow_up="dropped")
    assert "note" in exc.value.fields


# ---------------------------------------------------------------------------------------------
# Who may


@pytest.mark.parametrize(
    "who", ["district_leader", "grid_leader", "other_worker", "foreign_admin", "resident"]
)
def test_refused_writers(actors, forum, meeting, who):
    user = getattr(actors, who)
    for call in (
        lambda: _hold(user, meeting),
        lambda: services.meeting_cancel(actor=user, meeting=meeting, reason="r"),
        lambda: services.meeting_create(
            actor=user, forum=forum, title="t", held_at=timezone.now(), place="p", agenda="a"
        ),
    ):
        with pytest.raises(ApplicationError) as exc:
            call()
        assert exc.value.code == "forbidden"


@pytest.mark.parametrize("who", ["worker", "street_admin", "superuser"])
def test_writers(actors, meeting, who):
    assert _hold(getattr(actors, who), meeting).status == "held"


# ---------------------------------------------------------------------------------------------
# API


def test_api_hold_and_resident_view(api, org, actors, forum, meeting, topic, residents):
    api.force_authenticate(actors.worker)
    payload = hold_payload(forum, decisions=[{"text": "成立小组", "topic": topic.pk}])
    response = api.post(f"/api/v1/forum-meetings/{meeting.pk}/hold/", payload, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "held" and body["attendance"] and body["events"]
    assert body["decisions"][0]["topic"] == {"id": topic.pk, "title": topic.title}
    assert "follow_up" in body["actions"]

    # A resident of the community reads minutes and decisions, not names.
    api.force_authenticate(residents.home)
    detail = api.get(f"/api/v1/forum-meetings/{meeting.pk}/").json()
    assert detail["attendance"] is None and detail["events"] is None
    assert detail["present_count"] == 2 and detail["absent_count"] == 1
    assert detail["minutes"] == "<p>同意推进。</p>" and detail["actions"] == []
    listed = api.get("/api/v1/forum-meetings/").json()
    assert [m["id"] for m in listed["results"]] == [meeting.pk]

    # A district leader reads the minutes and the counts, not the names.
    api.force_authenticate(actors.district_leader)
    leader = api.get(f"/api/v1/forum-meetings/{meeting.pk}/").json()
    assert leader["attendance"] is None and leader["events"] is not None

    # A resident of another community: not found.
    api.force_authenticate(residents.other)
    assert api.get(f"/api/v1/forum-meetings/{meeting.pk}/").status_code == 404
    assert api.get("/api/v1/forum-meetings/").json()["count"] == 0


def test_residents_do_not_see_scheduled_or_cancelled(api, actors, forum, meeting, residents):
    other = MeetingFactory(forum=forum)
    services.meeting_cancel(actor=actors.worker, meeting=other, reason="改期")
    api.force_authenticate(residents.home)
    assert api.get("/api/v1/forum-meetings/").json()["count"] == 0
    assert api.get(f"/api/v1/forum-meetings/{meeting.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"minutes": ""}, "minutes"),
        ({"present_members": ["x"]}, "present_members"),
        ({"guests": [{"name": ""}]}, "guests"),
        ({"guests": [{"name": "甲", "represents": "mayor"}]}, "guests"),
        ({"decisions": [{"text": ""}]}, "decisions"),
        ({"decisions": [{"text": "x", "topic": 999999}]}, "decisions"),
        ({"held_at": "yesterday"}, "held_at"),
    ],
)
def test_api_hold_bad_input(api, actors, forum, meeting, payload, field):
    api.force_authenticate(actors.worker)
    body = {"minutes": "纪要", "present_members": [forum.chair.pk], **payload}
    response = api.post(f"/api/v1/forum-meetings/{meeting.pk}/hold/", body, format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()["fields"]
    meeting.refresh_from_db()
    assert meeting.status == "scheduled"
    assert not Attendance.objects.exists() and not Decision.objects.exists()


def test_api_schedule_update_cancel(api, actors, forum):
    api.force_authenticate(actors.worker)
    created = api.post(
        "/api/v1/forum-meetings/",
        {
            "forum": forum.pk,
            "title": "绿化补种",
            "held_at": "2030-01-01T10:00:00+08:00",
            "place": "会议室",
            "agenda": "补种计划",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert set(created.json()["actions"]) == {"update", "hold", "cancel"}
    patched = api.patch(f"/api/v1/forum-meetings/{pk}/", {"place": "广场"}, format="json")
    assert patched.status_code == 200 and patched.json()["place"] == "广场"
    assert api.post(f"/api/v1/forum-meetings/{pk}/cancel/", {}, format="json").status_code == 400
    cancelled = api.post(f"/api/v1/forum-meetings/{pk}/cancel/", {"reason": "下雨"}, format="json")
    assert cancelled.json()["status"] == "cancelled"
    again = api.post(f"/api/v1/forum-meetings/{pk}/cancel/", {"reason": "x"}, format="json")
    assert again.status_code == 409


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"title": ""}, "title"),
        ({"forum": 999999}, "forum"),
        ({"held_at": "soon"}, "held_at"),
        ({"place": ""}, "place"),
        ({"agenda": ""}, "agenda"),
    ],
)
def test_api_schedule_bad_input(api, actors, forum, payload, field):
    api.force_authenticate(actors.worker)
    body = {
        "forum": forum.pk,
        "title": "t",
        "held_at": "2030-01-01T10:00:00+08:00",
        "place": "p",
        "agenda": "a",
        **payload,
    }
    response = api.post("/api/v1/forum-meetings/", body, format="json")
    assert response.status_code == 400 and field in response.json()["fields"]
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("district_leader", 403),
        ("grid_leader", 403),
        ("other_worker", 404),
        ("foreign_admin", 404),
        ("resident", 404),
    ],
)
def test_api_hold_refused(api, actors, forum, meeting, who, code):
    api.force_authenticate(getattr(actors, who))
    response = api.post(
        f"/api/v1/forum-meetings/{meeting.pk}/hold/", hold_payload(forum), format="json"
    )
    assert response.status_code == code
    meeting.refresh_from_db()
    assert meeting.status == "scheduled"


def test_api_schedule_refused_for_readers(api, actors, forum):
    body = {"forum": forum.pk, "title": "t", "held_at": "2030-01-01T10:00:00Z"}
    body |= {"place": "p", "agenda": "a"}
    for who in ("district_leader", "grid_leader", "resident"):
        api.force_authenticate(getattr(actors, who))
        assert api.post("/api/v1/forum-meetings/", body, format="json").status_code in (400, 403)
    api.force_authenticate(None)
    assert api.post("/api/v1/forum-meetings/", body, format="json").status_code in (401, 403)
    assert not Meeting.objects.exists()


def test_api_follow_up(api, actors, meeting):
    _hold(actors.worker, meeting, decisions=[{"text": "修路灯"}])
    decision = meeting.decisions.get()
    path = f"/api/v1/forum-decisions/{decision.pk}/follow-up/"
    api.force_authenticate(actors.district_leader)
    assert api.post(path, {"follow_up": "done"}, format="json").status_code == 403
    api.force_authenticate(actors.other_worker)
    assert api.post(path, {"follow_up": "done"}, format="json").status_code == 404
    api.force_authenticate(actors.worker)
    bad = api.post(path, {"follow_up": "pending"}, format="json")
    assert bad.status_code == 400 and "follow_up" in bad.json()["fields"]
    dropped = api.post(path, {"follow_up": "dropped"}, format="json")
    assert dropped.status_code == 400 and "note" in dropped.json()["fields"]
    done = api.post(path, {"follow_up": "done", "note": "已修好"}, format="json")
    assert done.status_code == 200
    assert done.json()["decisions"][0]["follow_up"] == "done"
