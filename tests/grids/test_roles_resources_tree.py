"""Grid roles, resources, places, the other three of the four ones, and the org tree."""

import pytest

from grids.models import DiaryEntry, GridResource, GridRole, Pairing, PracticalDeed
from tests.factories.grids_work import (
    DiaryEntryFactory,
    GridResourceFactory,
    GridRoleFactory,
    PairingFactory,
)
from tests.factories.org import BuildingFactory

pytestmark = pytest.mark.django_db


# Grid roles ------------------------------------------------------------------------------------


def test_worker_appoints_a_building_leader_and_ends_the_term(login, actors, org, building):
    client = login(actors.worker)
    response = client.post(
        "/api/v1/grid-roles/",
        {
            "grid": org.grid.pk,
            "kind": "building_leader",
            "building": building.pk,
            "name": "王阿姨",
            "phone": "13912345678",
            "starts_on": "2024-01-01",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    role_id = response.json()["id"]
    ended = client.post(f"/api/v1/grid-roles/{role_id}/end-term/", {}, format="json")
    assert ended.status_code == 200
    assert ended.json()["ends_on"] == "2024-03-06"


def test_second_building_leader_in_same_term_is_a_conflict(login, actors, org, building):
    GridRoleFactory(grid=org.grid, building=building, kind="building_leader", name="王阿姨")
    response = login(actors.worker).post(
        "/api/v1/grid-roles/",
        {
            "grid": org.grid.pk,
            "kind": "building_leader",
            "building": building.pk,
            "name": "李伯伯",
        },
        format="json",
    )
    assert response.status_code == 409
    assert "kind" in response.json()["fields"]
    assert GridRole.objects.count() == 1


@pytest.mark.parametrize(
    "body,field",
    [
        ({"kind": "building_leader"}, "building"),  # building role without a building
        ({"kind": "liaison", "phone": "12345"}, "phone"),
        ({"kind": "nonsense"}, "kind"),
        ({"kind": "liaison", "name": ""}, "name"),
        ({"kind": "liaison", "starts_on": "2024-03-01", "ends_on": "2024-02-01"}, "ends_on"),
    ],
)
def test_role_bad_input(login, actors, org, body, field):
    payload = {"grid": org.grid.pk, "name": "张三"} | body
    response = login(actors.worker).post("/api/v1/grid-roles/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert not GridRole.objects.exists()


def test_building_of_another_grid_is_refused(login, actors, org):
    elsewhere = BuildingFactory(grid=org.sibling_grid)
    response = login(actors.worker).post(
        "/api/v1/grid-roles/",
        {
            "grid": org.grid.pk,
            "kind": "building_leader",
            "building": elsewhere.pk,
            "name": "王",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "building" in response.json()["fields"]


@pytest.mark.parametrize(
    "who,status",
    [("grid_leader", 403), ("district_leader", 403), ("resident", 403), ("other_worker", 404)],
)
def test_who_may_not_appoint(login, actors, org, who, status):
    response = login(getattr(actors, who)).post(
        "/api/v1/grid-roles/",
        {"grid": org.grid.pk, "kind": "liaison", "name": "张三"},
        format="json",
    )
    assert response.status_code == status
    assert not GridRole.objects.exists()


def test_end_term_twice_is_a_conflict(login, actors, org):
    role = GridRoleFactory(grid=org.grid, ends_on="2024-02-01")
    response = login(actors.worker).post(f"/api/v1/grid-roles/{role.pk}/end-term/")
    assert response.status_code == 409


@pytest.mark.parametrize("rows", [1, 30])
def test_role_list_query_count(login, actors, org, building, django_assert_max_num_queries, rows):
    GridRoleFactory.create_batch(rows, grid=org.grid)
    client = login(actors.grid_leader)
    client.get("/api/v1/grid-roles/")
    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/grid-roles/", {"page_size": 50, "current": "true"})
    assert response.json()["count"] == rows


# Resources -------------------------------------------------------------------------------------


def test_grid_leader_sees_resources_linked_to_their_grid_only(login, actors, org):
    GridResourceFactory(community=org.community, name="一小", grids=[org.grid])
    GridResourceFactory(community=org.community, name="二小", grids=[org.sibling_grid])
    names = {
        r["name"]
        for r in login(actors.grid_leader).get("/api/v1/grid-resources/").json()["results"]
    }
    assert names == {"一小"}
    names = {
        r["name"] for r in login(actors.worker).get("/api/v1/grid-resources/").json()["results"]
    }
    assert names == {"一小", "二小"}


def test_resource_create_and_bad_grids(login, actors, org):
    client = login(actors.worker)
    body = {
        "community": org.community.pk,
        "kind": "school",
        "name": "实验小学",
        "offers": "暑期托管",
        "grids": [org.grid.pk, org.sibling_grid.pk],
    }
    ok = client.post("/api/v1/grid-resources/", body, format="json")
    assert ok.status_code == 201, ok.json()
    assert {g["name"] for g in ok.json()["grids"]} == {"一格", "二格"}
    bad = client.post(
        "/api/v1/grid-resources/",
        body | {"name": "中学", "grids": [org.other_community_grid.pk]},
        format="json",
    )
    assert bad.status_code == 400 and "grids" in bad.json()["fields"]
    empty = client.post(
        "/api/v1/grid-resources/", body | {"name": "中学", "grids": []}, format="json"
    )
    assert empty.status_code == 400 and "grids" in empty.json()["fields"]
    assert GridResource.objects.count() == 1
    assert (
        login(actors.grid_leader)
        .post("/api/v1/grid-resources/", body | {"name": "幼儿园"}, format="json")
        .status_code
        == 403
    )


@pytest.mark.parametrize("rows", [1, 30])
def test_resource_list_query_count(login, actors, org, django_assert_max_num_queries, rows):
    for _ in range(rows):
        GridResourceFactory(community=org.community, grids=[org.grid, org.sibling_grid])
    client = login(actors.grid_leader)
    client.get("/api/v1/grid-resources/")
    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/grid-resources/", {"page_size": 50})
    assert response.json()["count"] == rows


# Places ----------------------------------------------------------------------------------------


def test_grid_leader_records_a_shop_in_their_grid_only(login, actors, org):
    client = login(actors.grid_leader)
    body = {
        "grid": org.grid.pk,
        "kind": "shop",
        "name": "好邻居便利店",
        "contact_phone": "021-12345678",
    }
    assert client.post("/api/v1/grid-places/", body, format="json").status_code == 201
    assert (
        client.post(
            "/api/v1/grid-places/", body | {"grid": org.sibling_grid.pk}, format="json"
        ).status_code
        == 404
    )
    dup = client.post("/api/v1/grid-places/", body, format="json")
    assert dup.status_code == 400 and dup.json()["fields"]


# Diary, pairings, deeds -------------------------------------------------------------------------


def test_diary_is_written_by_its_author_only(login, actors, org):
    created = login(actors.grid_leader).post(
        "/api/v1/diary-entries/",
        {"grid": org.grid.pk, "written_on": "2024-03-06", "content": "菜场门口积水"},
        format="json",
    )
    assert created.status_code == 201
    entry_id = created.json()["id"]
    assert created.json()["author"]["id"] == actors.grid_leader.pk
    other = login(actors.worker).patch(
        f"/api/v1/diary-entries/{entry_id}/", {"content": "改"}, format="json"
    )
    assert other.status_code == 403
    assert DiaryEntry.objects.get().content == "菜场门口积水"


def test_pairing_and_its_end(login, actors, org, household):
    client = login(actors.worker)
    created = client.post(
        "/api/v1/pairings/",
        {
            "grid": org.grid.pk,
            "household": household.pk,
            "helper_name": "党员老周",
            "since": "2024-01-01",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    pairing_id = created.json()["id"]
    ended = client.post(
        f"/api/v1/pairings/{pairing_id}/end/", {"until": "2023-12-01"}, format="json"
    )
    assert ended.status_code == 400 and "until" in ended.json()["fields"]
    ended = client.post(f"/api/v1/pairings/{pairing_id}/end/", {}, format="json")
    assert ended.status_code == 200 and ended.json()["until"] == "2024-03-06"
    assert Pairing.objects.get().until.isoformat() == "2024-03-06"


def test_deed_bad_input_and_district_leader_refused(login, actors, org):
    body = {
        "grid": org.grid.pk,
        "title": "修扶手",
        "description": "3号楼",
        "done_on": "2024-03-01",
        "beneficiary_count": -1,
    }
    bad = login(actors.worker).post("/api/v1/deeds/", body, format="json")
    assert bad.status_code == 400 and "beneficiary_count" in bad.json()["fields"]
    assert (
        login(actors.district_leader)
        .post("/api/v1/deeds/", body | {"beneficiary_count": 5}, format="json")
        .status_code
        == 403
    )
    assert not PracticalDeed.objects.exists()


@pytest.mark.parametrize("rows", [1, 30])
def test_other_grid_work_lists_query_counts(
    login, actors, org, django_assert_max_num_queries, rows
):
    DiaryEntryFactory.create_batch(rows, grid=org.grid)
    PairingFactory.create_batch(rows, grid=org.grid)
    client = login(actors.district_leader)
    client.get("/api/v1/diary-entries/")
    for url in (
        "/api/v1/diary-entries/",
        "/api/v1/pairings/",
        "/api/v1/deeds/",
        "/api/v1/grid-places/",
    ):
        with django_assert_max_num_queries(6):
            response = client.get(url, {"page_size": 50})
        assert response.status_code == 200


# The organisation tree ----------------------------------------------------------------------


def test_resident_sees_their_own_community_in_the_tree(login, actors, org):
    client = login(actors.resident)
    communities = client.get("/api/v1/communities/").json()["results"]
    assert [c["name"] for c in communities] == ["一居"]
    grids = {g["name"] for g in client.get("/api/v1/grids/").json()["results"]}
    assert grids == {"一格", "二格"}
    assert client.get(f"/api/v1/communities/{org.sibling_community.pk}/").status_code == 404


def test_tree_filters(login, actors, org):
    client = login(actors.street_admin)
    grids = client.get("/api/v1/grids/", {"community": org.sibling_community.pk}).json()["results"]
    assert [g["name"] for g in grids] == ["三格"]
    communities = client.get("/api/v1/communities/", {"street": org.street.pk}).json()["results"]
    assert {c["name"] for c in communities} == {"一居", "二居"}
    bad = client.get("/api/v1/grids/", {"community": "abc"})
    assert bad.status_code == 400 and "community" in bad.json()["fields"]


def test_anonymous_cannot_read_the_tree(api):
    assert api.get("/api/v1/districts/").status_code in (401, 403)


@pytest.mark.parametrize("rows", [1, 30])
def test_tree_list_query_counts(login, actors, org, django_assert_max_num_queries, rows):
    BuildingFactory.create_batch(rows, grid=org.grid)
    client = login(actors.worker)
    client.get("/api/v1/buildings/")
    for url in (
        "/api/v1/districts/",
        "/api/v1/streets/",
        "/api/v1/communities/",
        "/api/v1/grids/",
        "/api/v1/buildings/",
        "/api/v1/community-types/",
    ):
        with django_assert_max_num_queries(5):
            response = client.get(url, {"page_size": 50})
        assert response.status_code == 200
