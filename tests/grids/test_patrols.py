"""Weekly patrol 周周巡 and clearance 周周清: problems, photos and their state moves."""

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from grids.models import PatrolProblem
from tests.factories.grids_work import PatrolProblemFactory, PatrolRecordFactory

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def test_report_a_problem_with_a_photo(login, actors, org):
    patrol = PatrolRecordFactory(grid=org.grid)
    photo = SimpleUploadedFile("stack.png", PNG, content_type="image/png")
    response = login(actors.grid_leader).post(
        "/api/v1/patrol-problems/",
        {"patrol": patrol.pk, "description": "楼道堆放杂物", "photo": photo},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    problem = PatrolProblem.objects.get()
    assert problem.grid_id == org.grid.pk
    assert problem.status == "open"
    assert problem.photo.name.endswith(".png")


@pytest.mark.parametrize(
    "name,content",
    [("report.pdf", b"%PDF-1.4 ..."), ("fake.png", b"%PDF-1.4 pretending")],
)
def test_a_non_image_photo_is_refused(login, actors, org, name, content):
    patrol = PatrolRecordFactory(grid=org.grid)
    response = login(actors.worker).post(
        "/api/v1/patrol-problems/",
        {"patrol": patrol.pk, "description": "x", "photo": SimpleUploadedFile(name, content)},
        format="multipart",
    )
    assert response.status_code == 400
    assert "photo" in response.json()["fields"]
    assert not PatrolProblem.objects.exists()


def test_clear_in_the_same_week_counts_as_cleared_within_week(login, actors, org):
    problem = PatrolProblemFactory(
        patrol=PatrolRecordFactory(grid=org.grid, patrolled_on="2024-03-04")
    )
    response = login(actors.grid_leader).post(
        f"/api/v1/patrol-problems/{problem.pk}/clear/", {"note": "已清理"}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "cleared"
    assert body["cleared_within_week"] is True
    assert body["cleared_by"] == actors.grid_leader.pk


def test_clear_in_a_later_week_is_not_within_week(login, actors, org):
    problem = PatrolProblemFactory(
        patrol=PatrolRecordFactory(grid=org.grid, patrolled_on="2024-03-06")
    )
    with time_machine.travel("2024-03-11 08:00 +0800", tick=False):
        response = login(actors.worker).post(f"/api/v1/patrol-problems/{problem.pk}/clear/")
    assert response.status_code == 200
    assert response.json()["cleared_within_week"] is False


def test_clearing_twice_is_a_conflict(login, actors, org):
    problem = PatrolProblemFactory(patrol=PatrolRecordFactory(grid=org.grid))
    client = login(actors.worker)
    assert client.post(f"/api/v1/patrol-problems/{problem.pk}/clear/").status_code == 200
    second = client.post(f"/api/v1/patrol-problems/{problem.pk}/clear/")
    assert second.status_code == 409
    assert (
        client.post(
            f"/api/v1/patrol-problems/{problem.pk}/route/", {"department": "城管"}, format="json"
        ).status_code
        == 409
    )


def test_route_requires_a_department(login, actors, org):
    problem = PatrolProblemFactory(patrol=PatrolRecordFactory(grid=org.grid))
    client = login(actors.worker)
    for body in ({}, {"department": "   "}):
        response = client.post(f"/api/v1/patrol-problems/{problem.pk}/route/", body, format="json")
        assert response.status_code == 400
        assert "department" in response.json()["fields"]
    problem.refresh_from_db()
    assert problem.status == "open"
    response = client.post(
        f"/api/v1/patrol-problems/{problem.pk}/route/",
        {"department": "城管中队", "note": "占道经营"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "routed"
    assert response.json()["department"] == "城管中队"
    assert client.post(f"/api/v1/patrol-problems/{problem.pk}/clear/").status_code == 409


@pytest.mark.parametrize(
    "who,status",
    [("district_leader", 403), ("resident", 403), ("other_worker", 404), ("foreign_admin", 404)],
)
def test_who_may_not_clear(login, actors, org, who, status):
    problem = PatrolProblemFactory(patrol=PatrolRecordFactory(grid=org.grid))
    response = login(getattr(actors, who)).post(f"/api/v1/patrol-problems/{problem.pk}/clear/")
    assert response.status_code == status
    problem.refresh_from_db()
    assert problem.status == "open"


def test_grid_leader_cannot_clear_in_a_sibling_grid(login, actors, org):
    problem = PatrolProblemFactory(patrol=PatrolRecordFactory(grid=org.sibling_grid))
    response = login(actors.grid_leader).post(f"/api/v1/patrol-problems/{problem.pk}/clear/")
    assert response.status_code == 404


def test_record_a_patrol_and_refuse_bad_dates(login, actors, org):
    client = login(actors.grid_leader)
    ok = client.post(
        "/api/v1/patrols/",
        {"grid": org.grid.pk, "patrolled_on": "2024-03-06", "route": "北门—菜场"},
        format="json",
    )
    assert ok.status_code == 201
    assert ok.json()["patroller"]["id"] == actors.grid_leader.pk
    bad = client.post(
        "/api/v1/patrols/", {"grid": org.grid.pk, "patrolled_on": "2024-03-08"}, format="json"
    )
    assert bad.status_code == 400 and "patrolled_on" in bad.json()["fields"]


@pytest.mark.parametrize("rows", [1, 30])
def test_patrol_and_problem_lists_query_counts(
    login, actors, org, django_assert_max_num_queries, rows
):
    for _ in range(rows):
        PatrolProblemFactory(patrol=PatrolRecordFactory(grid=org.grid))
    client = login(actors.worker)
    client.get("/api/v1/patrols/")
    with django_assert_max_num_queries(6):
        patrols = client.get("/api/v1/patrols/", {"page_size": 50})
    with django_assert_max_num_queries(6):
        problems = client.get("/api/v1/patrol-problems/", {"page_size": 50})
    assert patrols.json()["count"] == rows
    assert patrols.json()["results"][0]["open_problem_count"] == 1
    assert problems.json()["count"] == rows
