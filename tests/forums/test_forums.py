"""Forums and members: create (community or street level), update, dissolve (scheduled meetings
cancelled), members added and leaving; every forbidden move; who may; bad input."""

import datetime

import pytest
from django.utils import timezone

from core.exceptions import ApplicationError
from forums import services
from forums.models import Forum, ForumEvent, ForumMember, Meeting
from tests.factories import ResidentFactory
from tests.factories.forums import ForumFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def test_create_community_and_street_forums(org, actors):
    council = services.forum_create(
        actor=actors.worker, community=org.community, kind="council", name="一居同心议事会"
    )
    assert council.street == org.street and council.status == "active"
    assert ForumEvent.objects.filter(forum=council, verb="create").exists()
    alliance = services.forum_create(
        actor=actors.street_admin, street=org.street, kind="property_alliance", name="物业联盟"
    )
    assert alliance.community is None
    # A community worker does not run street-level forums.
    with pytest.raises(ApplicationError) as exc:
        services.forum_create(
            actor=actors.worker, street=org.street, kind="property_alliance", name="x"
        )
    assert exc.value.code == "forbidden"


@pytest.mark.parametrize(
    "who", ["district_leader", "grid_leader", "other_worker", "foreign_admin", "resident"]
)
def test_create_refused(org, actors, who):
    with pytest.raises(ApplicationError) as exc:
        services.forum_create(
            actor=getattr(actors, who), community=org.community, kind="council", name="x"
        )
    assert exc.value.code == "forbidden"
    assert not Forum.objects.exists()


def test_dissolve_cancels_scheduled_meetings_and_ends_memberships(actors, forum):
    scheduled = MeetingFactory(forum=forum)
    services.forum_dissolve(actor=actors.worker, forum=forum, reason="并入社区议事会")
    forum.refresh_from_db()
    scheduled.refresh_from_db()
    assert forum.status == "dissolved" and forum.dissolved_on == timezone.localdate()
    assert scheduled.status == Meeting.Status.CANCELLED
    assert scheduled.cancel_reason == "并入社区议事会"
    assert not forum.members.filter(left_on__isnull=True).exists()
    # Dissolved is final: no second dissolve, no update, no member, no meeting.
    with pytest.raises(ApplicationError) as exc:
        services.forum_dissolve(actor=actors.worker, forum=forum, reason="again")
    assert exc.value.code == "conflict"
    with pytest.raises(ApplicationError):
        services.forum_update(actor=actors.worker, forum=forum, name="新名")
    with pytest.raises(ApplicationError):
        services.forum_member_add(actor=actors.worker, forum=forum, name="新成员")
    with pytest.raises(ApplicationError) as exc:
        services.meeting_create(
            actor=actors.worker,
            forum=forum,
            title="t",
            held_at=timezone.now(),
            place="p",
            agenda="a",
        )
    assert "forum" in exc.value.fields


def test_members(org, actors, forum):
    resident = ResidentFactory(community=org.community, name="孙大妈")
    member = services.forum_member_add(actor=actors.worker, forum=forum, resident=resident)
    assert member.name == "孙大妈" and member.represents == "residents"
    with pytest.raises(ApplicationError) as exc:
        services.forum_member_add(actor=actors.worker, forum=forum, resident=resident)
    assert "resident" in exc.value.fields
    stranger = ResidentFactory(community=org.sibling_community)
    with pytest.raises(ApplicationError) as exc:
        services.forum_member_add(actor=actors.worker, forum=forum, resident=stranger)
    assert "resident" in exc.value.fields
    rep = services.forum_member_add(
        actor=actors.worker,
        forum=forum,
        name="周经理",
        organisation="望春物业",
        represents="property_company",
    )
    assert rep.organisation == "望春物业"
    services.forum_member_leave(actor=actors.worker, member=member)
    member.refresh_from_db()
    assert member.left_on == timezone.localdate()
    with pytest.raises(ApplicationError):
        services.forum_member_leave(actor=actors.worker, member=member)
    # Having left, the resident may join again.
    services.forum_member_add(actor=actors.worker, forum=forum, resident=resident)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name": ""}, "name"),
        ({"role": "king"}, "role"),
        ({"represents": "mayor", "name": "x"}, "represents"),
        ({"name": "x", "joined_on": datetime.date(2999, 1, 1)}, "joined_on"),
    ],
)
def test_member_bad_input(actors, forum, kwargs, field):
    before = ForumMember.objects.count()
    with pytest.raises(ApplicationError) as exc:
        services.forum_member_add(actor=actors.worker, forum=forum, **kwargs)
    assert field in exc.value.fields
    assert ForumMember.objects.count() == before


# ---------------------------------------------------------------------------------------------
# API


def test_api_forum_lifecycle(api, org, actors):
    api.force_authenticate(actors.worker)
    created = api.post(
        "/api/v1/forums/",
        {"community": org.community.pk, "kind": "owners_salon", "name": "业委会沙龙"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert created.json()["members"] == []
    added = api.post(
        f"/api/v1/forums/{pk}/members/",
        {"name": "周主任", "organisation": "业委会", "represents": "owners_committee"},
        format="json",
    )
    assert added.status_code == 201 and added.json()["member_count"] == 1
    member_id = added.json()["members"][0]["id"]
    patched = api.patch(f"/api/v1/forums/{pk}/", {"description": "每月一次"}, format="json")
    assert patched.json()["description"] == "每月一次"
    left = api.post(f"/api/v1/forums/{pk}/members/{member_id}/leave/", {}, format="json")
    assert left.status_code == 200 and left.json()["member_count"] == 0
    assert api.post(f"/api/v1/forums/{pk}/dissolve/", {}, format="json").status_code == 400
    dissolved = api.post(f"/api/v1/forums/{pk}/dissolve/", {"reason": "合并"}, format="json")
    assert dissolved.json()["status"] == "dissolved" and dissolved.json()["actions"] == []
    again = api.post(f"/api/v1/forums/{pk}/dissolve/", {"reason": "x"}, format="json")
    assert again.status_code == 409


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"kind": "club"}, "kind"),
        ({"name": ""}, "name"),
        ({"community": 999999}, "community"),
        ({"established_on": "2999-01-01"}, "established_on"),
        ({"community": None}, "community"),
    ],
)
def test_api_forum_bad_input(api, org, actors, payload, field):
    api.force_authenticate(actors.worker)
    body = {"community": org.community.pk, "kind": "council", "name": "x", **payload}
    response = api.post("/api/v1/forums/", body, format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()["fields"]
    assert not Forum.objects.exists()


def test_api_member_bad_input(api, org, actors, forum):
    api.force_authenticate(actors.worker)
    path = f"/api/v1/forums/{forum.pk}/members/"
    for body, field in (
        ({}, "name"),
        ({"name": "x", "role": "boss"}, "role"),
        ({"resident": ResidentFactory(community=org.sibling_community).pk}, "resident"),
    ):
        response = api.post(path, body, format="json")
        assert response.status_code == 400 and field in response.json()["fields"], body
    assert forum.members.count() == 2


def test_api_visibility(api, org, actors, forum, residents):
    street_forum = ForumFactory(community=None, street=org.street, kind="property_alliance")
    ForumFactory(community=org.sibling_community)
    api.force_authenticate(residents.home)
    listed = api.get("/api/v1/forums/").json()
    assert {f["id"] for f in listed["results"]} == {forum.pk, street_forum.pk}
    detail = api.get(f"/api/v1/forums/{forum.pk}/").json()
    assert detail["members"] is None and detail["member_count"] == 2
    api.force_authenticate(actors.street_admin)
    assert api.get("/api/v1/forums/").json()["count"] == 3
    api.force_authenticate(actors.worker)
    # The worker sees their community's forum and the street-level one.
    assert {f["id"] for f in api.get("/api/v1/forums/").json()["results"]} == {
        forum.pk,
        street_forum.pk,
    }
    api.force_authenticate(actors.foreign_admin)
    assert api.get(f"/api/v1/forums/{forum.pk}/").status_code == 404
    # Leaders read the forum and its counts, never people's names.
    api.force_authenticate(actors.district_leader)
    detail = api.get(f"/api/v1/forums/{forum.pk}/").json()
    assert detail["members"] is None and detail["member_count"] == 2
    assert detail["events"] is not None and detail["actions"] == []
    api.force_authenticate(actors.grid_leader)
    assert len(api.get(f"/api/v1/forums/{forum.pk}/").json()["members"]) == 2


@pytest.mark.parametrize(
    ("who", "code"),
    [("district_leader", 403), ("grid_leader", 403), ("other_worker", 404), ("resident", 403)],
)
def test_api_dissolve_refused(api, actors, forum, who, code):
    api.force_authenticate(getattr(actors, who))
    response = api.post(f"/api/v1/forums/{forum.pk}/dissolve/", {"reason": "x"}, format="json")
    assert response.status_code == code
    forum.refresh_from_db()
    assert forum.status == "active"
