"""Cancelling an activity and rejecting hours in the admin ask for the reason first (an
intermediate page for selected rows, or a button on one row's page) and call the services;
the refusals read well (no doubled 已)."""

import pytest
import time_machine

from core.exceptions import ApplicationError
from notifications.models import Notification
from tests.factories.volunteers_points import RewardFactory
from volunteers.models import Activity, Attendance, PointsAccount, SignUp
from volunteers.services import activities as services
from volunteers.services import points as points_services

from .points_fixtures import credit

ADMIN = "/admin/volunteers"


def _checked_out(activity, user, worker):
    services.signup_create(actor=user, activity=activity)
    with time_machine.travel(activity.starts_at, tick=False):
        services.attendance_check_in(actor=worker, activity=activity, user=user)
    with time_machine.travel(activity.ends_at, tick=False):
        return services.attendance_check_out(actor=worker, activity=activity, user=user)


# Activities ---------------------------------------------------------------------------------


def test_cancel_action_asks_for_a_reason_first(client, actors, activity, resident):
    services.signup_create(actor=resident, activity=activity)
    client.force_login(actors.worker)
    selected = {"action": "cancel_selected", "_selected_action": [activity.pk]}

    # The action shows the form for the selected rows; nothing changes yet.
    response = client.post(f"{ADMIN}/activity/", selected)
    assert response.status_code == 200
    assert "admin/volunteers/reason_form.html" in [t.name for t in response.templates]
    assert activity.title in response.content.decode()
    activity.refresh_from_db()
    assert activity.status == "published"

    # No reason: the form again with its error, nothing changed, nobody told.
    response = client.post(f"{ADMIN}/activity/", {**selected, "apply": "1", "reason": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    activity.refresh_from_db()
    assert activity.status == "published" and activity.cancelled_reason == ""
    assert not Notification.objects.exists()

    # With a reason: the service cancels, releases the sign-ups and tells the volunteers.
    response = client.post(f"{ADMIN}/activity/", {**selected, "apply": "1", "reason": "暴雨预警"})
    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.status, activity.cancelled_reason) == ("cancelled", "暴雨预警")
    assert SignUp.objects.get().status == "cancelled"
    notice = Notification.objects.get(recipient=resident)
    assert notice.kind == "volunteers.activity_cancelled" and notice.body == "暴雨预警"
    page = client.get(f"{ADMIN}/activity/").content.decode()
    assert "已取消 1 个活动" in page


def test_cancel_button_on_the_activity_page(client, actors, activity):
    client.force_login(actors.worker)
    cancel = f"{ADMIN}/activity/{activity.pk}/cancel/"
    assert cancel in client.get(f"{ADMIN}/activity/{activity.pk}/change/").content.decode()
    assert client.get(cancel).status_code == 200

    response = client.post(cancel, {"reason": ""})
    assert response.status_code == 200 and response.context["form"].errors["reason"]
    activity.refresh_from_db()
    assert activity.status == "published"

    response = client.post(cancel, {"reason": "场地临时征用"})
    assert response.status_code == 302
    assert response["Location"] == f"{ADMIN}/activity/{activity.pk}/change/"
    activity.refresh_from_db()
    assert (activity.status, activity.cancelled_reason) == ("cancelled", "场地临时征用")

    # Cancelled: no button, and a second try is refused on the form, worded once.
    assert cancel not in client.get(f"{ADMIN}/activity/{activity.pk}/change/").content.decode()
    response = client.post(cancel, {"reason": "再取消一次"})
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert errors == ["活动当前为“已取消”，不能取消。"]
    activity.refresh_from_db()
    assert activity.cancelled_reason == "场地临时征用"


def test_cancel_is_refused_out_of_scope(client, actors, activity):
    for who in ("other_worker", "foreign_admin"):
        client.force_login(getattr(actors, who))
        cancel = f"{ADMIN}/activity/{activity.pk}/cancel/"
        assert client.get(cancel).status_code == 404
        assert client.post(cancel, {"reason": "越权"}).status_code == 404
        client.post(
            f"{ADMIN}/activity/",
            {
                "action": "cancel_selected",
                "_selected_action": [activity.pk],
                "apply": "1",
                "reason": "越权",
            },
        )
    client.force_login(actors.grid_leader)
    assert client.get(f"{ADMIN}/activity/{activity.pk}/cancel/").status_code in (302, 403, 404)
    activity.refresh_from_db()
    assert activity.status == "published"


# Attendance ---------------------------------------------------------------------------------


def test_reject_action_asks_for_a_reason_first(client, actors, activity, resident, neighbour):
    first = _checked_out(activity, resident, actors.worker)
    second = _checked_out(activity, neighbour, actors.worker)
    client.force_login(actors.worker)
    selected = {"action": "reject_selected", "_selected_action": [first.pk, second.pk]}

    response = client.post(f"{ADMIN}/attendance/", selected)
    assert response.status_code == 200 and "reason" in response.context["form"].fields
    response = client.post(f"{ADMIN}/attendance/", {**selected, "apply": "1", "reason": ""})
    assert response.status_code == 200 and response.context["form"].errors["reason"]
    assert set(Attendance.objects.values_list("status", flat=True)) == {"checked_out"}

    response = client.post(
        f"{ADMIN}/attendance/", {**selected, "apply": "1", "reason": "未在现场"}, follow=True
    )
    assert "已驳回 2 条服务记录" in response.content.decode()
    for attendance in (first, second):
        attendance.refresh_from_db()
        assert (attendance.status, attendance.review_note) == ("rejected", "未在现场")
        assert attendance.reviewed_by == actors.worker
    assert not PointsAccount.objects.exists()  # no points for rejected hours


def test_reject_button_on_the_attendance_page(client, actors, activity, resident):
    attendance = _checked_out(activity, resident, actors.worker)
    client.force_login(actors.worker)
    reject = f"{ADMIN}/attendance/{attendance.pk}/reject/"
    assert reject in client.get(f"{ADMIN}/attendance/{attendance.pk}/change/").content.decode()

    response = client.post(reject, {"reason": ""})
    assert response.status_code == 200 and response.context["form"].errors["reason"]
    attendance.refresh_from_db()
    assert attendance.status == "checked_out"

    response = client.post(reject, {"reason": "提前离开"})
    assert response.status_code == 302
    attendance.refresh_from_db()
    assert (attendance.status, attendance.review_note) == ("rejected", "提前离开")

    # Rejected already: no button; a second rejection is refused, worded once.
    assert reject not in client.get(f"{ADMIN}/attendance/{attendance.pk}/change/").content.decode()
    response = client.post(reject, {"reason": "再驳回"})
    assert response.context["form"].non_field_errors() == ["该记录状态为“未通过”，不能驳回。"]


def test_reject_is_refused_out_of_scope(client, actors, activity, resident):
    attendance = _checked_out(activity, resident, actors.worker)
    client.force_login(actors.other_worker)
    reject = f"{ADMIN}/attendance/{attendance.pk}/reject/"
    assert client.get(reject).status_code == 404
    assert client.post(reject, {"reason": "越权"}).status_code == 404
    client.post(
        f"{ADMIN}/attendance/",
        {
            "action": "reject_selected",
            "_selected_action": [attendance.pk],
            "apply": "1",
            "reason": "越权",
        },
    )
    attendance.refresh_from_db()
    assert attendance.status == "checked_out"


# Messages: a status display that already says 已 is not prefixed with another -----------------


def test_refusals_name_the_status_once(org, actors, activity, resident):
    services.activity_cancel(actor=actors.worker, activity=activity, reason="取消")
    with pytest.raises(ApplicationError) as error:
        services.activity_update(actor=actors.worker, activity=activity, title="新名字")
    assert error.value.message == "活动状态为“已取消”，不能修改。"

    credit(actors.worker, resident, org.community, 100)
    reward = RewardFactory(community=org.community, points_cost=10, stock=5)
    handed = points_services.reward_redeem(actor=resident, reward=reward)
    points_services.redemption_hand_over(actor=actors.worker, redemption=handed)
    with pytest.raises(ApplicationError) as error:
        points_services.redemption_cancel(actor=resident, redemption=handed)
    assert error.value.message == "兑换单状态为“已领取”，不能取消。"
    with pytest.raises(ApplicationError) as error:
        points_services.redemption_hand_over(actor=actors.worker, redemption=handed)
    assert error.value.message == "兑换单状态为“已领取”，不能领取。"
    for message in (Activity.Status.CANCELLED.label, Attendance.Status.APPROVED.label):
        assert str(message).startswith("已")  # why the wording had to change
