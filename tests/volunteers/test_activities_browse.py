"""Browsing with filters, updating an activity, and who sees what."""

import datetime

import time_machine

from notifications.models import Notification
from tests.factories.proposals import verified_resident
from tests.factories.volunteers import ActivityFactory, ServiceTeamFactory
from volunteers.models import Activity, SignUp
from volunteers.services import activities as services

from .conftest import DAY, HOUR, url

LIST = "/api/v1/volunteer-activities/"


def _ids(api, **params):
    response = api.get(LIST, params)
    assert response.status_code == 200, response.json()
    return {row["id"] for row in response.json()["results"]}


def test_filters(api, org, resident):
    team = ServiceTeamFactory(community=org.community)
    soon = ActivityFactory(community=org.community, category="为老服务", team=team, capacity=1)
    later = ActivityFactory(
        community=org.community,
        kind=Activity.Kind.POST,
        starts_at=services.timezone.now() + 20 * DAY,
        ends_at=services.timezone.now() + 20 * DAY + HOUR,
        signup_deadline=services.timezone.now() + 19 * DAY,
    )
    draft = ActivityFactory(community=org.community, status=Activity.Status.DRAFT)
    elsewhere = ActivityFactory(community=org.sibling_community)
    services.signup_create(actor=resident, activity=soon)
    api.force_authenticate(resident)
    assert _ids(api) == {soon.pk, later.pk}  # no drafts, no other community
    assert _ids(api, kind="post") == {later.pk}
    assert _ids(api, category="为老服务") == {soon.pk}
    assert _ids(api, team=team.pk) == {soon.pk}
    assert _ids(api, has_places="true") == {later.pk}
    assert _ids(api, has_places="false") == {soon.pk}
    assert _ids(api, mine="true") == {soon.pk}
    assert _ids(api, mine="false") == {later.pk}
    day = (services.timezone.localtime() + 15 * DAY).date().isoformat()
    assert _ids(api, date_from=day) == {later.pk}
    assert _ids(api, date_to=day) == {soon.pk}
    response = api.get(LIST, {"kind": "party"})
    assert response.status_code == 400 and "kind" in response.json()["fields"]
    assert draft.pk not in _ids(api) and elsewhere.pk not in _ids(api)


def test_staff_see_drafts_of_their_communities(api, org, actors):
    draft = ActivityFactory(community=org.community, status=Activity.Status.DRAFT)
    other = ActivityFactory(community=org.sibling_community, status=Activity.Status.DRAFT)
    api.force_authenticate(actors.worker)
    assert _ids(api) == {draft.pk}
    api.force_authenticate(actors.street_admin)
    assert _ids(api) == {draft.pk, other.pk}
    api.force_authenticate(actors.district_leader)
    assert _ids(api) == set()  # leaders see published activities, not drafts
    api.force_authenticate(actors.foreign_admin)
    assert _ids(api) == set()


def test_update_activity_and_more_places_move_the_list_up(api, org, actors):
    activity = ActivityFactory(community=org.community, capacity=1)
    first, second = (verified_resident(org.community) for _i in range(2))
    services.signup_create(actor=first, activity=activity)
    services.signup_create(actor=second, activity=activity)
    api.force_authenticate(actors.worker)
    bad = [
        ("capacity", {"capacity": 0}),
        ("title", {"title": ""}),
        ("ends_at", {"ends_at": (activity.starts_at - HOUR).isoformat()}),
        ("team", {"team": ServiceTeamFactory(community=org.sibling_community).pk}),
    ]
    for field, payload in bad:
        response = api.patch(url(activity), payload, format="json")
        assert response.status_code == 400 and field in response.json()["fields"], field
    activity.refresh_from_db()
    assert activity.capacity == 1 and activity.title
    response = api.patch(url(activity), {"capacity": 2, "title": "新名称"}, format="json")
    assert response.status_code == 200
    assert response.json()["confirmed_count"] == 2 and response.json()["title"] == "新名称"
    assert SignUp.objects.get(user=second).status == "confirmed"
    # Fewer places than confirmed people is refused.
    response = api.patch(url(activity), {"capacity": 1}, format="json")
    assert response.status_code == 400 and "capacity" in response.json()["fields"]
    for user in (first, actors.district_leader):
        api.force_authenticate(user)
        assert api.patch(url(activity), {"title": "x"}, format="json").status_code == 403
    assert Activity.objects.get().title == "新名称"
    # A new place reaches everyone signed up.
    api.force_authenticate(actors.worker)
    assert api.patch(url(activity), {"place": "三楼会议室"}, format="json").status_code == 200
    notes = Notification.objects.filter(kind="volunteers.activity_changed")
    assert {n.recipient_id for n in notes} == {first.pk, second.pk}


def test_finished_activity_cannot_be_changed(api, org, actors):
    activity = ActivityFactory(community=org.community)
    with time_machine.travel(activity.starts_at + datetime.timedelta(minutes=5)):
        services.activity_finish(actor=actors.worker, activity=activity)
    api.force_authenticate(actors.worker)
    assert api.patch(url(activity), {"title": "x"}, format="json").status_code == 409


def test_team_update_api(api, org, actors, resident):
    team = ServiceTeamFactory(community=org.community, name="巡逻队")
    ServiceTeamFactory(community=org.community, name="保洁队")
    path = f"/api/v1/service-teams/{team.pk}/"
    api.force_authenticate(actors.worker)
    response = api.patch(path, {"name": "保洁队"}, format="json")
    assert response.status_code == 400 and "name" in response.json()["fields"]
    response = api.patch(path, {"name": "文明巡逻队", "is_active": False}, format="json")
    assert response.status_code == 200 and response.json()["name"] == "文明巡逻队"
    api.force_authenticate(resident)
    assert api.patch(path, {"name": "x"}, format="json").status_code == 403
    api.force_authenticate(actors.other_worker)
    assert api.patch(path, {"name": "x"}, format="json").status_code == 404


def test_bad_community_filter_is_400(api, actors):
    api.force_authenticate(actors.worker)
    for path in ("/api/v1/volunteers/", "/api/v1/service-teams/", "/api/v1/party-member-reports/"):
        response = api.get(path, {"community": "abc"})
        assert response.status_code == 400 and "community" in response.json()["fields"], path
