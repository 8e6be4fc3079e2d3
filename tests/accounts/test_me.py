"""`me`: who am I, my roles and units, where my resident record lives, what I may do now."""

import json

import pytest

from accounts.services import account_verify
from tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db

ROLES = ["superuser", "district_leader", "street_admin", "worker", "grid_leader", "resident"]


def me(client_for, user):
    response = client_for(user).get("/api/v1/me/")
    assert response.status_code == 200
    return response.json()


def test_anonymous_gets_403(api):
    response = api.get("/api/v1/me/")
    assert response.status_code == 403
    assert set(response.json()) == {"detail", "code", "fields"}


@pytest.mark.parametrize(
    ("who", "role", "unit_type", "unit_attr", "verify", "grant"),
    [
        ("district_leader", "district_leader", "district", "district", False, False),
        ("street_admin", "street_admin", "street", "street", True, True),
        ("worker", "community_worker", "community", "community", True, False),
        ("grid_leader", "grid_leader", "grid", "grid", True, False),
    ],
)
def test_staff_see_their_roles_and_units(
    client_for, actors, org, who, role, unit_type, unit_attr, verify, grant
):
    body = me(client_for, getattr(actors, who))
    assert [(r["role"], r["unit_type"], r["unit"]["id"]) for r in body["roles"]] == [
        (role, unit_type, getattr(org, unit_attr).pk)
    ]
    assert body["can"] == {
        "can_act": False,
        "is_staff": True,
        "verify_accounts": verify,
        "grant_roles": grant,
    }
    assert body["resident"] is None


def test_superuser_may_do_everything_staff_may(client_for, actors):
    body = me(client_for, actors.superuser)
    assert body["can"]["verify_accounts"] and body["can"]["grant_roles"]
    assert body["roles"] == []


def test_unverified_resident_may_read_but_not_act(client_for, actors, org):
    body = me(client_for, actors.resident)
    assert body["verification_status"] == "pending"
    assert body["claimed_community"] == {"id": org.community.pk, "name": "一居"}
    assert body["phone_masked"] == "138****0001"
    assert "13800000001" not in json.dumps(body).replace(body["username"], "")
    assert body["can"] == {
        "can_act": False,
        "is_staff": False,
        "verify_accounts": False,
        "grant_roles": False,
    }


def test_verified_resident_sees_their_community_and_no_id_number(client_for, actors, org):
    record = ResidentFactory(
        community=org.community,
        grid=org.grid,
        name="王阿姨",
        phone="13800000001",
        id_number_masked="3101**********1234",
        id_number_encrypted="v1:k:secret",
        id_number_index="deadbeef",
    )
    account_verify(actor=actors.worker, account=actors.resident, resident=record)
    # when
    body = me(client_for, actors.resident)
    # then
    assert body["verification_status"] == "verified"
    assert body["resident"] == {
        "community": {"id": org.community.pk, "name": "一居"},
        "street": {"id": org.street.pk, "name": "甲一街道"},
        "grid": {"id": org.grid.pk, "name": "一格"},
    }
    assert body["can"]["can_act"] is True
    text = json.dumps(body, ensure_ascii=False)
    for secret in ("id_number", "3101", "1234", "secret", "deadbeef"):
        assert secret not in text


@pytest.mark.parametrize("who", ROLES)
def test_me_never_mentions_an_id_number(client_for, actors, who):
    text = json.dumps(me(client_for, getattr(actors, who)), ensure_ascii=False)
    assert "id_number" not in text


def test_me_query_count_does_not_grow_with_roles(
    client_for, actors, org, django_assert_max_num_queries
):
    from accounts.models import Role
    from tests.factories import CommunityFactory, grant

    client = client_for(actors.worker)
    with django_assert_max_num_queries(10):
        client.get("/api/v1/me/")
    for _ in range(10):
        grant(actors.worker, Role.COMMUNITY_WORKER, CommunityFactory(street=org.street))
    with django_assert_max_num_queries(10):
        body = client.get("/api/v1/me/").json()
    assert len(body["roles"]) == 11
