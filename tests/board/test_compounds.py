"""Compounds 小区 in the grids app: building groups belong to at most one compound of their own
community; the admin and the API are scoped like the rest of the organisation tree."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.exceptions import ApplicationError
from grids import services
from grids.models import Building, Compound
from tests.factories import BuildingFactory
from tests.factories.board import CompoundFactory

pytestmark = pytest.mark.django_db


def test_worker_creates_a_compound_and_assigns_buildings(org, actors):
    compound = services.compound_create(actor=actors.worker, community=org.community, name="望春里")
    building = services.building_create(
        actor=actors.worker, grid=org.grid, name="1号楼", compound=compound
    )
    assert building.compound == compound and building.community == org.community
    other = BuildingFactory(grid=org.grid)
    services.building_update(actor=actors.worker, building=other, compound=compound)
    assert set(compound.buildings.values_list("name", flat=True)) == {"1号楼", other.name}


def test_a_building_takes_a_compound_of_its_own_community_only(org, actors):
    elsewhere = CompoundFactory(community=org.sibling_community)
    building = BuildingFactory(grid=org.grid)
    with pytest.raises(ApplicationError) as exc:
        services.building_update(actor=actors.worker, building=building, compound=elsewhere)
    assert "compound" in exc.value.fields
    assert Building.objects.get(pk=building.pk).compound is None


def test_an_ended_compound_keeps_its_buildings_and_takes_no_new_ones(org, actors):
    compound = CompoundFactory(community=org.community)
    kept = BuildingFactory(grid=org.grid, compound=compound)
    compound = services.compound_update(actor=actors.worker, compound=compound, is_active=False)
    assert compound.ended_on is not None
    assert Building.objects.get(pk=kept.pk).compound == compound
    with pytest.raises(ApplicationError) as exc:
        services.building_create(actor=actors.worker, grid=org.grid, name="新楼", compound=compound)
    assert "compound" in exc.value.fields
    compound = services.compound_update(actor=actors.worker, compound=compound, is_active=True)
    assert compound.ended_on is None


@pytest.mark.parametrize("who", ["grid_leader", "district_leader", "resident", "other_worker"])
def test_who_may_not_create_a_compound(org, actors, who):
    with pytest.raises(ApplicationError) as exc:
        services.compound_create(actor=getattr(actors, who), community=org.community, name="x")
    assert exc.value.code in ("forbidden", "not_found")
    assert not Compound.objects.exists()


def test_names_are_unique_within_a_community(org, actors):
    services.compound_create(actor=actors.worker, community=org.community, name="望春里")
    with pytest.raises(ApplicationError) as exc:
        services.compound_create(actor=actors.worker, community=org.community, name="望春里")
    assert exc.value.code == "invalid"
    assert Compound.objects.count() == 1


def test_the_compound_api_lists_within_scope(api, org, actors):
    mine = CompoundFactory(community=org.community, name="望春里")
    BuildingFactory(grid=org.grid, compound=mine)
    CompoundFactory(community=org.foreign_community, name="外区小区")
    api.force_authenticate(actors.resident)
    rows = api.get("/api/v1/compounds/").json()["results"]
    assert [(r["name"], r["building_count"]) for r in rows] == [("望春里", 1)]
    api.force_authenticate(actors.foreign_admin)
    assert [r["name"] for r in api.get("/api/v1/compounds/").json()["results"]] == ["外区小区"]
    assert api.get(f"/api/v1/compounds/{mine.pk}/").status_code == 404
    api.force_authenticate(actors.worker)
    building = api.get("/api/v1/buildings/", {"compound": mine.pk}).json()["results"][0]
    assert building["compound"] == {"id": mine.pk, "name": "望春里"}


def test_the_compound_list_costs_the_same_at_1_and_50(api, org, actors):
    CompoundFactory(community=org.community)
    api.force_authenticate(actors.street_admin)
    api.get("/api/v1/compounds/")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            response = api.get("/api/v1/compounds/", {"page_size": 50})
        return len(ctx.captured_queries), response.json()["count"]

    before, one = count()
    for _i in range(50):
        BuildingFactory(grid=org.grid, compound=CompoundFactory(community=org.community))
    after, many = count()
    assert (one, many) == (1, 51) and before == after


def test_admin_compound_pages(client, org, actors):
    compound = CompoundFactory(community=org.community, name="望春里")
    BuildingFactory(grid=org.grid, compound=compound, name="1号楼")
    client.force_login(actors.worker)
    response = client.get(reverse("admin:grids_compound_changelist"))
    assert response.status_code == 200
    assert [str(c) for c in response.context["cl"].result_list] == ["望春里"]
    response = client.get(reverse("admin:grids_compound_change", args=[compound.pk]))
    assert "1号楼" in response.content.decode()
    response = client.post(
        reverse("admin:grids_compound_add"),
        {"community": org.community.pk, "name": "新小区", "address": "春风路1号"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Compound.objects.filter(name="新小区", is_active=True).exists()
    # Another community's worker does not even see it.
    client.force_login(actors.other_worker)
    response = client.get(reverse("admin:grids_compound_change", args=[compound.pk]))
    assert response.status_code in (302, 404)
    client.force_login(actors.grid_leader)
    assert client.get(reverse("admin:grids_compound_changelist")).status_code in (200, 403)
    response = client.post(
        reverse("admin:grids_compound_add"), {"community": org.community.pk, "name": "x"}
    )
    assert response.status_code == 403
    assert not Compound.objects.filter(name="x").exists()
