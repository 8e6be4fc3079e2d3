"""The residents API: scope of every role, access log, reveal, lookup, filters, bad input,
query counts."""

import pytest

from residents.models import Resident, ResidentAccessLog
from tests.factories.residents import valid_id_number

LIST = "/api/v1/residents/"


def detail(resident):
    return f"/api/v1/residents/{resident.pk}/"


@pytest.fixture
def people(make_resident, org, place, tags):
    """One resident in each corner of the org fixture."""
    return {
        "grid": make_resident(
            grid=org.grid,
            building=place.building,
            room="101",
            phone="13812345678",
            tags=[tags.party, tags.alone],
        ),
        "sibling_grid": make_resident(
            grid=org.sibling_grid, building=place.sibling_building, tags=[tags.party]
        ),
        "sibling_community": make_resident(
            community=org.sibling_community, grid=org.other_community_grid, tags=[tags.alone]
        ),
        "foreign": make_resident(community=org.foreign_community),
    }


def as_(api, actors, role):
    user = getattr(actors, role)
    if user is not None:
        api.force_authenticate(user)
    return api


VISIBLE = {
    "superuser": {"grid", "sibling_grid", "sibling_community", "foreign"},
    "street_admin": {"grid", "sibling_grid", "sibling_community"},
    "worker": {"grid", "sibling_grid"},
    "grid_leader": {"grid"},
    "other_worker": {"sibling_community"},
    "foreign_admin": {"foreign"},
}
REFUSED = {"district_leader": 403, "resident": 403, "anonymous": 403}


@pytest.mark.parametrize("role", [*VISIBLE, *REFUSED])
def test_list_scope_of_every_role(api, actors, people, role):
    response = as_(api, actors, role).get(LIST)
    if role in REFUSED:
        assert response.status_code == REFUSED[role]
        return
    assert response.status_code == 200
    names = {r["name"] for r in response.json()["results"]}
    assert names == {people[key].name for key in VISIBLE[role]}


@pytest.mark.parametrize("role", [*VISIBLE, *REFUSED])
def test_detail_scope_of_every_role(api, actors, people, role):
    client = as_(api, actors, role)
    for key, resident in people.items():
        response = client.get(detail(resident))
        if role in REFUSED:
            assert response.status_code == REFUSED[role]
        elif key in VISIBLE[role]:
            assert response.status_code == 200
        else:
            assert response.status_code == 404, (role, key)
    # Only the successful views were logged, each once, by this user.
    expected = 0 if role in REFUSED else len(VISIBLE[role])
    assert ResidentAccessLog.objects.count() == expected


def test_list_masks_and_never_returns_clear_numbers(api, actors, people):
    resident = people["grid"]
    clear = api_reveal(resident, actors)
    response = as_(api, actors, "worker").get(LIST)
    body = response.content.decode()
    assert clear not in body
    assert "13812345678" not in body
    row = next(r for r in response.json()["results"] if r["id"] == resident.pk)
    assert row["phone_masked"] == "138****5678"
    assert row["id_number_masked"] == clear[:4] + "*" * 10 + clear[-4:]
    assert [t["name"] for t in row["tags"]] == ["党员", "独居老人"]
    assert not ResidentAccessLog.objects.filter(action="view").exists()


def api_reveal(resident, actors):
    from residents import services

    return services.resident_reveal_id_number(
        actor=actors.superuser, resident=resident, reason="测试准备"
    )


def test_detail_shows_clear_phone_but_masked_id_and_logs_the_view(api, actors, people):
    resident = people["grid"]
    response = as_(api, actors, "worker").get(detail(resident), REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    data = response.json()
    assert data["phone"] == "13812345678"
    assert "id_number" not in data
    assert data["id_number_masked"].count("*") == 10
    log = ResidentAccessLog.objects.get(action="view")
    assert (log.user, log.resident, log.channel, log.ip_address, log.community) == (
        actors.worker,
        resident,
        "api",
        "10.1.2.3",
        resident.community,
    )


# --- reveal -----------------------------------------------------------------------------------


def reveal_url(resident):
    return f"/api/v1/residents/{resident.pk}/reveal-id/"


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "   "}])
def test_reveal_without_a_reason_is_400_on_reason_and_logs_nothing(api, actors, people, body):
    response = as_(api, actors, "worker").post(reveal_url(people["grid"]), body, format="json")
    assert response.status_code == 400
    assert "reason" in response.json()["fields"]
    assert not ResidentAccessLog.objects.exists()


def test_reveal_with_a_reason_returns_the_number_and_logs_it(api, actors, people):
    resident = people["grid"]
    response = as_(api, actors, "street_admin").post(
        reveal_url(resident), {"reason": "核对高龄津贴"}, format="json"
    )
    assert response.status_code == 200
    number = response.json()["id_number"]
    assert len(number) == 18 and number.endswith(resident.id_number_masked[-4:])
    log = ResidentAccessLog.objects.get()
    assert (log.action, log.reason, log.channel, log.user) == (
        "reveal_id",
        "核对高龄津贴",
        "api",
        actors.street_admin,
    )


@pytest.mark.parametrize(
    "role, status",
    [
        ("grid_leader", 403),
        ("other_worker", 404),
        ("foreign_admin", 404),
        ("district_leader", 403),
        ("resident", 403),
        ("anonymous", 403),
    ],
)
def test_reveal_refused(api, actors, people, role, status):
    response = as_(api, actors, role).post(
        reveal_url(people["grid"]), {"reason": "看看"}, format="json"
    )
    assert response.status_code == status
    assert "id_number" not in response.json()
    assert not ResidentAccessLog.objects.exists()


def test_reveal_of_a_resident_without_number_is_400(api, actors, make_resident):
    resident = make_resident(with_id=False)
    response = as_(api, actors, "worker").post(
        reveal_url(resident), {"reason": "核对"}, format="json"
    )
    assert response.status_code == 400
    assert not ResidentAccessLog.objects.exists()


# --- lookup -----------------------------------------------------------------------------------

LOOKUP = "/api/v1/residents/lookup/"


def test_lookup_finds_the_exact_number_only(api, actors, make_resident):
    number = valid_id_number(500)
    wanted = make_resident(id_number=number)
    make_resident(id_number=valid_id_number(501))
    client = as_(api, actors, "worker")
    response = client.get(LOOKUP, {"id_number": number.lower()})
    assert response.status_code == 200
    assert response.json()["id"] == wanted.pk
    assert client.get(LOOKUP, {"id_number": valid_id_number(502)}).status_code == 404


def test_lookup_is_limited_to_scope(api, actors, make_resident, org):
    number = valid_id_number(600)
    make_resident(id_number=number, community=org.sibling_community)
    assert as_(api, actors, "worker").get(LOOKUP, {"id_number": number}).status_code == 404
    api.force_authenticate(actors.other_worker)
    assert api.get(LOOKUP, {"id_number": number}).status_code == 200


@pytest.mark.parametrize("value", ["", "3101", valid_id_number(1)[:-1] + "Y"])
def test_lookup_bad_number_is_400(api, actors, value):
    response = as_(api, actors, "worker").get(LOOKUP, {"id_number": value})
    assert response.status_code == 400
    assert "id_number" in response.json()["fields"]


@pytest.mark.parametrize("role", ["district_leader", "resident", "anonymous"])
def test_lookup_refused(api, actors, make_resident, role):
    number = valid_id_number(700)
    make_resident(id_number=number)
    assert as_(api, actors, role).get(LOOKUP, {"id_number": number}).status_code == 403


# --- filters ----------------------------------------------------------------------------------


def names(response):
    assert response.status_code == 200, response.json()
    return {r["name"] for r in response.json()["results"]}


def test_tag_filter_is_an_and_of_all_tags(api, actors, people, tags):
    client = as_(api, actors, "street_admin")
    both = names(client.get(LIST, {"tags": [tags.party.pk, tags.alone.pk]}))
    assert both == {people["grid"].name}
    party = names(client.get(LIST, {"tags": [tags.party.pk]}))
    assert party == {people["grid"].name, people["sibling_grid"].name}


def test_filters_combine(api, actors, people, tags, org, place, make_resident):
    moved = make_resident(grid=org.grid, status=Resident.Status.MOVED_OUT, tags=[tags.meals])
    client = as_(api, actors, "street_admin")
    assert names(client.get(LIST, {"grid": org.grid.pk})) == {people["grid"].name, moved.name}
    assert names(client.get(LIST, {"building": place.building.pk})) == {people["grid"].name}
    assert names(client.get(LIST, {"community": org.sibling_community.pk})) == {
        people["sibling_community"].name
    }
    assert names(client.get(LIST, {"status": "moved_out"})) == {moved.name}
    assert names(client.get(LIST, {"tag_family": "service"})) == {moved.name}
    assert names(client.get(LIST, {"grid": org.grid.pk, "tags": [tags.alone.pk]})) == {
        people["grid"].name
    }
    assert names(client.get(LIST, {"name": people["grid"].name[-2:]})) >= {people["grid"].name}


def test_filter_by_exact_id_number(api, actors, make_resident):
    number = valid_id_number(800)
    wanted = make_resident(id_number=number)
    make_resident(id_number=valid_id_number(801))
    client = as_(api, actors, "worker")
    assert names(client.get(LIST, {"id_number": number})) == {wanted.name}


@pytest.mark.parametrize(
    "params, field",
    [
        ({"grid": "abc"}, "grid"),
        ({"status": "gone"}, "status"),
        ({"tags": "999999"}, "tags"),
        ({"id_number": "123"}, "id_number"),
        ({"tag_family": "x"}, "tag_family"),
    ],
)
def test_bad_filter_values_are_400(api, actors, people, params, field):
    response = as_(api, actors, "worker").get(LIST, params)
    assert response.status_code == 400
    assert field in response.json()["fields"]


# --- create / update --------------------------------------------------------------------------


def create_body(org, **extra):
    return {
        "community": org.community.pk,
        "grid": org.grid.pk,
        "name": "王阿姨",
        "id_number": valid_id_number(900),
        "phone": "13900001111",
        **extra,
    }


@pytest.mark.parametrize(
    "role, status",
    [
        ("superuser", 201),
        ("street_admin", 201),
        ("worker", 201),
        ("grid_leader", 201),
        ("other_worker", 400),
        ("foreign_admin", 400),
        ("district_leader", 403),
        ("resident", 403),
        ("anonymous", 403),
    ],
)
def test_create_scope_of_every_role(api, actors, org, tags, role, status):
    response = as_(api, actors, role).post(
        LIST, create_body(org, tags=[tags.party.pk]), format="json"
    )
    assert response.status_code == status, response.json()
    if status == 201:
        data = response.json()
        resident = Resident.objects.get()
        assert data["id"] == resident.pk
        assert data["birth_date"] == "1958-03-01"
        assert [t["id"] for t in data["tags"]] == [tags.party.pk]
        assert resident.history.latest().history_user == getattr(actors, role)
    else:
        assert not Resident.objects.exists()
        if status == 400:
            # Another community's grid and community read as unknown ids.
            assert {"community", "grid"} & set(response.json()["fields"])


def test_grid_leader_may_not_create_outside_their_grid(api, actors, org):
    client = as_(api, actors, "grid_leader")
    response = client.post(LIST, create_body(org, grid=None), format="json")
    assert response.status_code == 403
    response = client.post(LIST, create_body(org, grid=org.sibling_grid.pk), format="json")
    assert response.status_code == 400
    assert "grid" in response.json()["fields"]
    assert not Resident.objects.exists()


@pytest.mark.parametrize(
    "change, field",
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 40}, "name"),
        ({"id_number": "310104195803011235"}, "id_number"),
        ({"id_number": "31010419580301123"}, "id_number"),
        ({"phone": "12345"}, "phone"),
        ({"gender": "unknown"}, "gender"),
        ({"status": "gone"}, "status"),
        ({"birth_date": "1958-13-01"}, "birth_date"),
        ({"relation_to_head": "boss"}, "relation_to_head"),
        ({"community": 999999}, "community"),
        ({"grid": "abc"}, "grid"),
        ({"tags": [999999]}, "tags"),
        ({"tags": "x"}, "tags"),
    ],
)
def test_create_bad_input_is_400_with_field_and_writes_nothing(api, actors, org, change, field):
    body = create_body(org)
    body.update(change)
    response = as_(api, actors, "worker").post(LIST, body, format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()["fields"]
    assert not Resident.objects.exists()


def test_create_with_inconsistent_places_is_400(api, actors, org, place, tags):
    client = as_(api, actors, "street_admin")
    cases = [
        ({"grid": org.other_community_grid.pk}, "grid"),
        ({"building": place.sibling_building.pk}, "building"),
        ({"tags": [tags.foreign.pk]}, "tags"),  # another street's tag: unknown here
    ]
    for change, field in cases:
        response = client.post(LIST, create_body(org, **change), format="json")
        assert response.status_code == 400, (change, response.json())
        assert field in response.json()["fields"]
    assert not Resident.objects.exists()


def test_create_with_a_duplicate_number_is_400_on_id_number(api, actors, org, make_resident):
    make_resident(id_number=valid_id_number(900), community=org.foreign_community)
    response = as_(api, actors, "worker").post(LIST, create_body(org), format="json")
    assert response.status_code == 400
    assert "id_number" in response.json()["fields"]
    assert Resident.objects.count() == 1


@pytest.mark.parametrize(
    "role, key, status",
    [
        ("worker", "grid", 200),
        ("grid_leader", "grid", 200),
        ("street_admin", "sibling_community", 200),
        ("grid_leader", "sibling_grid", 404),
        ("other_worker", "grid", 404),
        ("foreign_admin", "grid", 404),
        ("district_leader", "grid", 403),
        ("resident", "grid", 403),
        ("anonymous", "grid", 403),
    ],
)
def test_update_scope_of_every_role(api, actors, people, role, key, status):
    resident = people[key]
    response = as_(api, actors, role).patch(detail(resident), {"notes": "需上门"}, format="json")
    assert response.status_code == status
    resident.refresh_from_db()
    assert (resident.notes == "需上门") == (status == 200)
    if status == 200:
        latest = resident.history.latest()
        assert latest.history_user == getattr(actors, role)
        assert latest.notes == "需上门"


def test_update_through_the_api_records_who_changed_what(api, actors, people, tags):
    resident = people["grid"]
    client = as_(api, actors, "worker")
    response = client.patch(
        detail(resident), {"phone": "021-64870000", "tags": [tags.meals.pk]}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["phone"] == "021-64870000"
    assert [t["name"] for t in response.json()["tags"]] == ["助餐"]
    records = resident.history.order_by("-history_date", "-history_id")
    assert {r.history_user for r in records[:2]} == {actors.worker}
    delta = records[0].diff_against(resident.history.earliest())
    assert {"phone", "tags"} <= set(delta.changed_fields)


@pytest.mark.parametrize(
    "change, field",
    [
        ({"phone": "abc"}, "phone"),
        ({"id_number": "1234"}, "id_number"),
        ({"name": ""}, "name"),
        ({"grid": 999999}, "grid"),
        ({"status": ""}, "status"),
    ],
)
def test_update_bad_input_is_400_and_changes_nothing(api, actors, people, change, field):
    resident = people["grid"]
    before = (resident.phone, resident.id_number_index, resident.name, resident.grid_id)
    history_before = resident.history.count()
    response = as_(api, actors, "worker").patch(detail(resident), change, format="json")
    assert response.status_code == 400
    assert field in response.json()["fields"]
    resident.refresh_from_db()
    assert (resident.phone, resident.id_number_index, resident.name, resident.grid_id) == before
    assert resident.history.count() == history_before


def test_update_clearing_the_number(api, actors, people):
    resident = people["grid"]
    response = as_(api, actors, "worker").patch(detail(resident), {"id_number": ""}, format="json")
    assert response.status_code == 200
    assert response.json()["id_number_masked"] == ""


# --- query counts -----------------------------------------------------------------------------


def test_list_query_count_is_the_same_at_1_and_50_rows(
    api, actors, make_resident, org, place, tags, django_assert_max_num_queries
):
    client = as_(api, actors, "worker")
    make_resident(grid=org.grid, building=place.building, tags=[tags.party, tags.meals])
    with django_assert_max_num_queries(6) as one:
        assert len(client.get(LIST).json()["results"]) == 1
    for _ in range(49):
        make_resident(grid=org.grid, building=place.building, tags=[tags.party, tags.alone])
    with django_assert_max_num_queries(len(one.captured_queries)) as fifty:
        response = client.get(LIST, {"page_size": 50, "tags": [tags.party.pk]})
        assert len(response.json()["results"]) == 50
    # The tag filter adds one query validating the tag ids; nothing grows with the rows.
    assert len(fifty.captured_queries) <= len(one.captured_queries) + 1
