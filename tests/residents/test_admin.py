"""The workers' admin: scoped lists with masked data, the logged change page and reveal page,
saves through the services, the read-only access log and the restricted change history."""

import pytest

from residents import services
from residents.models import Household, Resident, ResidentAccessLog, Tag
from tests.factories.residents import unique_id_number

CHANGELIST = "/admin/residents/resident/"


def change_url(resident):
    return f"/admin/residents/resident/{resident.pk}/change/"


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def people(make_resident, org, place, tags):
    return {
        "grid": make_resident(
            grid=org.grid,
            building=place.building,
            room="101",
            phone="13812345678",
            tags=[tags.party, tags.alone],
        ),
        "sibling_grid": make_resident(grid=org.sibling_grid, tags=[tags.party]),
        "sibling_community": make_resident(community=org.sibling_community),
    }


def test_worker_sees_only_their_community_masked(client, actors, people):
    response = login(client, actors.worker).get(CHANGELIST)
    assert response.status_code == 200
    body = response.content.decode()
    assert people["grid"].name in body and people["sibling_grid"].name in body
    assert people["sibling_community"].name not in body
    assert "138****5678" in body and "13812345678" not in body
    assert people["grid"].id_number_masked in body
    clear = services.resident_reveal_id_number(
        actor=actors.superuser, resident=people["grid"], reason="测试"
    )
    assert clear not in body
    # Tags are chips that carry their text, not colour alone.
    assert "resident-tag" in body and "党员" in body and "#C0392B" in body


def test_grid_leader_sees_only_their_grid(client, actors, people):
    body = login(client, actors.grid_leader).get(CHANGELIST).content.decode()
    assert people["grid"].name in body
    assert people["sibling_grid"].name not in body


@pytest.mark.parametrize("role", ["district_leader", "resident"])
def test_no_people_for_leaders_and_residents(client, actors, people, role):
    user = getattr(actors, role)
    user.is_staff = True
    user.save()
    assert login(client, user).get(CHANGELIST).status_code == 403
    assert client.get(change_url(people["grid"])).status_code in (302, 403)
    assert not ResidentAccessLog.objects.exists()


def test_tags_filter_in_the_admin_is_an_and(client, actors, people, tags):
    client = login(client, actors.worker)
    body = client.get(CHANGELIST, {"tags_all": f"{tags.party.pk},{tags.alone.pk}"}).content.decode()
    assert people["grid"].name in body and people["sibling_grid"].name not in body
    body = client.get(CHANGELIST, {"tags_all": str(tags.party.pk)}).content.decode()
    assert people["grid"].name in body and people["sibling_grid"].name in body


def test_search_by_full_id_number_uses_the_blind_index(client, actors, people):
    clear = services.resident_reveal_id_number(
        actor=actors.superuser, resident=people["sibling_grid"], reason="测试"
    )
    body = login(client, actors.worker).get(CHANGELIST, {"q": clear.lower()}).content.decode()
    assert people["sibling_grid"].name in body and people["grid"].name not in body


def test_changelist_query_count_does_not_grow_with_rows(
    client, actors, make_resident, org, tags, django_assert_max_num_queries
):
    client = login(client, actors.worker)
    make_resident(grid=org.grid, tags=[tags.party])
    client.get(CHANGELIST)  # warm the session and content types
    with django_assert_max_num_queries(40) as one:
        client.get(CHANGELIST)
    for _ in range(49):
        make_resident(grid=org.grid, tags=[tags.party, tags.alone])
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(CHANGELIST).status_code == 200


# --- change page and reveal -------------------------------------------------------------------


def test_opening_the_change_page_writes_the_access_log(client, actors, people):
    resident = people["grid"]
    response = login(client, actors.worker).get(change_url(resident), REMOTE_ADDR="10.9.8.7")
    assert response.status_code == 200
    body = response.content.decode()
    assert resident.id_number_masked in body
    assert "查看完整身份证号" in body
    log = ResidentAccessLog.objects.get()
    assert (log.user, log.resident, log.action, log.channel, log.ip_address) == (
        actors.worker,
        resident,
        "view",
        "admin",
        "10.9.8.7",
    )


def test_out_of_scope_change_page_is_not_shown_nor_logged(client, actors, people):
    response = login(client, actors.worker).get(change_url(people["sibling_community"]))
    assert response.status_code == 302  # the admin's "does not exist" redirect
    assert not ResidentAccessLog.objects.exists()


def reveal_url(resident):
    return f"/admin/residents/resident/{resident.pk}/reveal-id/"


def test_reveal_page_requires_a_reason(client, actors, people):
    client = login(client, actors.worker)
    resident = people["grid"]
    assert client.get(reveal_url(resident)).status_code == 200
    response = client.post(reveal_url(resident), {"reason": ""})
    assert response.status_code == 200
    assert "revealed-id-number" not in response.content.decode()
    assert not ResidentAccessLog.objects.exists()
    response = client.post(reveal_url(resident), {"reason": "为居民办理证明"})
    body = response.content.decode()
    assert "revealed-id-number" in body
    log = ResidentAccessLog.objects.get()
    assert (log.action, log.reason, log.channel) == ("reveal_id", "为居民办理证明", "admin")
    clear = services.resident_reveal_id_number(
        actor=actors.superuser, resident=resident, reason="核对测试"
    )
    assert clear in body


@pytest.mark.parametrize("role, status", [("grid_leader", 403), ("other_worker", 404)])
def test_reveal_page_refused(client, actors, people, role, status):
    response = login(client, getattr(actors, role)).post(
        reveal_url(people["grid"]), {"reason": "看看"}
    )
    assert response.status_code == status
    assert not ResidentAccessLog.objects.exists()


# --- saves go through the services ------------------------------------------------------------


def form_data(org, **extra):
    data = {
        "name": "新居民",
        "gender": "",
        "birth_date": "",
        "phone": "13911112222",
        "community": org.community.pk,
        "grid": org.grid.pk,
        "building": "",
        "room": "",
        "household": "",
        "relation_to_head": "",
        "status": "living",
        "notes": "",
        "new_id_number": "",
        "_save": "保存",
    }
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


def test_admin_add_encrypts_and_records_the_author(client, actors, org, tags):
    number = unique_id_number(5)
    response = login(client, actors.worker).post(
        "/admin/residents/resident/add/",
        form_data(org, new_id_number=number.lower(), tags=[tags.party.pk]),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    resident = Resident.objects.get()
    assert resident.id_number_masked == number[:4] + "*" * 10 + number[-4:]
    assert number not in resident.id_number_encrypted
    assert resident.birth_date is not None
    assert list(resident.tags.all()) == [tags.party]
    assert resident.history.earliest().history_user == actors.worker


@pytest.mark.parametrize(
    "extra, message",
    [
        ({"new_id_number": "310104195803011235"}, "校验位"),
        ({"phone": "12345"}, "手机号码"),
        ({"grid": ""}, None),
    ],
)
def test_admin_add_with_bad_input_shows_errors_and_writes_nothing(
    client, actors, org, extra, message
):
    # A grid leader without a grid is refused by the service's scope check.
    user = actors.grid_leader if extra == {"grid": ""} else actors.worker
    response = login(client, user).post("/admin/residents/resident/add/", form_data(org, **extra))
    assert response.status_code == 200
    assert "errornote" in response.content.decode()
    if message:
        assert message in response.content.decode()
    assert not Resident.objects.exists()


def test_admin_change_goes_through_the_service(client, actors, org, people, tags):
    resident = people["grid"]
    response = login(client, actors.worker).post(
        change_url(resident),
        form_data(
            org,
            name=resident.name,
            building=resident.building_id,
            room="101",
            phone="021-64871234",
            tags=[tags.meals.pk],
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    resident.refresh_from_db()
    assert resident.phone == "021-64871234"
    assert list(resident.tags.all()) == [tags.meals]
    latest = resident.history.latest()
    assert latest.history_user == actors.worker  # through HistoryRequestMiddleware and the service


def test_admin_change_with_a_duplicate_number_is_a_form_error(client, actors, org, people):
    other_number = services.resident_reveal_id_number(
        actor=actors.superuser, resident=people["sibling_grid"], reason="测试"
    )
    resident = people["grid"]
    before = resident.id_number_index
    response = login(client, actors.worker).post(
        change_url(resident),
        form_data(org, name=resident.name, new_id_number=other_number),
    )
    assert response.status_code == 200
    assert "已有居民登记" in response.content.decode()
    resident.refresh_from_db()
    assert resident.id_number_index == before


# --- access log and history -------------------------------------------------------------------


def test_access_log_admin_for_street_admins_only(client, actors, people):
    services.resident_record_view(actor=actors.worker, resident=people["grid"])
    response = login(client, actors.street_admin).get("/admin/residents/residentaccesslog/")
    assert response.status_code == 200
    assert people["grid"].name in response.content.decode()
    log = ResidentAccessLog.objects.get()
    assert (
        client.post(
            f"/admin/residents/residentaccesslog/{log.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )
    assert ResidentAccessLog.objects.exists()
    for role in ("worker", "grid_leader"):
        assert (
            login(client, getattr(actors, role))
            .get("/admin/residents/residentaccesslog/")
            .status_code
            == 403
        )
    assert (
        login(client, actors.foreign_admin)
        .get(f"/admin/residents/residentaccesslog/{log.pk}/change/")
        .status_code
        == 302
    )


def test_history_view_for_street_admins_and_superusers(client, actors, people):
    resident = people["grid"]
    services.resident_update(actor=actors.worker, resident=resident, notes="行动不便")
    url = f"/admin/residents/resident/{resident.pk}/history/"
    response = login(client, actors.street_admin).get(url)
    assert response.status_code == 200
    assert (
        actors.worker.username in response.content.decode()
        or str(actors.worker) in response.content.decode()
    )
    assert login(client, actors.superuser).get(url).status_code == 200
    for role in ("worker", "grid_leader"):
        assert login(client, getattr(actors, role)).get(url).status_code == 403
    assert login(client, actors.foreign_admin).get(url).status_code == 404


def test_history_cannot_be_reverted_from_the_admin(client, actors, people):
    resident = people["grid"]
    record = resident.history.earliest()
    url = f"/admin/residents/resident/{resident.pk}/history/{record.history_id}/"
    client = login(client, actors.street_admin)
    assert client.get(url).status_code == 200
    assert client.post(url, {"name": "改回"}).status_code == 403


# --- tags and households ----------------------------------------------------------------------


def test_tag_admin_edit_for_street_admins_only(client, actors, org, tags):
    add = "/admin/residents/tag/add/"
    body = {
        "street": org.street.pk,
        "family": "identity",
        "name": "退役军人",
        "color": "#1F6FEB",
        "description": "",
        "sort_order": 0,
    }
    assert login(client, actors.worker).post(add, body).status_code == 403
    assert login(client, actors.worker).get("/admin/residents/tag/").status_code == 200
    response = login(client, actors.street_admin).post(add, body)
    assert response.status_code == 302
    assert Tag.objects.filter(name="退役军人", street=org.street).exists()
    # Duplicate name: a form error, nothing written.
    response = client.post(add, body)
    assert response.status_code == 200
    assert Tag.objects.filter(name="退役军人").count() == 1


def test_household_admin_shows_members_and_saves_through_service(
    client, actors, org, place, make_resident
):
    household = services.household_create(
        actor=actors.worker, community=org.community, building=place.building, room="303"
    )
    make_resident(household=household, name="户主乙", relation_to_head="head")
    client = login(client, actors.worker)
    response = client.get(f"/admin/residents/household/{household.pk}/change/")
    assert response.status_code == 200
    assert "户主乙" in response.content.decode()
    response = client.post(
        "/admin/residents/household/add/",
        {
            "community": org.community.pk,
            "grid": "",
            "building": place.building.pk,
            "room": "303",
            "address": "",
            "phone": "",
            "notes": "",
            "members-TOTAL_FORMS": "0",
            "members-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "已登记为一户" in response.content.decode()
    assert Household.objects.count() == 1
