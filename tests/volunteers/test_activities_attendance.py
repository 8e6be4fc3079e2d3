"""Check-in (by code or by a worker), check-out hours, approval and rejection."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from tests.factories.proposals import verified_resident
from tests.factories.volunteers import ActivityFactory
from volunteers.models import Attendance
from volunteers.services import activities as services

from .conftest import HOUR, needs_points, url

MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture
def signed_up(activity, resident):
    services.signup_create(actor=resident, activity=activity)
    return resident


def test_volunteer_checks_in_with_the_code_and_out_with_hours(api, activity, signed_up):
    api.force_authenticate(signed_up)
    with time_machine.travel(activity.starts_at - 10 * MINUTE, tick=False):
        assert "checkin" in api.get(url(activity)).json()["actions"]
        response = api.post(
            url(activity, "checkin/"), {"code": activity.checkin_code.lower()}, format="json"
        )
        assert response.status_code == 201, response.json()
        assert response.json()["method"] == "code"
        assert (
            api.post(
                url(activity, "checkin/"), {"code": activity.checkin_code}, format="json"
            ).status_code
            == 409
        )  # once
    # 2 h 10 min on site, of which 1 h 50 min inside the scheduled time: 1.5 h (half hours down).
    with time_machine.travel(activity.starts_at + 110 * MINUTE, tick=False):
        detail = api.get(url(activity)).json()
        assert detail["my_attendance_status"] == "checked_in" and "checkout" in detail["actions"]
        response = api.post(url(activity, "checkout/"), {}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["hours"] == "1.50" and response.json()["status"] == "checked_out"
    assert Attendance.objects.get().hours == Decimal("1.50")


@pytest.mark.parametrize(
    ("minutes_in", "minutes_out", "hours"),
    [
        (-60, 240, "2.0"),  # early and late: only the scheduled 2 h count
        (0, 29, "0.0"),
        (0, 30, "0.5"),
        (15, 89, "1.0"),
        (130, 150, "0.0"),  # after the end
    ],
)
def test_hours_are_clamped_to_the_schedule_and_rounded_down(minutes_in, minutes_out, hours):
    start = datetime.datetime(2026, 5, 1, 9, tzinfo=datetime.UTC)
    activity = ActivityFactory.build(starts_at=start, ends_at=start + 2 * HOUR)
    got = services.compute_hours(
        activity, start + minutes_in * MINUTE, start + minutes_out * MINUTE
    )
    assert got == Decimal(hours)


def test_wrong_code_is_400_on_the_code_field(api, activity, signed_up):
    api.force_authenticate(signed_up)
    with time_machine.travel(activity.starts_at, tick=False):
        for code in ("WRONG1", ""):
            response = api.post(url(activity, "checkin/"), {"code": code}, format="json")
            assert response.status_code == 400
            assert "code" in response.json()["fields"]
    assert not Attendance.objects.exists()


def test_only_confirmed_people_check_in(api, org, activity, resident, neighbour, outsider):
    api.force_authenticate(neighbour)  # did not sign up
    with time_machine.travel(activity.starts_at, tick=False):
        response = api.post(
            url(activity, "checkin/"), {"code": activity.checkin_code}, format="json"
        )
        assert response.status_code == 409
        api.force_authenticate(outsider)
        response = api.post(
            url(activity, "checkin/"), {"code": activity.checkin_code}, format="json"
        )
        assert response.status_code == 404
    assert not Attendance.objects.exists()


def test_checkin_only_on_the_spot(api, activity, signed_up):
    api.force_authenticate(signed_up)
    for moment in (
        activity.starts_at - services.CHECKIN_MARGIN - MINUTE,
        activity.ends_at + services.CHECKIN_MARGIN + MINUTE,
    ):
        with time_machine.travel(moment, tick=False):
            response = api.post(
                url(activity, "checkin/"), {"code": activity.checkin_code}, format="json"
            )
            assert response.status_code == 409
    assert not Attendance.objects.exists()


def test_worker_checks_someone_in_and_out(api, actors, activity, signed_up, neighbour):
    api.force_authenticate(actors.worker)
    with time_machine.travel(activity.starts_at, tick=False):
        response = api.post(url(activity, "checkin/"), {"user": signed_up.pk}, format="json")
        assert response.status_code == 201 and response.json()["method"] == "worker"
        response = api.post(url(activity, "checkin/"), {"user": neighbour.pk}, format="json")
        assert response.status_code == 409  # not signed up
        response = api.post(url(activity, "checkin/"), {"user": 999999}, format="json")
        assert response.status_code == 400 and "user" in response.json()["fields"]
    # The volunteer forgot to check out; the worker does it the next day: hours stop at the end.
    with time_machine.travel(activity.ends_at + 20 * HOUR, tick=False):
        response = api.post(url(activity, "checkout/"), {"user": signed_up.pk}, format="json")
    assert response.status_code == 200 and response.json()["hours"] == "2.00"
    response = api.get(url(activity, "attendances/"))
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["actions"] == ["approve", "reject"]


def test_roles_that_may_not_record_attendance(api, org, actors, activity, signed_up, resident):
    with time_machine.travel(activity.starts_at, tick=False):
        api.force_authenticate(actors.district_leader)
        response = api.post(url(activity, "checkin/"), {"user": signed_up.pk}, format="json")
        assert response.status_code in (400, 403)  # no resident of theirs to name
        api.force_authenticate(actors.grid_leader)
        response = api.post(url(activity, "checkin/"), {"user": signed_up.pk}, format="json")
        assert response.status_code == 404
        api.force_authenticate(actors.other_worker)
        response = api.post(url(activity, "checkin/"), {"user": signed_up.pk}, format="json")
        assert response.status_code == 404
    assert not Attendance.objects.exists()
    for user in (actors.district_leader, actors.grid_leader, actors.other_worker, resident):
        api.force_authenticate(user)
        assert api.get(url(activity, "attendances/")).status_code in (403, 404), user


def _checked_out(activity, user, worker):
    with time_machine.travel(activity.starts_at, tick=False):
        services.attendance_check_in(actor=worker, activity=activity, user=user)
    with time_machine.travel(activity.ends_at, tick=False):
        return services.attendance_check_out(actor=worker, activity=activity, user=user)


def test_reject_needs_a_reason(api, actors, activity, signed_up):
    attendance = _checked_out(activity, signed_up, actors.worker)
    api.force_authenticate(actors.worker)
    path = f"/api/v1/attendances/{attendance.pk}/reject/"
    response = api.post(path, {"reason": ""}, format="json")
    assert response.status_code == 400 and "reason" in response.json()["fields"]
    assert Attendance.objects.get().status == "checked_out"
    response = api.post(path, {"reason": "未在现场"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "rejected" and response.json()["review_note"] == "未在现场"
    assert api.post(path, {"reason": "again"}, format="json").status_code == 409


def test_who_may_not_approve(api, actors, activity, signed_up):
    attendance = _checked_out(activity, signed_up, actors.worker)
    path = f"/api/v1/attendances/{attendance.pk}/approve/"
    for user, code in (
        (signed_up, 404),
        (actors.district_leader, 404),
        (actors.grid_leader, 404),
        (actors.other_worker, 404),
    ):
        api.force_authenticate(user)
        assert api.post(path).status_code == code, user
    assert Attendance.objects.get().status == "checked_out"


def test_approval_before_checkout_is_a_conflict(api, actors, activity, signed_up):
    with time_machine.travel(activity.starts_at, tick=False):
        attendance = services.attendance_check_in(
            actor=actors.worker, activity=activity, user=signed_up
        )
    api.force_authenticate(actors.worker)
    assert api.post(f"/api/v1/attendances/{attendance.pk}/approve/").status_code == 409


@needs_points
def test_approving_twice_earns_once(api, org, actors, activity, signed_up):
    from volunteers.models import PointsEntry, PointsRule

    rule = PointsRule.objects.create(
        street=org.street, name="每小时10分", points_per_hour=10, is_default=True
    )
    activity.points_rule = rule
    activity.save(update_fields=["points_rule"])
    attendance = _checked_out(activity, signed_up, actors.worker)
    api.force_authenticate(actors.worker)
    path = f"/api/v1/attendances/{attendance.pk}/approve/"
    response = api.post(path)
    assert response.status_code == 200 and response.json()["status"] == "approved"
    assert response.json()["expected_points"] == 20 and response.json()["actions"] == []
    assert api.post(path).status_code == 409
    entries = PointsEntry.objects.filter(attendance=attendance)
    assert entries.count() == 1
    assert entries.get().kind == "earn" and entries.get().points == 20


@needs_points
def test_admin_bulk_approval_calls_the_service_per_row(client, org, actors, activity, neighbour):
    from volunteers.models import PointsEntry, PointsRule

    PointsRule.objects.create(
        street=org.street, name="每次5分", points_per_attendance=5, is_default=True
    )
    services.signup_create(actor=neighbour, activity=activity)
    done = _checked_out(activity, neighbour, actors.worker)
    late = verified_resident(org.community, real_name="迟到者")
    services.signup_create(actor=late, activity=activity)
    with time_machine.travel(activity.starts_at, tick=False):
        pending = services.attendance_check_in(actor=actors.worker, activity=activity, user=late)
    client.force_login(actors.worker)
    response = client.post(
        "/admin/volunteers/attendance/",
        {"action": "approve_selected", "_selected_action": [done.pk, pending.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert "已审核通过 1 条服务记录" in page and "签退后才能审核" in page
    assert PointsEntry.objects.get().attendance == done
    assert Attendance.objects.get(pk=pending.pk).status == "checked_in"
    client.post(
        "/admin/volunteers/attendance/",
        {"action": "approve_selected", "_selected_action": [done.pk]},
    )
    assert PointsEntry.objects.count() == 1
