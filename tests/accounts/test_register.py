"""Resident self sign-up: phone is the login, Django's password rules, throttled per address."""

import pytest
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from accounts.models import User
from accounts.rules import is_verified_resident
from tests.factories.accounts import ResidentAccountFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/auth/register/"
GOOD_PASSWORD = "Lan-hua-2024!"


def payload(org, **overrides):
    data = {
        "phone": "13912345678",
        "real_name": "王阿姨",
        "password": GOOD_PASSWORD,
        "claimed_community": org.community.pk,
        "claimed_address": "12号楼302室",
    }
    data.update(overrides)
    return data


def test_register_creates_a_pending_account_signed_in(api, org):
    # when
    response = api.post(URL, payload(org), format="json")
    # then
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["phone_masked"] == "139****5678"
    assert body["verification_status"] == "pending"
    assert body["can"]["can_act"] is False
    user = User.objects.get(phone="13912345678")
    assert user.username == "13912345678"
    assert user.claimed_community == org.community
    assert user.check_password(GOOD_PASSWORD)
    assert not user.is_staff
    assert not is_verified_resident(user)
    # signed in: `me` answers
    assert api.get("/api/v1/me/").json()["id"] == user.pk


def test_register_accepts_a_plus86_number(api, org):
    response = api.post(URL, payload(org, phone="+86 139 1234 5678"), format="json")
    assert response.status_code == 201
    assert User.objects.filter(phone="13912345678").exists()


def test_duplicate_phone_is_refused_on_the_phone_field(api, org):
    ResidentAccountFactory(phone="13912345678")
    response = api.post(URL, payload(org), format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert "phone" in body["fields"]
    assert User.objects.filter(phone="13912345678").count() == 1


@pytest.mark.parametrize("password", ["12345678", "password", "abc", "13912345678"])
def test_weak_password_is_refused_on_the_password_field(api, org, password):
    response = api.post(URL, payload(org, password=password), format="json")
    assert response.status_code == 400
    assert "password" in response.json()["fields"]
    assert not User.objects.filter(phone="13912345678").exists()


@pytest.mark.parametrize("phone", ["12345", "23912345678", "1391234567x", ""])
def test_bad_phone_is_refused_on_the_phone_field(api, org, phone):
    response = api.post(URL, payload(org, phone=phone), format="json")
    assert response.status_code == 400
    assert "phone" in response.json()["fields"]


def test_unknown_community_is_refused(api, org):
    response = api.post(URL, payload(org, claimed_community=999999), format="json")
    assert response.status_code == 400
    assert "claimed_community" in response.json()["fields"]


@pytest.mark.parametrize("missing", ["phone", "real_name", "password", "claimed_community"])
def test_missing_fields_are_named(api, org, missing):
    data = payload(org)
    del data[missing]
    response = api.post(URL, data, format="json")
    assert response.status_code == 400
    assert missing in response.json()["fields"]


def test_the_eleventh_sign_up_in_an_hour_from_one_address_is_throttled(api, org, monkeypatch):
    # DRF reads the rates into the class at import: patch the dict it actually consults.
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "signup", "10/hour")
    for n in range(10):
        client = APIClient(REMOTE_ADDR="10.0.0.7")
        response = client.post(URL, payload(org, phone=f"1391234{n:04d}"), format="json")
        assert response.status_code == 201, (n, response.json())
    # when
    response = APIClient(REMOTE_ADDR="10.0.0.7").post(
        URL, payload(org, phone="13912349999"), format="json"
    )
    # then
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert not User.objects.filter(phone="13912349999").exists()
    # another address is not affected
    other = APIClient(REMOTE_ADDR="10.0.0.8").post(
        URL, payload(org, phone="13912349999"), format="json"
    )
    assert other.status_code == 201


def test_register_enforces_csrf(org):
    client = APIClient(enforce_csrf_checks=True)
    response = client.post(URL, payload(org), format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    token = client.get("/api/v1/auth/csrf/").json()["csrf_token"]
    response = client.post(URL, payload(org), format="json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201
