"""Granting and ending roles: who may grant what, where; is_staff follows the roles."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from accounts.models import Role, RoleAssignment, User
from accounts.scope import Level, actor_scope, forget_scope
from accounts.services import role_end, role_grant, staff_create
from core.exceptions import ApplicationError
from residents.models import Resident
from tests.factories import ResidentFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/role-assignments/"


def grant_body(user, role, unit, **extra):
    return {"user": user.pk, "role": role, "unit": unit.pk, **extra}


# --- Permission matrix through the API -------------------------------------------------------


def test_street_admin_grants_a_worker_role_in_their_street(client_for, actors, org):
    target = actors.resident
    response = client_for(actors.street_admin).post(
        URL, grant_body(target, "community_worker", org.sibling_community), format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["role"] == "community_worker"
    assert body["unit"] == {"id": org.sibling_community.pk, "name": "二居"}
    assert body["user"]["phone_masked"] == "138****0001"
    target.refresh_from_db()
    assert target.is_staff
    assert RoleAssignment.objects.get(pk=body["id"]).granted_by == actors.street_admin


def test_street_admin_grants_a_grid_leader_role(client_for, actors, org):
    response = client_for(actors.street_admin).post(
        URL, grant_body(actors.resident, "grid_leader", org.other_community_grid), format="json"
    )
    assert response.status_code == 201


def test_street_admin_cannot_grant_in_another_street(client_for, actors, org):
    response = client_for(actors.street_admin).post(
        URL,
        grant_body(actors.resident, "community_worker", org.sibling_street_community),
        format="json",
    )
    assert response.status_code == 403
    assert "unit" in response.json()["fields"]
    assert not RoleAssignment.objects.filter(user=actors.resident).exists()


@pytest.mark.parametrize(
    ("role", "unit_attr"), [("street_admin", "street"), ("district_leader", "district")]
)
def test_street_admin_cannot_grant_senior_roles(client_for, actors, org, role, unit_attr):
    response = client_for(actors.street_admin).post(
        URL, grant_body(actors.resident, role, getattr(org, unit_attr)), format="json"
    )
    assert response.status_code == 403
    assert "role" in response.json()["fields"]


@pytest.mark.parametrize("who", ["worker", "grid_leader", "district_leader", "resident"])
def test_others_cannot_grant(client_for, actors, org, who):
    response = client_for(getattr(actors, who)).post(
        URL, grant_body(actors.resident, "community_worker", org.community), format="json"
    )
    assert response.status_code == 403
    assert not RoleAssignment.objects.filter(user=actors.resident).exists()


def test_anonymous_cannot_grant(api, actors, org):
    response = api.post(URL, grant_body(actors.resident, "community_worker", org.community))
    assert response.status_code == 403


def test_superuser_grants_anything(client_for, actors, org):
    response = client_for(actors.superuser).post(
        URL, grant_body(actors.resident, "street_admin", org.foreign_street), format="json"
    )
    assert response.status_code == 201


def test_street_admin_cannot_grant_to_a_user_they_cannot_see(client_for, actors, org):
    stranger = UserFactory(claimed_community=org.foreign_community)
    response = client_for(actors.street_admin).post(
        URL, grant_body(stranger, "community_worker", org.community), format="json"
    )
    assert response.status_code == 400
    assert "user" in response.json()["fields"]


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"user": "x", "role": "community_worker", "unit": 1},
        {"role": "nobody", "unit": 1},
        {"role": "community_worker", "unit": 999999},
        {"role": "community_worker", "starts_on": "2025-05-01", "ends_on": "2025-04-01"},
        {"role": "community_worker", "starts_on": "not a date"},
    ],
)
def test_bad_grant_input_is_a_400_naming_a_field(client_for, actors, org, body):
    data = {"user": actors.resident.pk, "unit": org.community.pk, **body}
    if not body:
        data = {}
    response = client_for(actors.street_admin).post(URL, data, format="json")
    assert response.status_code == 400, response.json()
    assert response.json()["fields"]


def test_granting_the_same_role_twice_is_a_conflict(client_for, actors, org):
    client = client_for(actors.street_admin)
    body = grant_body(actors.resident, "community_worker", org.community)
    assert client.post(URL, body, format="json").status_code == 201
    assert client.post(URL, body, format="json").status_code == 409


# --- Listing ------------------------------------------------------------------------------------


def listed(client, query=""):
    response = client.get(URL + query)
    assert response.status_code == 200
    return {(row["user"]["username"], row["role"]) for row in response.json()["results"]}


def test_street_admin_lists_the_roles_of_their_street(client_for, actors):
    assert listed(client_for(actors.street_admin)) == {
        ("street", "street_admin"),
        ("worker", "community_worker"),
        ("gridleader", "grid_leader"),
        ("otherworker", "community_worker"),
    }
    assert listed(client_for(actors.street_admin), "?role=grid_leader") == {
        ("gridleader", "grid_leader")
    }
    assert listed(client_for(actors.foreign_admin)) == {("foreign", "street_admin")}


@pytest.mark.parametrize("who", ["worker", "grid_leader", "district_leader", "resident"])
def test_others_cannot_list_roles(client_for, actors, who):
    assert client_for(getattr(actors, who)).get(URL).status_code == 403


def test_role_list_query_count_is_constant(client_for, actors, org, django_assert_max_num_queries):
    client = client_for(actors.street_admin)
    with django_assert_max_num_queries(10):
        client.get(URL)
    for n in range(20):
        role_grant(
            actor=actors.street_admin,
            user=UserFactory(username=f"w{n}"),
            role=Role.COMMUNITY_WORKER,
            unit=org.community,
        )
    with django_assert_max_num_queries(10):
        assert len(client.get(URL).json()["results"]) == 20


# --- Ending roles --------------------------------------------------------------------------------


def end_url(assignment):
    return f"{URL}{assignment.pk}/end/"


def worker_assignment(actors):
    return RoleAssignment.objects.get(user=actors.worker)


def test_ending_the_last_staff_role_clears_is_staff_and_scope_at_once(client_for, actors, org):
    ResidentFactory(community=org.community)
    assignment = worker_assignment(actors)
    RoleAssignment.objects.filter(pk=assignment.pk).update(starts_on=datetime.date(2024, 1, 1))
    # when
    response = client_for(actors.street_admin).post(end_url(assignment), {}, format="json")
    # then
    assert response.status_code == 200, response.json()
    assert response.json()["ends_on"] == str(timezone.localdate() - datetime.timedelta(days=1))
    worker = User.objects.get(pk=actors.worker.pk)
    assert not worker.is_staff
    assert not actor_scope(worker).filter(Resident.objects.all(), Level.PEOPLE).exists()
    # ending it again is a conflict
    assert client_for(actors.street_admin).post(end_url(assignment)).status_code == 409


def test_a_role_granted_today_and_ended_now_is_withdrawn(actors, org):
    target = actors.resident
    assignment = role_grant(
        actor=actors.street_admin, user=target, role=Role.COMMUNITY_WORKER, unit=org.community
    )
    assert User.objects.get(pk=target.pk).is_staff
    assert role_end(actor=actors.street_admin, assignment=assignment) is None
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert not User.objects.get(pk=target.pk).is_staff
    # the history keeps who granted and withdrew it
    history = RoleAssignment.history.filter(id=assignment.pk).order_by("history_date")
    assert [h.history_type for h in history] == ["+", "-"]
    assert history.last().history_user == actors.street_admin


def test_ending_one_of_two_roles_keeps_is_staff(actors, org):
    assignment = worker_assignment(actors)
    role_grant(
        actor=actors.street_admin,
        user=actors.worker,
        role=Role.GRID_LEADER,
        unit=org.other_community_grid,
    )
    RoleAssignment.objects.filter(pk=assignment.pk).update(starts_on=datetime.date(2024, 1, 1))
    role_end(actor=actors.street_admin, assignment=assignment)
    assert User.objects.get(pk=actors.worker.pk).is_staff


def test_a_planned_end_date_keeps_the_role_until_then(client_for, actors):
    assignment = worker_assignment(actors)
    end = timezone.localdate() + datetime.timedelta(days=30)
    response = client_for(actors.street_admin).post(
        end_url(assignment), {"ends_on": end.isoformat()}, format="json"
    )
    assert response.status_code == 200
    worker = User.objects.get(pk=actors.worker.pk)
    assert worker.is_staff
    assert Role.COMMUNITY_WORKER in actor_scope(worker).roles
    with time_machine.travel(end + datetime.timedelta(days=1)):
        forget_scope(worker)
        assert Role.COMMUNITY_WORKER not in actor_scope(worker).roles


def test_end_date_before_start_is_a_400(client_for, actors):
    assignment = worker_assignment(actors)
    response = client_for(actors.street_admin).post(
        end_url(assignment), {"ends_on": "2000-01-01"}, format="json"
    )
    assert response.status_code == 400
    assert "ends_on" in response.json()["fields"]


@pytest.mark.parametrize("who", ["worker", "grid_leader", "district_leader", "resident"])
def test_others_cannot_end_roles(client_for, actors, who):
    response = client_for(getattr(actors, who)).post(end_url(worker_assignment(actors)))
    assert response.status_code == 403


def test_foreign_admin_gets_404_when_ending(client_for, actors):
    response = client_for(actors.foreign_admin).post(end_url(worker_assignment(actors)))
    assert response.status_code == 404


def test_street_admin_cannot_end_a_fellow_street_admin(client_for, actors):
    theirs = RoleAssignment.objects.get(user=actors.street_admin)
    response = client_for(actors.street_admin).post(end_url(theirs))
    assert response.status_code == 403


# --- Staff accounts ----------------------------------------------------------------------------


def test_street_admin_creates_a_worker_account(actors, org):
    user = staff_create(
        actor=actors.street_admin,
        username="li.worker",
        real_name="李社工",
        password="Qiu-shui-2024!",
        role=Role.COMMUNITY_WORKER,
        unit=org.sibling_community,
        phone="13600000009",
    )
    assert user.is_staff
    assert user.check_password("Qiu-shui-2024!")
    assert Role.COMMUNITY_WORKER in actor_scope(user).roles


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"username": "worker"}, "username"),
        ({"password": "123"}, "password"),
        ({"phone": "12"}, "phone"),
        ({"phone": "13800000001"}, "phone"),
        ({"real_name": ""}, "real_name"),
    ],
)
def test_staff_create_bad_input(actors, org, kwargs, field):
    data = {
        "username": "li.worker",
        "real_name": "李社工",
        "password": "Qiu-shui-2024!",
        "role": Role.COMMUNITY_WORKER,
        "unit": org.community,
        **kwargs,
    }
    with pytest.raises(ApplicationError) as exc:
        staff_create(actor=actors.street_admin, **data)
    assert field in exc.value.fields
    assert not User.objects.filter(username="li.worker").exists()


def test_staff_create_in_another_street_writes_nothing(actors, org):
    with pytest.raises(ApplicationError) as exc:
        staff_create(
            actor=actors.street_admin,
            username="li.worker",
            real_name="李社工",
            password="Qiu-shui-2024!",
            role=Role.COMMUNITY_WORKER,
            unit=org.sibling_street_community,
        )
    assert exc.value.code == "forbidden"
    assert not User.objects.filter(username="li.worker").exists()


def test_worker_cannot_create_staff(actors, org):
    with pytest.raises(ApplicationError):
        staff_create(
            actor=actors.worker,
            username="li.worker",
            real_name="李社工",
            password="Qiu-shui-2024!",
            role=Role.COMMUNITY_WORKER,
            unit=org.community,
        )
    assert not User.objects.filter(username="li.worker").exists()
