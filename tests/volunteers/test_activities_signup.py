"""Sign-up with capacity, waiting list and cut-off; the activity workflow through the API."""

import time_machine

from notifications.models import Notification
from tests.factories.proposals import verified_resident
from tests.factories.volunteers import ActivityFactory
from volunteers.models import Activity, SignUp
from volunteers.services import activities as services

from .conftest import DAY, HOUR, url


def _residents(org, n):
    return [verified_resident(org.community, real_name=f"居民{i}") for i in range(n)]


def test_signup_takes_a_place_then_the_waiting_list(api, org):
    activity = ActivityFactory(community=org.community, capacity=2)
    people = _residents(org, 4)
    statuses = []
    for person in people:
        api.force_authenticate(person)
        response = api.post(url(activity, "signup/"))
        assert response.status_code == 201, response.json()
        statuses.append(response.json()["status"])
    assert statuses == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    api.force_authenticate(people[0])
    detail = api.get(url(activity)).json()
    assert detail["confirmed_count"] == 2 and detail["waitlist_count"] == 2
    assert detail["my_signup_status"] == "confirmed"
    assert "cancel_signup" in detail["actions"] and "signup" not in detail["actions"]
    assert detail["checkin_code"] is None  # residents never see the code
    assert detail["my_waitlist_position"] is None  # confirmed, not waiting
    positions = []
    for person in people[2:]:
        api.force_authenticate(person)
        positions.append(api.get(url(activity)).json()["my_waitlist_position"])
    assert positions == [1, 2]


def test_cancel_moves_the_waiting_list_up_in_order(api, org):
    activity = ActivityFactory(community=org.community, capacity=1)
    first, second, third = _residents(org, 3)
    for person in (first, second, third):
        services.signup_create(actor=person, activity=activity)
    api.force_authenticate(first)
    response = api.delete(url(activity, "signup/"))
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    status = dict(
        SignUp.objects.filter(activity=activity)
        .exclude(status="cancelled")
        .values_list("user_id", "status")
    )
    assert status == {second.pk: "confirmed", third.pk: "waitlisted"}
    note = Notification.objects.get(recipient=second)
    assert note.kind == "volunteers.signup_promoted"
    assert not Notification.objects.filter(recipient=third).exists()
    # A waitlisted person who withdraws frees no place.
    services.signup_cancel(actor=third, activity=activity)
    assert SignUp.objects.get(activity=activity, user=second).status == "confirmed"


def test_signing_up_twice_is_a_conflict(api, org, resident, activity):
    api.force_authenticate(resident)
    assert api.post(url(activity, "signup/")).status_code == 201
    response = api.post(url(activity, "signup/"))
    assert response.status_code == 409
    assert SignUp.objects.filter(activity=activity).count() == 1


def test_signup_and_cancel_close_at_the_cut_off(api, org, resident, activity):
    services.signup_create(actor=resident, activity=activity)
    api.force_authenticate(resident)
    with time_machine.travel(activity.signup_deadline + HOUR):
        assert api.delete(url(activity, "signup/")).status_code == 409
        late = verified_resident(org.community)
        api.force_authenticate(late)
        assert api.post(url(activity, "signup/")).status_code == 409
        assert "signup" not in api.get(url(activity)).json()["actions"]
    assert SignUp.objects.get(activity=activity, user=resident).status == "confirmed"
    assert not SignUp.objects.filter(user=late).exists()


def test_no_signup_to_a_draft_or_cancelled_activity(api, org, resident):
    draft = ActivityFactory(community=org.community, status=Activity.Status.DRAFT)
    api.force_authenticate(resident)
    assert api.post(url(draft, "signup/")).status_code == 404  # residents do not see drafts
    cancelled = ActivityFactory(community=org.community, status=Activity.Status.CANCELLED)
    assert api.post(url(cancelled, "signup/")).status_code == 409


def test_roles_that_may_not_sign_up(api, org, actors, unverified, outsider, activity):
    api.force_authenticate(unverified)
    assert api.post(url(activity, "signup/")).status_code == 403
    api.force_authenticate(outsider)  # another community: the activity does not exist for them
    assert api.post(url(activity, "signup/")).status_code == 404
    assert api.get(url(activity)).status_code == 404
    api.force_authenticate(actors.worker)  # staff organise; they do not sign up as residents
    assert api.post(url(activity, "signup/")).status_code == 403
    api.force_authenticate(actors.district_leader)
    assert api.post(url(activity, "signup/")).status_code == 403
    api.force_authenticate(actors.grid_leader)
    assert api.post(url(activity, "signup/")).status_code == 404
    api.logout()
    assert api.post(url(activity, "signup/")).status_code in (401, 403)
    assert not SignUp.objects.exists()


def test_cancelling_an_activity_releases_and_notifies(api, org, actors, resident, neighbour):
    activity = ActivityFactory(community=org.community, capacity=1)
    services.signup_create(actor=resident, activity=activity)
    services.signup_create(actor=neighbour, activity=activity)
    api.force_authenticate(actors.worker)
    response = api.post(url(activity, "cancel/"), {"reason": ""}, format="json")
    assert response.status_code == 400 and "reason" in response.json()["fields"]
    assert Activity.objects.get(pk=activity.pk).status == "published"
    response = api.post(url(activity, "cancel/"), {"reason": "暴雨预警"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "cancelled" and body["cancelled_reason"] == "暴雨预警"
    assert body["actions"] == ["view_attendances", "record_attendance"]
    assert set(SignUp.objects.values_list("status", flat=True)) == {"cancelled"}
    kinds = Notification.objects.filter(kind="volunteers.activity_cancelled")
    assert {n.recipient_id for n in kinds} == {resident.pk, neighbour.pk}
    assert api.post(url(activity, "cancel/"), {"reason": "again"}, format="json").status_code == 409


def test_worker_creates_publishes_and_finishes(api, org, actors):
    api.force_authenticate(actors.worker)
    starts = services.timezone.now() + 3 * DAY
    payload = {
        "community": org.community.pk,
        "title": "为老理发",
        "place": "活动室",
        "starts_at": starts.isoformat(),
        "ends_at": (starts + 2 * HOUR).isoformat(),
        "signup_deadline": (starts - DAY).isoformat(),
        "capacity": 3,
        "category": "为老服务",
    }
    response = api.post("/api/v1/volunteer-activities/", payload, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft" and len(body["checkin_code"]) == services.CODE_LENGTH
    assert "publish" in body["actions"] and "finish" not in body["actions"]
    activity = Activity.objects.get(pk=body["id"])
    response = api.post(url(activity, "publish/"))
    assert response.status_code == 200 and response.json()["status"] == "published"
    assert api.post(url(activity, "finish/")).status_code == 409  # not started yet
    with time_machine.travel(starts + HOUR):
        response = api.post(url(activity, "finish/"))
        assert response.status_code == 200 and response.json()["status"] == "finished"


def test_create_bad_input_is_400_and_writes_nothing(api, org, actors):
    api.force_authenticate(actors.worker)
    starts = services.timezone.now() + 3 * DAY
    good = {
        "community": org.community.pk,
        "title": "为老理发",
        "place": "活动室",
        "starts_at": starts.isoformat(),
        "ends_at": (starts + 2 * HOUR).isoformat(),
        "signup_deadline": (starts - DAY).isoformat(),
        "capacity": 3,
    }
    bad = [
        ("title", {"title": ""}),
        ("capacity", {"capacity": 0}),
        ("capacity", {"capacity": "many"}),
        ("ends_at", {"ends_at": (starts - HOUR).isoformat()}),
        ("signup_deadline", {"signup_deadline": (starts + HOUR).isoformat()}),
        ("community", {"community": org.sibling_community.pk}),  # not the worker's
        ("kind", {"kind": "party"}),
        ("starts_at", {"starts_at": "tomorrow"}),
    ]
    for field, change in bad:
        response = api.post("/api/v1/volunteer-activities/", {**good, **change}, format="json")
        assert response.status_code == 400, (field, response.json())
        assert field in response.json()["fields"], (field, response.json())
    assert not Activity.objects.exists()


def test_who_may_not_create_or_run_activities(api, org, actors, resident, activity):
    starts = services.timezone.now() + 3 * DAY
    payload = {
        "community": org.community.pk,
        "title": "x",
        "place": "y",
        "starts_at": starts.isoformat(),
        "ends_at": (starts + HOUR).isoformat(),
        "signup_deadline": starts.isoformat(),
        "capacity": 1,
    }
    for user in (resident, actors.district_leader, actors.grid_leader):
        api.force_authenticate(user)
        response = api.post("/api/v1/volunteer-activities/", payload, format="json")
        assert response.status_code == 403, user
    api.force_authenticate(actors.other_worker)  # another community's worker: not in scope
    assert api.post(url(activity, "cancel/"), {"reason": "x"}, format="json").status_code == 404
    api.force_authenticate(actors.foreign_admin)
    assert api.post(url(activity, "cancel/"), {"reason": "x"}, format="json").status_code == 404
    api.force_authenticate(resident)
    assert api.post(url(activity, "cancel/"), {"reason": "x"}, format="json").status_code == 403
    assert Activity.objects.count() == 1
    assert Activity.objects.get().status == "published"


def test_activities_can_be_listed_soonest_first(api, org):
    soon = ActivityFactory(community=org.community)
    later = ActivityFactory(
        community=org.community,
        starts_at=soon.starts_at + 3 * DAY,
        ends_at=soon.ends_at + 3 * DAY,
        signup_deadline=soon.signup_deadline + 3 * DAY,
    )
    api.force_authenticate(verified_resident(org.community))
    ids = [
        a["id"]
        for a in api.get("/api/v1/volunteer-activities/?ordering=starts_at").json()["results"]
    ]
    assert ids.index(soon.pk) < ids.index(later.pk)
    ids = [a["id"] for a in api.get("/api/v1/volunteer-activities/").json()["results"]]
    assert ids.index(later.pk) < ids.index(soon.pk)  # newest first by default
    assert api.get("/api/v1/volunteer-activities/?ordering=title").status_code == 400
