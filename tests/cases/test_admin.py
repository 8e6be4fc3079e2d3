"""Grid events in the admin: the inbox (due soonest first, overdue flagged, department staff
see only theirs), filing, the step buttons and actions calling the services (reason forms
where needed), and the street's departments, categories and staff kept by its admins."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases import services
from cases.models import Department, DepartmentStaff, EventCategory, GridEvent
from tests.factories import UserFactory
from tests.factories.cases import PNG, advance, file_event

pytestmark = pytest.mark.django_db
CHANGELIST = "admin:cases_gridevent_changelist"


@pytest.fixture
def admin_as(client):
    def _as(user):
        client.force_login(user)
        return client

    return _as


def _step(event, step):
    return reverse("admin:cases_gridevent_step", args=[event.pk, step])


def test_inbox_due_soonest_first_with_overdue_flag(admin_as, org, actors, place, time_machine):
    time_machine.move_to("2026-11-23 09:00 +0800", tick=False)
    weekly = file_event(actors.worker, org.grid, place.weekly)
    urgent = file_event(actors.worker, org.grid, place.urgent)
    for event in (weekly, urgent):
        services.grid_event_dispatch(actor=actors.worker, event=event)
    time_machine.move_to("2026-11-23 14:00 +0800", tick=False)
    response = admin_as(place.cg_staff).get(reverse(CHANGELIST))
    assert response.status_code == 200
    rows = list(response.context["cl"].result_list)
    assert rows == [urgent, weekly]
    assert "已超时" in response.content.decode()
    overdue = admin_as(place.cg_staff).get(reverse(CHANGELIST), {"overdue": "yes"})
    assert list(overdue.context["cl"].result_list) == [urgent]


def test_department_staff_see_only_theirs(admin_as, org, actors, place, event):
    services.grid_event_dispatch(actor=actors.worker, event=event)
    other = file_event(actors.worker, org.grid, place.weekly)
    services.grid_event_dispatch(actor=actors.worker, event=other, department=place.wuye)
    client = admin_as(place.wy_staff)
    assert list(client.get(reverse(CHANGELIST)).context["cl"].result_list) == [other]
    change = reverse("admin:cases_gridevent_change", args=[event.pk])
    assert client.get(change).status_code in (302, 404)
    assert client.post(_step(event, "accept")).status_code == 404


@pytest.mark.parametrize("who", ["worker", "grid_leader", "street_admin"])
def test_grid_side_opens_the_lists(admin_as, actors, place, event, who):
    client = admin_as(getattr(actors, who))
    for model in ("gridevent", "department", "eventcategory", "departmentstaff"):
        assert client.get(reverse(f"admin:cases_{model}_changelist")).status_code == 200, model


def test_district_leader_has_no_event_list(admin_as, actors):
    assert admin_as(actors.district_leader).get(reverse(CHANGELIST)).status_code == 403


def test_filing_in_the_admin(admin_as, org, actors, place):
    client = admin_as(actors.grid_leader)
    response = client.post(
        reverse("admin:cases_gridevent_add"),
        {
            "grid": org.grid.pk,
            "building": place.building.pk,
            "category": place.weekly.pk,
            "description": "绿化带垃圾堆积",
            "location": "",
            "photo": SimpleUploadedFile("a.png", PNG, content_type="image/png"),
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = GridEvent.objects.get()
    assert event.filed_by == actors.grid_leader and event.photos.count() == 1


def test_filing_bad_input_writes_nothing(admin_as, org, actors, place):
    client = admin_as(actors.grid_leader)
    response = client.post(
        reverse("admin:cases_gridevent_add"),
        {"grid": org.grid.pk, "category": place.weekly.pk, "description": " "},
    )
    assert response.status_code == 200
    assert not GridEvent.objects.exists()


def test_the_buttons_walk_an_event(admin_as, org, actors, place, event):
    client = admin_as(actors.worker)
    page = client.get(reverse("admin:cases_gridevent_change", args=[event.pk]))
    assert _step(event, "dispatch") in page.content.decode()
    response = client.post(_step(event, "dispatch"), {"department": place.chengguan.pk})
    assert response.status_code == 302
    client = admin_as(place.cg_staff)
    assert client.post(_step(event, "accept")).status_code == 302
    # Handling needs the note and a photo: the form again with errors, nothing changed.
    response = client.post(_step(event, "handle"), {"note": "已处置"})
    assert response.status_code == 200 and response.context["form"].errors
    assert GridEvent.objects.get(pk=event.pk).state == "accepted"
    response = client.post(
        _step(event, "handle"),
        {"note": "已处置", "photo": SimpleUploadedFile("b.png", PNG, content_type="image/png")},
    )
    assert response.status_code == 302
    client = admin_as(actors.grid_leader)
    response = client.post(_step(event, "check-fail"), {"reason": ""})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    assert client.post(_step(event, "check-fail"), {"reason": "仍有问题"}).status_code == 302
    event.refresh_from_db()
    assert event.state == "accepted" and event.reopened_count == 1


def test_a_step_not_open_to_the_user_is_refused(admin_as, actors, place, event):
    assert admin_as(actors.worker).post(_step(event, "accept")).status_code == 403


def test_reason_action_over_selected_rows(admin_as, org, actors, place):
    events = [file_event(actors.worker, org.grid, place.weekly) for _ in range(2)]
    client = admin_as(actors.worker)
    data = {"action": "cancel_selected", "_selected_action": [e.pk for e in events]}
    response = client.post(reverse(CHANGELIST), data)
    assert response.status_code == 200 and "form" in response.context
    assert not GridEvent.objects.filter(state="cancelled").exists()
    response = client.post(reverse(CHANGELIST), {**data, "apply": "1", "reason": "重复上报"})
    assert response.status_code == 302
    assert GridEvent.objects.filter(state="cancelled").count() == 2


def test_plain_actions(admin_as, org, actors, place):
    events = [file_event(actors.worker, org.grid, place.weekly) for _ in range(2)]
    data = {"_selected_action": [e.pk for e in events]}
    admin_as(actors.worker).post(reverse(CHANGELIST), {**data, "action": "dispatch_selected"})
    admin_as(place.cg_staff).post(reverse(CHANGELIST), {**data, "action": "accept_selected"})
    assert GridEvent.objects.filter(state="accepted").count() == 2
    # A refused row is reported, not raised: the worker cannot accept.
    response = admin_as(actors.worker).post(
        reverse(CHANGELIST), {**data, "action": "accept_selected"}, follow=True
    )
    assert response.status_code == 200


def test_street_admin_keeps_departments_and_staff(admin_as, org, actors, place):
    client = admin_as(actors.street_admin)
    response = client.post(
        reverse("admin:cases_department_add"),
        {
            "street": org.street.pk,
            "kind": "utility",
            "name": "区燃气公司",
            "categories": [place.urgent.pk],
            "communities": [org.community.pk],
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    gas = Department.objects.get(name="区燃气公司")
    assert list(gas.categories.all()) == [place.urgent]
    user = UserFactory(username="gas1")
    response = client.post(
        reverse("admin:cases_departmentstaff_add"),
        {"department": gas.pk, "user": user.pk, "is_active": "on"},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    user.refresh_from_db()
    assert user.is_staff and DepartmentStaff.objects.filter(user=user, department=gas).exists()
    response = client.post(
        reverse("admin:cases_eventcategory_add"),
        {
            "street": org.street.pk,
            "name": "燃气泄漏",
            "handling_hours": 2,
            "default_department": gas.pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert EventCategory.objects.get(name="燃气泄漏").handling_hours == 2


@pytest.mark.parametrize("who", ["worker", "grid_leader"])
def test_workers_do_not_keep_departments(admin_as, org, actors, place, who):
    client = admin_as(getattr(actors, who))
    response = client.post(
        reverse("admin:cases_department_add"),
        {"street": org.street.pk, "kind": "other", "name": "某部门", "is_active": "on"},
    )
    assert response.status_code == 403
    assert not Department.objects.filter(name="某部门").exists()


def test_foreign_street_admin_cannot_touch_our_department(admin_as, org, actors, place):
    client = admin_as(actors.foreign_admin)
    url = reverse("admin:cases_department_change", args=[place.chengguan.pk])
    assert client.get(url).status_code in (302, 404)


def test_closed_event_page_has_no_buttons(admin_as, actors, place, event):
    advance(event, "closed", grid_actor=actors.worker, department_actor=place.cg_staff)
    page = admin_as(actors.worker).get(reverse("admin:cases_gridevent_change", args=[event.pk]))
    assert page.status_code == 200
    assert "/step/" not in page.content.decode()
