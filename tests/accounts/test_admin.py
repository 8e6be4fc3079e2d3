"""The admin for accounts and roles: scoped lists, masked phones, writes through services."""

import pytest
from django.test import Client

from accounts.models import Role, RoleAssignment, User
from tests.factories import ResidentFactory, UserFactory
from tests.factories.accounts import ResidentAccountFactory

pytestmark = pytest.mark.django_db

USERS = "/admin/accounts/user/"
ROLES = "/admin/accounts/roleassignment/"


def admin_client(user):
    client = Client()
    client.force_login(user)
    return client


def changelist_ids(client, url=USERS):
    response = client.get(url)
    assert response.status_code == 200
    return {obj.pk for obj in response.context["cl"].result_list}


def test_worker_sees_accounts_claiming_their_community_with_masked_phones(actors, org):
    other = ResidentAccountFactory(claimed_community=org.sibling_community)
    client = admin_client(actors.worker)
    assert changelist_ids(client) == {actors.resident.pk}
    page = client.get(USERS).content.decode()
    assert "138****0001" in page
    assert "13800000001" not in page.replace('"13800000001"', "").replace(">13800000001<", "")
    assert client.get(f"{USERS}{other.pk}/change/").status_code == 302  # not found → index


def test_street_admin_sees_role_holders_and_residents_of_their_street(actors, org):
    sibling = ResidentAccountFactory(claimed_community=org.sibling_community)
    ResidentAccountFactory(claimed_community=org.foreign_community)
    ids = changelist_ids(admin_client(actors.street_admin))
    assert ids == {
        actors.resident.pk,
        sibling.pk,
        actors.street_admin.pk,
        actors.worker.pk,
        actors.grid_leader.pk,
        actors.other_worker.pk,
    }


@pytest.mark.parametrize("who", ["district_leader", "grid_leader"])
def test_leaders_and_grid_leaders_do_not_browse_accounts(actors, who):
    assert admin_client(getattr(actors, who)).get(USERS).status_code == 403


def test_worker_edits_a_name_but_not_privileges(actors, org):
    client = admin_client(actors.worker)
    url = f"{USERS}{actors.resident.pk}/change/"
    form = client.get(url).context["adminform"].form
    assert "is_staff" not in form.fields and "is_superuser" not in form.fields
    response = client.post(
        url,
        {
            "real_name": "王阿姨改",
            "claimed_community": org.community.pk,
            "claimed_address": "3号楼",
            "is_superuser": "on",
            "is_staff": "on",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    account = User.objects.get(pk=actors.resident.pk)
    assert account.real_name == "王阿姨改"
    assert account.claimed_address == "3号楼"
    assert not account.is_superuser and not account.is_staff


def test_street_admin_may_not_edit_or_reset_a_fellow_street_admin(actors, org):
    peer = UserFactory(username="peer")
    from tests.factories import grant

    grant(peer, Role.STREET_ADMIN, org.street)
    client = admin_client(actors.street_admin)
    assert client.post(f"{USERS}{peer.pk}/change/", {"real_name": "x"}).status_code == 403
    response = client.post(
        f"{USERS}{peer.pk}/password/",
        {"password1": "Xin-mi-ma-2024!", "password2": "Xin-mi-ma-2024!"},
    )
    assert response.status_code == 403
    assert User.objects.get(pk=peer.pk).check_password("Pass-word-123")


def test_street_admin_creates_a_worker_through_the_admin(actors, org):
    client = admin_client(actors.street_admin)
    response = client.post(
        f"{USERS}add/",
        {
            "username": "li.worker",
            "real_name": "李社工",
            "phone": "13600000009",
            "password1": "Qiu-shui-2024!",
            "password2": "Qiu-shui-2024!",
            "role": Role.COMMUNITY_WORKER,
            "community": org.sibling_community.pk,
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(username="li.worker")
    assert user.is_staff
    assert RoleAssignment.objects.get(user=user).community == org.sibling_community


def test_admin_add_refuses_a_community_of_another_street_and_weak_passwords(actors, org):
    client = admin_client(actors.street_admin)
    response = client.post(
        f"{USERS}add/",
        {
            "username": "li.worker",
            "real_name": "李社工",
            "password1": "123",
            "password2": "123",
            "role": Role.STREET_ADMIN,
            "community": org.sibling_street_community.pk,
        },
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "password1" in errors and "role" in errors and "community" in errors
    assert not User.objects.filter(username="li.worker").exists()


def test_review_page_finds_residents_by_name_in_scope_and_verifies(actors, org):
    mine = ResidentFactory(community=org.community, name="王阿姨")
    ResidentFactory(community=org.sibling_street_community, name="王阿姨")  # out of scope
    client = admin_client(actors.worker)
    url = f"{USERS}{actors.resident.pk}/review/?q=王阿姨"
    page = client.get(url)
    assert page.status_code == 200
    assert [r.pk for r in page.context["candidates"]] == [mine.pk]
    response = client.post(url, {"verify": "1", "resident": mine.pk})
    assert response.status_code == 302
    account = User.objects.get(pk=actors.resident.pk)
    assert account.verification_status == User.Verification.VERIFIED
    assert account.verified_by == actors.worker


def test_review_page_rejects_with_a_note(actors):
    client = admin_client(actors.worker)
    url = f"{USERS}{actors.resident.pk}/review/"
    response = client.post(url, {"reject": "1", "note": "查无此人"})
    assert response.status_code == 302
    assert User.objects.get(pk=actors.resident.pk).verification_note == "查无此人"


def test_review_page_of_another_community_is_not_found(actors, org):
    response = admin_client(actors.other_worker).get(f"{USERS}{actors.resident.pk}/review/")
    assert response.status_code == 404


def test_review_refuses_a_resident_out_of_scope(actors, org):
    elsewhere = ResidentFactory(community=org.sibling_community)
    client = admin_client(actors.worker)
    response = client.post(
        f"{USERS}{actors.resident.pk}/review/", {"verify": "1", "resident": elsewhere.pk}
    )
    assert response.status_code == 200
    assert User.objects.get(pk=actors.resident.pk).verification_status == "pending"


# --- Role assignments -------------------------------------------------------------------------


def test_street_admin_lists_and_grants_roles_in_their_street(actors, org):
    client = admin_client(actors.street_admin)
    assert changelist_ids(client, ROLES) == set(
        RoleAssignment.objects.filter(
            user__in=[actors.street_admin, actors.worker, actors.grid_leader, actors.other_worker]
        ).values_list("pk", flat=True)
    )
    response = client.post(
        f"{ROLES}add/",
        {
            "user": actors.resident.pk,
            "role": Role.GRID_LEADER,
            "grid": org.sibling_grid.pk,
            "starts_on": "2025-01-01",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assignment = RoleAssignment.objects.get(user=actors.resident)
    assert assignment.granted_by == actors.street_admin
    assert User.objects.get(pk=actors.resident.pk).is_staff


def test_admin_grant_outside_the_street_is_refused(actors, org):
    client = admin_client(actors.street_admin)
    response = client.post(
        f"{ROLES}add/",
        {
            "user": actors.resident.pk,
            "role": Role.COMMUNITY_WORKER,
            "community": org.sibling_street_community.pk,
            "starts_on": "2025-01-01",
        },
    )
    assert response.status_code == 200
    assert not RoleAssignment.objects.filter(user=actors.resident).exists()


def test_admin_action_ends_roles_at_once(actors):
    client = admin_client(actors.street_admin)
    assignment = RoleAssignment.objects.get(user=actors.worker)
    RoleAssignment.objects.filter(pk=assignment.pk).update(starts_on="2024-01-01")
    response = client.post(ROLES, {"action": "end_now", "_selected_action": [assignment.pk]})
    assert response.status_code == 302
    assert RoleAssignment.objects.get(pk=assignment.pk).ends_on is not None
    assert not User.objects.get(pk=actors.worker.pk).is_staff


@pytest.mark.parametrize("who", ["worker", "grid_leader", "district_leader"])
def test_others_cannot_open_role_admin(actors, who):
    assert admin_client(getattr(actors, who)).get(ROLES).status_code == 403


def test_worker_signs_in_to_the_admin_and_sees_accounts_module(actors):
    page = admin_client(actors.worker).get("/admin/")
    assert page.status_code == 200
    assert "/admin/accounts/user/" in page.content.decode()
