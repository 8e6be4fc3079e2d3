"""Tags, households, the access log and the aggregate stats endpoints of the residents API."""

import pytest

from residents import services
from residents.models import Household, ResidentAccessLog, Tag


def as_(api, actors, role):
    user = getattr(actors, role)
    if user is not None:
        api.force_authenticate(user)
    return api


# --- tags -------------------------------------------------------------------------------------

TAGS = "/api/v1/tags/"


@pytest.mark.parametrize(
    "role, visible",
    [
        ("superuser", 5),
        ("street_admin", 4),
        ("worker", 4),
        ("grid_leader", 4),
        ("foreign_admin", 1),
        ("district_leader", None),
        ("resident", None),
        ("anonymous", None),
    ],
)
def test_tag_list_scope(api, actors, tags, role, visible):
    response = as_(api, actors, role).get(TAGS)
    if visible is None:
        assert response.status_code == 403
    else:
        assert response.status_code == 200
        assert response.json()["count"] == visible


@pytest.mark.parametrize(
    "role, status",
    [
        ("superuser", 201),
        ("street_admin", 201),
        ("worker", 403),
        ("grid_leader", 403),
        ("foreign_admin", 400),
        ("district_leader", 403),
        ("resident", 403),
        ("anonymous", 403),
    ],
)
def test_tag_create_by_street_admins_only(api, actors, org, role, status):
    body = {
        "street": org.street.pk,
        "family": "service",
        "name": "上门理发",
        "color": "#2E7D32",
        "description": "每月一次",
    }
    response = as_(api, actors, role).post(TAGS, body, format="json")
    assert response.status_code == status, response.json()
    assert Tag.objects.filter(name="上门理发").exists() == (status == 201)
    if status == 400:
        # Another street reads as an unknown id to this admin.
        assert "street" in response.json()["fields"]


@pytest.mark.parametrize(
    "change, field",
    [
        ({"name": ""}, "name"),
        ({"name": "党员"}, "name"),
        ({"color": "blue"}, "color"),
        ({"family": "hobby"}, "family"),
        ({"street": 999999}, "street"),
        ({"sort_order": -1}, "sort_order"),
        ({"description": "x" * 201}, "description"),
    ],
)
def test_tag_create_bad_input(api, actors, org, tags, change, field):
    body = {"street": org.street.pk, "name": "新标签", **change}
    before = Tag.objects.count()
    response = as_(api, actors, "street_admin").post(TAGS, body, format="json")
    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert Tag.objects.count() == before


@pytest.mark.parametrize(
    "role, status",
    [
        ("street_admin", 200),
        ("worker", 403),
        ("foreign_admin", 404),
        ("district_leader", 403),
        ("anonymous", 403),
    ],
)
def test_tag_update(api, actors, tags, role, status):
    response = as_(api, actors, role).patch(
        f"{TAGS}{tags.party.pk}/", {"color": "#000000", "description": "中共党员"}, format="json"
    )
    assert response.status_code == status
    tags.party.refresh_from_db()
    assert (tags.party.color == "#000000") == (status == 200)


def test_tag_update_bad_input(api, actors, tags):
    client = as_(api, actors, "street_admin")
    response = client.patch(f"{TAGS}{tags.party.pk}/", {"name": "独居老人"}, format="json")
    assert response.status_code == 400
    assert "name" in response.json()["fields"]
    response = client.patch(f"{TAGS}{tags.party.pk}/", {"color": "#12345"}, format="json")
    assert "color" in response.json()["fields"]
    tags.party.refresh_from_db()
    assert (tags.party.name, tags.party.color) == ("党员", "#C0392B")


def test_tag_list_filters(api, actors, tags):
    client = as_(api, actors, "street_admin")
    response = client.get(TAGS, {"family": "service"})
    assert [t["name"] for t in response.json()["results"]] == ["助餐"]
    assert client.get(TAGS, {"family": "x"}).status_code == 400


# --- households -------------------------------------------------------------------------------

HOUSEHOLDS = "/api/v1/households/"


@pytest.fixture
def households(actors, org, place):
    return {
        "grid": services.household_create(
            actor=actors.superuser,
            community=org.community,
            building=place.building,
            room="101",
            phone="13700001111",
        ),
        "sibling_grid": services.household_create(
            actor=actors.superuser,
            community=org.community,
            building=place.sibling_building,
            room="201",
        ),
        "sibling_community": services.household_create(
            actor=actors.superuser,
            community=org.sibling_community,
            building=place.other_building,
            room="1",
        ),
    }


@pytest.mark.parametrize(
    "role, visible",
    [
        ("street_admin", {"grid", "sibling_grid", "sibling_community"}),
        ("worker", {"grid", "sibling_grid"}),
        ("grid_leader", {"grid"}),
        ("other_worker", {"sibling_community"}),
        ("foreign_admin", set()),
    ],
)
def test_household_list_and_detail_scope(api, actors, households, role, visible):
    client = as_(api, actors, role)
    response = client.get(HOUSEHOLDS)
    assert response.status_code == 200
    assert {h["id"] for h in response.json()["results"]} == {households[k].pk for k in visible}
    for key, household in households.items():
        status = client.get(f"{HOUSEHOLDS}{household.pk}/").status_code
        assert status == (200 if key in visible else 404)


@pytest.mark.parametrize("role", ["district_leader", "resident", "anonymous"])
def test_household_refused(api, actors, households, org, role):
    client = as_(api, actors, role)
    assert client.get(HOUSEHOLDS).status_code == 403
    assert client.get(f"{HOUSEHOLDS}{households['grid'].pk}/").status_code == 403
    response = client.post(HOUSEHOLDS, {"community": org.community.pk}, format="json")
    assert response.status_code == 403


def test_household_members_and_masked_phone_in_list(api, actors, households, make_resident):
    household = households["grid"]
    make_resident(household=household, relation_to_head="head", name="户主甲")
    response = as_(api, actors, "worker").get(HOUSEHOLDS, {"building": household.building_id})
    row = response.json()["results"][0]
    assert row["phone_masked"] == "137****1111"
    assert "13700001111" not in response.content.decode()
    assert [m["name"] for m in row["members"]] == ["户主甲"]
    detail = as_(api, actors, "worker").get(f"{HOUSEHOLDS}{household.pk}/").json()
    assert detail["phone"] == "13700001111"


def test_household_create_and_update(api, actors, org, place):
    client = as_(api, actors, "grid_leader")
    response = client.post(
        HOUSEHOLDS,
        {"community": org.community.pk, "building": place.building.pk, "room": "502"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    household = Household.objects.get()
    assert household.grid == org.grid
    response = client.patch(f"{HOUSEHOLDS}{household.pk}/", {"address": "幸福路1弄"}, format="json")
    assert response.status_code == 200
    assert household.history.latest().history_user == actors.grid_leader


@pytest.mark.parametrize(
    "change, field",
    [
        ({"room": "101"}, "room"),
        ({"phone": "123"}, "phone"),
        ({"community": None}, "community"),
        ({"building": 999999}, "building"),
        ({"room": "x" * 17}, "room"),
    ],
)
def test_household_create_bad_input(api, actors, org, place, households, change, field):
    body = {"community": org.community.pk, "building": place.building.pk, "room": "909", **change}
    before = Household.objects.count()
    response = as_(api, actors, "worker").post(HOUSEHOLDS, body, format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()["fields"]
    assert Household.objects.count() == before


def test_household_building_of_another_community_is_400(api, actors, org, place):
    response = as_(api, actors, "street_admin").post(
        HOUSEHOLDS,
        {"community": org.community.pk, "building": place.other_building.pk},
        format="json",
    )
    assert response.status_code == 400
    assert "building" in response.json()["fields"]


def test_household_update_scope_and_bad_input(api, actors, households):
    target = f"{HOUSEHOLDS}{households['sibling_grid'].pk}/"
    assert (
        as_(api, actors, "grid_leader").patch(target, {"address": "x"}, format="json").status_code
        == 404
    )
    response = as_(api, actors, "worker").patch(
        target, {"room": "201", "phone": "1"}, format="json"
    )
    assert response.status_code == 400
    assert "phone" in response.json()["fields"]


# --- access log -------------------------------------------------------------------------------

LOGS = "/api/v1/resident-access-logs/"


@pytest.fixture
def logs(actors, org, make_resident):
    mine = make_resident(name="本街道居民")
    other = make_resident(name="外街道居民", community=org.foreign_community)
    services.resident_record_view(actor=actors.worker, resident=mine, channel="api")
    services.resident_reveal_id_number(actor=actors.worker, resident=mine, reason="核对")
    services.resident_record_view(actor=actors.foreign_admin, resident=other)
    return mine, other


@pytest.mark.parametrize(
    "role, count",
    [
        ("superuser", 3),
        ("street_admin", 2),
        ("foreign_admin", 1),
        ("worker", None),
        ("grid_leader", None),
        ("district_leader", None),
        ("resident", None),
        ("anonymous", None),
    ],
)
def test_access_log_readable_by_street_admins_only(api, actors, logs, role, count):
    response = as_(api, actors, role).get(LOGS)
    if count is None:
        assert response.status_code == 403
    else:
        assert response.status_code == 200
        assert response.json()["count"] == count


def test_access_log_rows_and_filters(api, actors, logs):
    mine, _ = logs
    client = as_(api, actors, "street_admin")
    rows = client.get(LOGS, {"action": "reveal_id"}).json()["results"]
    assert len(rows) == 1
    assert rows[0]["resident"] == mine.pk and rows[0]["resident_name"] == mine.name
    assert rows[0]["reason"] == "核对"
    assert rows[0]["user"]["id"] == actors.worker.pk
    assert client.get(LOGS, {"action": "nope"}).status_code == 400


def test_access_log_list_query_count_is_constant(
    api, actors, make_resident, django_assert_max_num_queries
):
    resident = make_resident()
    services.resident_record_view(actor=actors.worker, resident=resident)
    client = as_(api, actors, "street_admin")
    with django_assert_max_num_queries(4) as one:
        client.get(LOGS)
    for _ in range(49):
        services.resident_record_view(actor=actors.grid_leader, resident=make_resident())
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(client.get(LOGS, {"page_size": 50}).json()["results"]) == 50


def test_household_and_tag_lists_query_count_is_constant(
    api, actors, org, place, tags, make_resident, django_assert_max_num_queries
):
    client = as_(api, actors, "street_admin")
    first = services.household_create(
        actor=actors.worker, community=org.community, building=place.building, room="1"
    )
    make_resident(household=first)
    with django_assert_max_num_queries(6) as one_household:
        client.get(HOUSEHOLDS)
    with django_assert_max_num_queries(4) as few_tags:
        client.get(TAGS)
    for n in range(2, 51):
        household = services.household_create(
            actor=actors.worker, community=org.community, building=place.building, room=str(n)
        )
        make_resident(household=household)
        Tag.objects.create(street=org.street, name=f"标签{n}")
    with django_assert_max_num_queries(len(one_household.captured_queries)):
        assert len(client.get(HOUSEHOLDS, {"page_size": 50}).json()["results"]) == 50
    with django_assert_max_num_queries(len(few_tags.captured_queries)):
        assert len(client.get(TAGS, {"page_size": 50}).json()["results"]) == 50


# --- stats ------------------------------------------------------------------------------------

STATS = "/api/v1/residents/stats/"


def test_district_leader_gets_counts_and_no_names(api, actors, org, tags, make_resident):
    make_resident(name="赵一", tags=[tags.party])
    make_resident(name="钱二", tags=[tags.party, tags.alone])
    make_resident(name="孙三", community=org.sibling_street_community)
    make_resident(name="李四", community=org.foreign_community)
    response = as_(api, actors, "district_leader").get(STATS)
    assert response.status_code == 200
    data = response.json()
    assert data["total"] == 3
    assert {c["name"]: c["count"] for c in data["communities"]} == {"一居": 2, "三居": 1}
    assert {t["name"]: t["count"] for t in data["tags"]} == {"党员": 2, "独居老人": 1}
    body = response.content.decode()
    for name in ("赵一", "钱二", "孙三", "李四"):
        assert name not in body


def test_stats_follow_scope_and_refuse_non_staff(api, actors, org, make_resident):
    make_resident(grid=org.grid)
    make_resident(community=org.sibling_community)
    assert as_(api, actors, "worker").get(STATS).json()["total"] == 1
    api.force_authenticate(actors.street_admin)
    assert api.get(STATS).json()["total"] == 2
    api.force_authenticate(actors.resident)
    assert api.get(STATS).status_code == 403
    api.force_authenticate(None)
    assert api.get(STATS).status_code == 403
    assert not ResidentAccessLog.objects.exists()
