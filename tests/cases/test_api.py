"""The grid event API: filing (multipart with photos), the inbox per role, the detail with its
timeline, every verb, the export, the weekly figures, who is refused, and bad input."""

import io

import pytest
from openpyxl import load_workbook

from cases import services
from cases.models import EventPhoto, GridEvent
from tests.factories.cases import advance, file_event, photo

pytestmark = pytest.mark.django_db
BASE = "/api/v1/grid-events/"


def _as(api, user):
    api.force_authenticate(user)
    return api


def test_file_with_photos_multipart(api, org, actors, place):
    response = _as(api, actors.grid_leader).post(
        BASE,
        {
            "category": place.weekly.pk,
            "grid": org.grid.pk,
            "building": place.building.pk,
            "description": "楼道堆放杂物",
            "photos": [photo("a.png"), photo("b.png")],
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["state"] == "filed" and len(body["photos"]) == 2
    assert body["actions"] == ["dispatch", "cancel"]
    assert [s["verb"] for s in body["timeline"]] == ["file"]


@pytest.mark.parametrize(
    "data, field",
    [
        ({"description": ""}, "description"),
        ({"category": 999999}, "category"),
        ({"category": "foreign"}, "category"),
        ({"grid": "other"}, "grid"),
        ({"building": "other_grid_building"}, "building"),
        ({"photos": "bad"}, "photos"),
    ],
)
def test_file_bad_input_is_400_with_the_field(api, org, actors, place, data, field):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import BuildingFactory

    payload = {"category": place.weekly.pk, "grid": org.grid.pk, "description": "有问题"}
    payload.update(data)
    if data.get("category") == "foreign":
        payload["category"] = place.foreign_category.pk
    if data.get("grid") == "other":
        payload["grid"] = org.other_community_grid.pk
    if data.get("building") == "other_grid_building":
        payload["building"] = BuildingFactory(grid=org.other_community_grid).pk
    if data.get("photos") == "bad":
        payload["photos"] = [SimpleUploadedFile("x.png", b"plain text")]
    response = _as(api, actors.grid_leader).post(BASE, payload, format="multipart")
    assert response.status_code == 400, response.json()
    assert field in response.json()["fields"]
    assert not GridEvent.objects.exists() and not EventPhoto.objects.exists()


@pytest.mark.parametrize("who", ["district_leader", "resident", "street_admin"])
def test_filing_refused(api, org, actors, place, who):
    response = _as(api, getattr(actors, who)).post(
        BASE, {"category": place.weekly.pk, "grid": org.grid.pk, "description": "x"}
    )
    assert response.status_code in (400, 403)
    assert not GridEvent.objects.exists()


def test_filing_refused_to_department_staff(api, org, place):
    response = _as(api, place.cg_staff).post(
        BASE, {"category": place.weekly.pk, "grid": org.grid.pk, "description": "x"}
    )
    assert response.status_code == 403


def test_anonymous_is_refused(api):
    assert api.get(BASE).status_code in (401, 403)


def _ids(api, user, **params):
    response = _as(api, user).get(BASE, params)
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


def test_inbox_per_role(api, org, actors, place):
    mine = file_event(actors.grid_leader, org.grid, place.weekly)
    sibling = file_event(actors.worker, org.sibling_grid, place.weekly)
    other = file_event(actors.other_worker, org.other_community_grid, place.weekly)
    services.grid_event_dispatch(actor=actors.worker, event=mine)
    services.grid_event_dispatch(actor=actors.worker, event=sibling, department=place.wuye)
    assert set(_ids(api, actors.grid_leader)) == {mine.pk}
    assert set(_ids(api, actors.worker)) == {mine.pk, sibling.pk}
    assert set(_ids(api, actors.street_admin)) == {mine.pk, sibling.pk, other.pk}
    assert _ids(api, place.cg_staff) == [mine.pk]
    assert _ids(api, place.wy_staff) == [sibling.pk]
    # District leaders see aggregates (the dashboards), not the events.
    assert _as(api, actors.district_leader).get(BASE).status_code == 403
    assert _ids(api, actors.foreign_admin) == []


def test_department_inbox_is_due_soonest_first_and_flags_overdue(
    api, org, actors, place, time_machine
):
    time_machine.move_to("2026-11-23 09:00 +0800", tick=False)
    weekly = file_event(actors.worker, org.grid, place.weekly)
    urgent = file_event(actors.worker, org.grid, place.urgent)
    services.grid_event_dispatch(actor=actors.worker, event=weekly)
    services.grid_event_dispatch(actor=actors.worker, event=urgent)
    time_machine.move_to("2026-11-23 14:00 +0800", tick=False)
    rows = _as(api, place.cg_staff).get(BASE).json()["results"]
    assert [r["id"] for r in rows] == [urgent.pk, weekly.pk]
    assert [r["overdue"] for r in rows] == [True, False]
    assert _ids(api, place.cg_staff, overdue="true") == [urgent.pk]
    assert _ids(api, place.cg_staff, state="dispatched") == [urgent.pk, weekly.pk]


def test_bad_filter_is_400(api, actors):
    response = _as(api, actors.worker).get(BASE, {"state": "nonsense"})
    assert response.status_code == 400
    assert "state" in response.json()["fields"]


def test_other_departments_event_is_404(api, org, actors, place, event):
    services.grid_event_dispatch(actor=actors.worker, event=event)
    url = f"{BASE}{event.pk}/"
    assert _as(api, place.cg_staff).get(url).status_code == 200
    assert _as(api, place.wy_staff).get(url).status_code == 404
    assert _as(api, place.wy_staff).post(url + "accept/").status_code == 404
    event.refresh_from_db()
    assert event.state == "dispatched"


@pytest.mark.parametrize("who", ["other_worker", "foreign_admin"])
def test_out_of_scope_is_404(api, actors, event, who):
    assert _as(api, getattr(actors, who)).get(f"{BASE}{event.pk}/").status_code == 404


@pytest.mark.parametrize("who", ["district_leader", "resident"])
def test_no_case_role_is_403(api, actors, event, who):
    assert _as(api, getattr(actors, who)).get(f"{BASE}{event.pk}/").status_code == 403


def test_the_whole_walk_through_the_verbs(api, org, actors, place, event):
    url = f"{BASE}{event.pk}/"
    response = _as(api, actors.worker).post(url + "dispatch/", {"department": place.chengguan.pk})
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "dispatched" and response.json()["due_at"]
    detail = _as(api, place.cg_staff).get(url).json()
    assert detail["actions"] == ["accept", "return"]
    assert _as(api, place.cg_staff).post(url + "accept/").json()["state"] == "accepted"
    response = _as(api, place.cg_staff).post(
        url + "handle/", {"note": "已清理", "photos": [photo()]}, format="multipart"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "handled"
    response = _as(api, actors.grid_leader).post(url + "check-fail/", {"reason": "仍有杂物"})
    assert response.json()["state"] == "accepted" and response.json()["reopened_count"] == 1
    _as(api, place.cg_staff).post(
        url + "handle/", {"note": "再次清理", "photos": [photo()]}, format="multipart"
    )
    response = _as(api, actors.grid_leader).post(url + "check-pass/", {"note": "已核实"})
    body = response.json()
    assert body["state"] == "closed" and body["actions"] == []
    verbs = [s["verb"] for s in body["timeline"]]
    assert verbs == ["file", "dispatch", "accept", "handle", "check_fail", "handle", "check_pass"]


def test_return_and_cancel_through_the_api(api, actors, place, event):
    url = f"{BASE}{event.pk}/"
    _as(api, actors.worker).post(url + "dispatch/")
    response = _as(api, place.cg_staff).post(url + "return/", {"reason": ""})
    assert response.status_code == 400 and "reason" in response.json()["fields"]
    response = _as(api, place.cg_staff).post(url + "return/", {"reason": "不属本部门"})
    assert response.json()["state"] == "returned"
    assert _as(api, actors.worker).get(url).json()["actions"] == ["dispatch", "cancel"]
    response = _as(api, actors.worker).post(url + "cancel/", {"reason": "已解决"})
    assert response.json()["state"] == "cancelled"


def test_conflicting_move_is_409(api, actors, place, event):
    url = f"{BASE}{event.pk}/"
    response = _as(api, actors.worker).post(url + "check-pass/")
    assert response.status_code == 409


@pytest.mark.parametrize("who", ["worker", "grid_leader", "street_admin"])
def test_department_verbs_refused_to_the_grid_side(api, actors, place, event, who):
    _as(api, actors.worker).post(f"{BASE}{event.pk}/dispatch/")
    response = _as(api, getattr(actors, who)).post(f"{BASE}{event.pk}/accept/")
    assert response.status_code == 403


def test_grid_verbs_refused_to_department_staff(api, actors, place, event):
    _as(api, actors.worker).post(f"{BASE}{event.pk}/dispatch/")
    response = _as(api, place.cg_staff).post(f"{BASE}{event.pk}/cancel/", {"reason": "x"})
    assert response.status_code == 403


def test_handle_without_photos_is_400(api, actors, place, event):
    advance(event, "accepted", grid_actor=actors.worker, department_actor=place.cg_staff)
    response = _as(api, place.cg_staff).post(
        f"{BASE}{event.pk}/handle/", {"note": "好了"}, format="multipart"
    )
    assert response.status_code == 400 and "photos" in response.json()["fields"]
    event.refresh_from_db()
    assert event.state == "accepted"


def test_dispatch_to_another_streets_department_is_400(api, actors, place, event):
    response = _as(api, actors.worker).post(
        f"{BASE}{event.pk}/dispatch/", {"department": place.foreign_dept.pk}
    )
    assert response.status_code == 400 and "department" in response.json()["fields"]


def test_export(api, org, actors, place):
    for _ in range(3):
        file_event(actors.worker, org.grid, place.weekly)
    response = _as(api, actors.worker).get(BASE + "export/")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 4
    assert sheet.cell(row=2, column=4).value == place.weekly.name


def test_export_refused_to_a_resident(api, actors):
    assert _as(api, actors.resident).get(BASE + "export/").status_code == 403


def test_weekly_figures(api, org, actors, place, time_machine):
    time_machine.move_to("2026-11-23 09:00 +0800", tick=False)
    closed = file_event(actors.worker, org.grid, place.weekly)
    advance(closed, "closed", grid_actor=actors.worker, department_actor=place.cg_staff)
    returned = file_event(actors.worker, org.grid, place.weekly)
    advance(returned, "returned", grid_actor=actors.worker, department_actor=place.cg_staff)
    file_event(actors.worker, org.sibling_grid, place.weekly)
    rows = _as(api, actors.worker).get(BASE + "weekly/").json()["results"]
    by_grid = {r["grid"]: r for r in rows}
    mine = by_grid[org.grid.pk]
    assert mine["week"] == "2026-W48" and mine["week_start"] == "2026-11-23"
    assert (mine["found"], mine["cleared_within_week"], mine["handled_on_time"]) == (2, 1, 1)
    assert (mine["returned"], mine["reopened"]) == (1, 0)
    assert by_grid[org.sibling_grid.pk]["found"] == 1
    # A grid leader sees their own grid's figures only.
    rows = _as(api, actors.grid_leader).get(BASE + "weekly/").json()["results"]
    assert [r["grid"] for r in rows] == [org.grid.pk]


def test_filing_options(api, org, actors, place):
    body = _as(api, actors.grid_leader).get(BASE + "options/").json()
    assert [g["id"] for g in body["grids"]] == [org.grid.pk]
    assert [b["id"] for b in body["buildings"]] == [place.building.pk]
    assert {c["name"] for c in body["categories"]} == {"紧急隐患", "占道经营"}


def test_departments_and_categories_lists(api, org, actors, place):
    rows = _as(api, actors.worker).get("/api/v1/departments/").json()["results"]
    assert {r["name"] for r in rows} == {"街道城管中队", "物业公司"}
    cg = next(r for r in rows if r["name"] == "街道城管中队")
    assert cg["communities"] == [org.community.pk]
    rows = _as(api, place.cg_staff).get("/api/v1/event-categories/").json()["results"]
    assert {r["name"] for r in rows} == {"紧急隐患", "占道经营"}
