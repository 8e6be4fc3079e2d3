"""Sign-in: by phone or username, CSRF enforced, axes lock-out with a clear message."""

import pytest
from django.conf import settings
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import Role
from tests.factories import UserFactory, grant
from tests.factories.accounts import ResidentAccountFactory

pytestmark = pytest.mark.django_db

LOGIN = "/api/v1/auth/login/"
PASSWORD = "Pass-word-123"  # UserFactory's


@pytest.fixture
def worker(org):
    return grant(
        UserFactory(username="zhang.worker", phone="13700000001", real_name="张社工"),
        Role.COMMUNITY_WORKER,
        org.community,
    )


@pytest.fixture
def resident_account(org):
    return ResidentAccountFactory(phone="13900000002", claimed_community=org.community)


def csrf_client():
    client = APIClient(enforce_csrf_checks=True)
    token = client.get("/api/v1/auth/csrf/").json()["csrf_token"]
    return client, token


def test_resident_signs_in_with_phone(resident_account):
    client, token = csrf_client()
    response = client.post(
        LOGIN,
        {"username": "13900000002", "password": PASSWORD},
        format="json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 200, response.json()
    assert response.json()["id"] == resident_account.pk
    assert client.get("/api/v1/me/").status_code == 200


@pytest.mark.parametrize("login", ["zhang.worker", "13700000001", "+8613700000001"])
def test_staff_signs_in_with_username_or_phone(worker, login):
    client, token = csrf_client()
    response = client.post(
        LOGIN, {"username": login, "password": PASSWORD}, format="json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 200
    assert response.json()["username"] == "zhang.worker"


def test_wrong_password_is_a_400_without_saying_which_part_was_wrong(worker):
    response = APIClient().post(LOGIN, {"username": "zhang.worker", "password": "nope"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["fields"]["non_field_errors"]
    unknown = APIClient().post(LOGIN, {"username": "nobody", "password": "nope"})
    assert unknown.json()["detail"] == body["detail"]


def test_login_without_csrf_token_is_refused(worker):
    client = APIClient(enforce_csrf_checks=True)
    response = client.post(LOGIN, {"username": "zhang.worker", "password": PASSWORD})
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert "CSRF" in response.json()["detail"]
    assert client.get("/api/v1/me/").status_code == 403


def test_lockout_after_the_failure_limit_even_with_the_right_password(worker):
    limit = settings.AXES_FAILURE_LIMIT
    client = APIClient(REMOTE_ADDR="10.1.1.1")
    for _ in range(limit - 1):
        response = client.post(LOGIN, {"username": "zhang.worker", "password": "wrong"})
        assert response.status_code == 400
    # the limit-th failure locks
    response = client.post(LOGIN, {"username": "zhang.worker", "password": "wrong"})
    assert response.status_code == 429
    # when: the right password, now
    response = client.post(LOGIN, {"username": "zhang.worker", "password": PASSWORD})
    # then: still locked, with a clear message in Chinese and the API's error shape
    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "locked_out"
    assert "锁定" in body["detail"]
    assert body["fields"] == {}
    assert client.get("/api/v1/me/").status_code == 403


def test_phone_and_username_share_one_failure_count(worker):
    client = APIClient(REMOTE_ADDR="10.1.1.2")
    limit = settings.AXES_FAILURE_LIMIT
    for n in range(limit):
        login = "zhang.worker" if n % 2 else "13700000001"
        client.post(LOGIN, {"username": login, "password": "wrong"})
    response = client.post(LOGIN, {"username": "13700000001", "password": PASSWORD})
    assert response.status_code == 429


def test_logout_ends_the_session(worker):
    client = APIClient()
    client.force_login(worker)
    assert client.post("/api/v1/auth/logout/").status_code == 204
    assert client.get("/api/v1/me/").status_code == 403


def test_token_for_staff_scripts(worker):
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "zhang.worker", "password": PASSWORD}
    )
    assert response.status_code == 200
    token = response.json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/me/").json()["username"] == "zhang.worker"
    again = APIClient().post(
        "/api/v1/auth/token/", {"username": "zhang.worker", "password": PASSWORD}
    )
    assert again.json()["token"] == token


def test_token_refused_to_residents(resident_account):
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "13900000002", "password": PASSWORD}
    )
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


# --- The admin's sign-in form -------------------------------------------------------------


@pytest.mark.parametrize("login", ["zhang.worker", "13700000001"])
def test_admin_form_signs_staff_in_by_username_or_phone(worker, login):
    client = Client()
    response = client.post("/admin/login/?next=/admin/", {"username": login, "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_admin_form_refuses_residents(resident_account):
    client = Client()
    response = client.post("/admin/login/", {"username": "13900000002", "password": PASSWORD})
    assert response.status_code == 200  # the form again, with an error
    assert client.get("/admin/").status_code == 302


def test_admin_form_locks_out_with_a_page_in_chinese(worker):
    client = Client(REMOTE_ADDR="10.1.1.3")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": "zhang.worker", "password": "wrong"})
    response = client.post("/admin/login/", {"username": "zhang.worker", "password": PASSWORD})
    assert response.status_code == 429
    assert "锁定" in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_admin_form_is_rate_limited_per_address(worker, settings):
    settings.RATELIMIT_ADMIN_LOGIN = "3/m"
    client = Client(REMOTE_ADDR="10.1.1.4")
    # different usernames, so axes (per username+address) does not lock first
    for n in range(3):
        response = client.post("/admin/login/", {"username": f"guess{n}", "password": "x"})
        assert response.status_code == 200
    response = client.post("/admin/login/", {"username": "zhang.worker", "password": PASSWORD})
    assert response.status_code == 429
    assert "频繁" in response.content.decode()
