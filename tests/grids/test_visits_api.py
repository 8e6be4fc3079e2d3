"""Visits: who may read and record them, bad input, and the list's query count."""

import pytest

from grids.models import VisitRecord
from tests.factories.grids_work import VisitRecordFactory

pytestmark = pytest.mark.django_db


def payload(target, /, **extra):
    return {"grid": target.pk, "visited_on": "2024-03-05", "summary": "走访独居老人"} | extra


@pytest.mark.parametrize("who", ["grid_leader", "worker", "street_admin", "superuser"])
def test_people_staff_record_a_visit_in_their_grid(login, actors, org, household, who):
    response = login(getattr(actors, who)).post(
        "/api/v1/visits/", payload(org.grid, household=household.pk), format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["grid"]["id"] == org.grid.pk
    assert body["visitor"]["id"] == getattr(actors, who).pk
    assert body["household"]["id"] == household.pk


def test_grid_leader_cannot_record_a_visit_in_a_sibling_grid(login, actors, org):
    response = login(actors.grid_leader).post(
        "/api/v1/visits/", payload(org.sibling_grid), format="json"
    )
    assert response.status_code in (403, 404)
    assert not VisitRecord.objects.exists()


def test_worker_of_another_community_cannot_record_here(login, actors, org):
    response = login(actors.other_worker).post("/api/v1/visits/", payload(org.grid), format="json")
    assert response.status_code == 404
    assert response.json()["fields"] == {"grid": [response.json()["detail"]]}
    assert not VisitRecord.objects.exists()


@pytest.mark.parametrize("who,status", [("district_leader", 403), ("resident", 403)])
def test_district_leader_and_resident_cannot_record(login, actors, org, who, status):
    response = login(getattr(actors, who)).post("/api/v1/visits/", payload(org.grid), format="json")
    assert response.status_code == status
    assert not VisitRecord.objects.exists()


def test_anonymous_cannot_read_visits(api):
    assert api.get("/api/v1/visits/").status_code in (401, 403)


@pytest.mark.parametrize(
    "who,visible",
    [
        ("grid_leader", {"一格"}),
        ("worker", {"一格", "二格"}),
        ("street_admin", {"一格", "二格", "三格"}),
        ("district_leader", {"一格", "二格", "三格"}),
        ("other_worker", {"三格"}),
        ("foreign_admin", set()),
    ],
)
def test_visit_list_is_scoped(login, actors, org, who, visible):
    for grid in (org.grid, org.sibling_grid, org.other_community_grid):
        VisitRecordFactory(grid=grid)
    response = login(getattr(actors, who)).get("/api/v1/visits/")
    assert response.status_code == 200
    assert {row["grid"]["name"] for row in response.json()["results"]} == visible


def test_resident_cannot_see_grid_work(login, actors, org):
    visit = VisitRecordFactory(grid=org.grid)
    client = login(actors.resident)
    assert client.get("/api/v1/visits/").status_code == 403
    assert client.get(f"/api/v1/visits/{visit.pk}/").status_code == 403
    assert client.get("/api/v1/visit-rounds/").status_code == 403


def test_out_of_scope_visit_is_404_like_a_missing_one(login, actors, org):
    visit = VisitRecordFactory(grid=org.grid)
    client = login(actors.other_worker)
    assert client.get(f"/api/v1/visits/{visit.pk}/").status_code == 404
    assert client.get("/api/v1/visits/999999/").status_code == 404
    assert (
        client.patch(f"/api/v1/visits/{visit.pk}/", {"summary": "改"}, format="json").status_code
        == 404
    )


def test_district_leader_reads_but_cannot_change_a_visit(login, actors, org):
    visit = VisitRecordFactory(grid=org.grid)
    client = login(actors.district_leader)
    assert client.get(f"/api/v1/visits/{visit.pk}/").status_code == 200
    assert (
        client.patch(f"/api/v1/visits/{visit.pk}/", {"summary": "改"}, format="json").status_code
        == 403
    )
    visit.refresh_from_db()
    assert visit.summary != "改"


@pytest.mark.parametrize(
    "change,field",
    [
        ({"visited_on": "2024-03-07"}, "visited_on"),  # tomorrow
        ({"visited_on": "not a date"}, "visited_on"),
        ({"summary": ""}, "summary"),
        ({"grid": 999999}, "grid"),
        ({"household": 999999}, "household"),
    ],
)
def test_bad_input_is_400_with_the_field_and_nothing_written(login, actors, org, change, field):
    response = login(actors.worker).post(
        "/api/v1/visits/", payload(org.grid, **change), format="json"
    )
    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert not VisitRecord.objects.exists()


def test_household_of_another_grid_is_refused(login, actors, org):
    from tests.factories.org import BuildingFactory
    from tests.factories.residents import HouseholdFactory

    elsewhere = HouseholdFactory(building=BuildingFactory(grid=org.sibling_grid))
    response = login(actors.worker).post(
        "/api/v1/visits/", payload(org.grid, household=elsewhere.pk), format="json"
    )
    assert response.status_code == 400
    assert "household" in response.json()["fields"]
    assert not VisitRecord.objects.exists()


def test_patch_updates_through_the_service(login, actors, org):
    visit = VisitRecordFactory(grid=org.grid)
    response = login(actors.grid_leader).patch(
        f"/api/v1/visits/{visit.pk}/", {"needs_found": "需要助餐"}, format="json"
    )
    assert response.status_code == 200
    visit.refresh_from_db()
    assert visit.needs_found == "需要助餐"


@pytest.mark.parametrize("rows", [1, 30])
def test_visit_list_query_count_is_constant(
    login, actors, org, household, django_assert_max_num_queries, rows
):
    VisitRecordFactory.create_batch(rows, grid=org.grid, household=household)
    client = login(actors.worker)
    client.get("/api/v1/visits/")  # warm the scope cache of this user object
    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/visits/?page_size=50")
    assert response.json()["count"] == rows
