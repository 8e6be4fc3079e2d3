"""The write rules of the residents services, called directly (as imports and the admin do)."""

import datetime

import pytest

from accounts.models import Role
from core.exceptions import ApplicationError
from residents import services
from residents.idcard import check_char
from residents.models import Household, Resident, ResidentAccessLog, Tag, TagFamily
from tests.factories.accounts import UserFactory, grant
from tests.factories.residents import valid_id_number


def test_create_fills_birth_date_and_gender_from_the_id(make_resident):
    first17 = "31010419720815013"
    resident = make_resident(id_number=first17 + check_char(first17))
    assert resident.birth_date == datetime.date(1972, 8, 15)
    assert resident.gender == Resident.Gender.MALE


def test_given_birth_date_and_gender_are_kept(make_resident):
    resident = make_resident(
        id_number=valid_id_number(1), birth_date=datetime.date(1958, 3, 2), gender="female"
    )
    assert resident.birth_date == datetime.date(1958, 3, 2)
    assert resident.gender == "female"


def test_duplicate_id_number_is_refused_even_in_another_community(make_resident, org):
    number = valid_id_number(7)
    make_resident(id_number=number)
    with pytest.raises(ApplicationError) as exc:
        make_resident(id_number=number.lower(), community=org.foreign_community)
    assert "id_number" in exc.value.fields
    # The message does not say where the other record is.
    assert org.community.name not in exc.value.message
    assert Resident.objects.count() == 1


def test_building_fills_the_grid(make_resident, org, place):
    resident = make_resident(building=place.building)
    assert resident.grid == org.grid


@pytest.mark.parametrize(
    "field",
    ["grid", "building", "household"],
)
def test_place_outside_the_community_is_refused(make_resident, org, place, actors, field):
    other = {
        "grid": org.other_community_grid,
        "building": place.other_building,
        "household": services.household_create(
            actor=actors.superuser,
            community=org.sibling_community,
            building=place.other_building,
            room="101",
        ),
    }[field]
    with pytest.raises(ApplicationError) as exc:
        make_resident(**{field: other})
    assert field in exc.value.fields
    assert not Resident.objects.exists()


def test_building_of_another_grid_is_refused(make_resident, org, place):
    with pytest.raises(ApplicationError) as exc:
        make_resident(grid=org.sibling_grid, building=place.building)
    assert "building" in exc.value.fields


def test_household_fills_building_grid_and_room(make_resident, actors, org, place):
    household = services.household_create(
        actor=actors.worker, community=org.community, building=place.building, room="302"
    )
    resident = make_resident(household=household, relation_to_head="head")
    assert (resident.grid, resident.building, resident.room) == (org.grid, place.building, "302")


@pytest.mark.parametrize(
    "role, allowed",
    [
        ("superuser", True),
        ("street_admin", True),
        ("worker", True),
        ("grid_leader", True),
        ("other_worker", False),
        ("foreign_admin", False),
        ("district_leader", False),
        ("resident", False),
    ],
)
def test_who_may_create_a_resident_in_the_grid(make_resident, actors, org, role, allowed):
    actor = getattr(actors, role)
    if allowed:
        assert make_resident(actor, grid=org.grid).pk
    else:
        with pytest.raises(ApplicationError) as exc:
            make_resident(actor, grid=org.grid)
        assert exc.value.code == "forbidden"
        assert not Resident.objects.exists()


def test_grid_leader_may_not_file_outside_their_grid(make_resident, actors, org):
    for place in ({}, {"grid": org.sibling_grid}):
        with pytest.raises(ApplicationError) as exc:
            make_resident(actors.grid_leader, **place)
        assert exc.value.code == "forbidden"


def test_grid_leader_may_not_move_a_resident_out_of_their_grid(make_resident, actors, org):
    resident = make_resident(grid=org.grid)
    with pytest.raises(ApplicationError) as exc:
        services.resident_update(actor=actors.grid_leader, resident=resident, grid=org.sibling_grid)
    assert exc.value.code == "forbidden"
    resident.refresh_from_db()
    assert resident.grid == org.grid


def test_update_changes_only_given_fields_and_replaces_tags(make_resident, actors, tags):
    resident = make_resident(phone="13812345678", tags=[tags.party, tags.alone], notes="独居")
    services.resident_update(actor=actors.worker, resident=resident, tags=[tags.meals])
    resident.refresh_from_db()
    assert set(resident.tags.all()) == {tags.meals}
    assert resident.phone == "13812345678"
    assert resident.notes == "独居"


def test_update_with_a_new_id_number_refreshes_masked_copy_and_birth_date(make_resident, actors):
    resident = make_resident(id_number=valid_id_number(1, born="19580301"))
    new = valid_id_number(2, born="19600505")
    services.resident_update(actor=actors.worker, resident=resident, id_number=new)
    resident.refresh_from_db()
    assert resident.id_number_masked == new[:4] + "*" * 10 + new[-4:]
    assert resident.birth_date == datetime.date(1960, 5, 5)
    assert services.resident_find_by_id_number(actor=actors.worker, id_number=new) == resident


def test_update_may_clear_the_id_number(make_resident, actors):
    resident = make_resident()
    services.resident_update(actor=actors.worker, resident=resident, id_number="")
    resident.refresh_from_db()
    assert (resident.id_number_encrypted, resident.id_number_index, resident.id_number_masked) == (
        "",
        "",
        "",
    )


def test_update_refuses_another_residents_number(make_resident, actors):
    first, second = make_resident(), make_resident()
    number = services.resident_reveal_id_number(
        actor=actors.superuser, resident=first, reason="测试"
    )
    with pytest.raises(ApplicationError) as exc:
        services.resident_update(actor=actors.worker, resident=second, id_number=number)
    assert "id_number" in exc.value.fields


def test_update_rejects_unknown_fields(make_resident, actors):
    with pytest.raises(TypeError):
        services.resident_update(actor=actors.worker, resident=make_resident(), nickname="x")


def test_tags_of_another_street_are_refused(make_resident, tags):
    with pytest.raises(ApplicationError) as exc:
        make_resident(tags=[tags.foreign])
    assert "tags" in exc.value.fields


def test_change_history_names_the_acting_user_outside_a_request(make_resident, actors, tags):
    resident = make_resident(actors.worker, name="张三")
    services.resident_update(
        actor=actors.street_admin, resident=resident, name="张三丰", tags=[tags.party]
    )
    records = list(resident.history.order_by("history_date", "history_id"))
    assert records[0].history_type == "+"
    assert records[0].history_user == actors.worker
    assert {r.history_user for r in records[1:]} == {actors.street_admin}
    latest = resident.history.latest()
    assert latest.name == "张三丰"
    assert [t.tag_id for t in latest.tags.all()] == [tags.party.pk]
    delta = latest.diff_against(records[0])
    assert "name" in delta.changed_fields


def test_find_by_id_number_is_exact_and_scoped(make_resident, actors, org):
    mine = make_resident(id_number=valid_id_number(11), grid=org.grid)
    make_resident(id_number=valid_id_number(12), grid=org.grid)
    elsewhere = make_resident(id_number=valid_id_number(13), community=org.sibling_community)

    assert (
        services.resident_find_by_id_number(actor=actors.worker, id_number=valid_id_number(11))
        == mine
    )
    assert (
        services.resident_find_by_id_number(actor=actors.worker, id_number=valid_id_number(14))
        is None
    )
    # Exists, but outside the worker's community: not found for them.
    assert (
        services.resident_find_by_id_number(actor=actors.worker, id_number=valid_id_number(13))
        is None
    )
    assert (
        services.resident_find_by_id_number(
            actor=actors.street_admin, id_number=valid_id_number(13)
        )
        == elsewhere
    )
    assert (
        services.resident_find_by_id_number(
            actor=actors.district_leader, id_number=valid_id_number(11)
        )
        is None
    )


def test_find_by_a_malformed_number_is_an_input_error(actors):
    with pytest.raises(ApplicationError) as exc:
        services.resident_find_by_id_number(actor=actors.worker, id_number="3101")
    assert "id_number" in exc.value.fields


def test_reveal_requires_a_reason_and_logs_it(make_resident, actors):
    resident = make_resident()
    with pytest.raises(ApplicationError) as exc:
        services.resident_reveal_id_number(actor=actors.worker, resident=resident, reason="  ")
    assert "reason" in exc.value.fields
    assert not resident.access_logs.exists()
    services.resident_reveal_id_number(
        actor=actors.worker, resident=resident, reason="办理高龄津贴", ip="10.0.0.1"
    )
    log = resident.access_logs.get()
    assert (log.action, log.reason, log.user, log.ip_address) == (
        "reveal_id",
        "办理高龄津贴",
        actors.worker,
        "10.0.0.1",
    )


@pytest.mark.parametrize("role", ["grid_leader", "other_worker", "district_leader", "resident"])
def test_reveal_is_refused_to(make_resident, actors, org, role):
    resident = make_resident(grid=org.grid)
    with pytest.raises(ApplicationError) as exc:
        services.resident_reveal_id_number(
            actor=getattr(actors, role), resident=resident, reason="看看"
        )
    assert exc.value.code == "forbidden"
    assert not resident.access_logs.exists()


def test_access_log_survives_deletion_of_the_record(make_resident, actors):
    resident = make_resident(name="李四")
    services.resident_record_view(actor=actors.worker, resident=resident)
    services.resident_delete(actor=actors.street_admin, resident=resident)
    log = ResidentAccessLog.objects.get()
    assert log.resident_id is None
    assert log.resident_name == "李四"


def test_only_street_admins_delete_residents(make_resident, actors):
    resident = make_resident()
    with pytest.raises(ApplicationError):
        services.resident_delete(actor=actors.worker, resident=resident)
    assert Resident.objects.filter(pk=resident.pk).exists()


# --- tags -------------------------------------------------------------------------------------


def test_tags_get_or_create_matches_by_name_and_creates_missing(actors, org, tags):
    result = services.tags_get_or_create(
        actor=actors.worker,
        street=org.street,
        names=[" 党员", "低保", "", "低保"],
        family=TagFamily.SERVICE,
    )
    assert [t.name for t in result] == ["党员", "低保"]
    assert result[0] == tags.party
    assert result[1].family == TagFamily.SERVICE and result[1].street == org.street
    # Matching is per street: the foreign street's 党员 is not used, nor duplicated.
    assert Tag.objects.filter(name="党员").count() == 2


def test_tags_get_or_create_refuses_a_street_out_of_scope(actors, org):
    with pytest.raises(ApplicationError) as exc:
        services.tags_get_or_create(actor=actors.worker, street=org.foreign_street, names=["x"])
    assert exc.value.code == "forbidden"


def test_tag_create_is_for_street_admins(actors, org):
    tag = services.tag_create(
        actor=actors.street_admin, street=org.street, name="退役军人", color="#1a7f37"
    )
    assert tag.color == "#1A7F37"
    for role in ("worker", "grid_leader", "foreign_admin", "district_leader"):
        with pytest.raises(ApplicationError) as exc:
            services.tag_create(actor=getattr(actors, role), street=org.street, name=f"新{role}")
        assert exc.value.code == "forbidden"


@pytest.mark.parametrize(
    "fields, bad",
    [
        ({"name": ""}, "name"),
        ({"name": "党员"}, "name"),
        ({"name": "新", "color": "red"}, "color"),
        ({"name": "新", "family": "hobby"}, "family"),
        ({"name": "x" * 33}, "name"),
    ],
)
def test_tag_create_bad_input(actors, org, tags, fields, bad):
    before = Tag.objects.count()
    with pytest.raises(ApplicationError) as exc:
        services.tag_create(actor=actors.street_admin, street=org.street, **fields)
    assert bad in exc.value.fields
    assert Tag.objects.count() == before


# --- households -------------------------------------------------------------------------------


def test_household_room_is_unique_in_a_building(actors, org, place):
    services.household_create(
        actor=actors.worker, community=org.community, building=place.building, room="101"
    )
    with pytest.raises(ApplicationError) as exc:
        services.household_create(
            actor=actors.worker, community=org.community, building=place.building, room="101"
        )
    assert "room" in exc.value.fields
    assert Household.objects.count() == 1


def test_household_scope(actors, org, place):
    with pytest.raises(ApplicationError) as exc:
        services.household_create(actor=actors.other_worker, community=org.community)
    assert exc.value.code == "forbidden"
    household = services.household_create(
        actor=actors.grid_leader, community=org.community, building=place.building, room="1"
    )
    assert household.grid == org.grid
    with pytest.raises(ApplicationError):
        services.household_update(
            actor=actors.grid_leader, household=household, building=place.sibling_building
        )


def test_a_role_granted_later_takes_effect(make_resident, org):
    user = UserFactory()
    with pytest.raises(ApplicationError):
        make_resident(user)
    grant(user, Role.COMMUNITY_WORKER, org.community)
    assert make_resident(user).pk
