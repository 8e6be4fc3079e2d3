"""Real-name verification: a worker links a pending account to its resident record."""

import threading

import pytest
from django.db import connection

from accounts.models import User
from accounts.rules import is_verified_resident
from accounts.scope import forget_scope
from core.exceptions import ApplicationError
from residents.models import Resident
from tests.factories import ResidentFactory
from tests.factories.accounts import ResidentAccountFactory

pytestmark = pytest.mark.django_db


def verify(client, account, resident):
    return client.post(
        f"/api/v1/accounts/{account.pk}/verify/", {"resident": resident.pk}, format="json"
    )


def test_worker_verifies_an_account_of_their_community(client_for, actors, resident_record):
    account = actors.resident
    assert not is_verified_resident(account)
    # when
    response = verify(client_for(actors.worker), account, resident_record)
    # then
    assert response.status_code == 200, response.json()
    assert response.json()["verification_status"] == "verified"
    account.refresh_from_db()
    forget_scope(account)
    assert account.verification_status == User.Verification.VERIFIED
    assert account.verified_by == actors.worker
    assert account.verified_at is not None
    assert Resident.objects.get(pk=resident_record.pk).account == account
    assert is_verified_resident(account)
    # the change of the resident record is in its history, with the worker's name
    last = resident_record.history.latest()
    assert last.account_id == account.pk
    assert last.history_user == actors.worker


@pytest.mark.parametrize("who", ["street_admin", "superuser"])
def test_street_admin_and_superuser_may_verify(client_for, actors, resident_record, who):
    assert (
        verify(client_for(getattr(actors, who)), actors.resident, resident_record).status_code
        == 200
    )


def test_worker_of_another_community_gets_404(client_for, actors, resident_record):
    response = verify(client_for(actors.other_worker), actors.resident, resident_record)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    actors.resident.refresh_from_db()
    assert actors.resident.verification_status == User.Verification.PENDING


@pytest.mark.parametrize("who", ["district_leader", "resident"])
def test_district_leader_and_residents_are_refused(client_for, actors, resident_record, who):
    response = verify(client_for(getattr(actors, who)), actors.resident, resident_record)
    assert response.status_code == 403
    assert Resident.objects.get(pk=resident_record.pk).account is None


def test_foreign_admin_gets_404(client_for, actors, resident_record):
    assert (
        verify(client_for(actors.foreign_admin), actors.resident, resident_record).status_code
        == 404
    )


def test_anonymous_is_refused(api, actors, resident_record):
    assert verify(api, actors.resident, resident_record).status_code == 403


def test_verifying_twice_is_refused(client_for, actors, resident_record):
    client = client_for(actors.worker)
    assert verify(client, actors.resident, resident_record).status_code == 200
    response = verify(client, actors.resident, resident_record)
    # a verified account is no longer in the review queue
    assert response.status_code == 404
    with pytest.raises(ApplicationError) as exc:
        from accounts.services import account_verify

        account_verify(actor=actors.worker, account=actors.resident, resident=resident_record)
    assert exc.value.code == "conflict"


def test_a_resident_linked_to_another_account_is_refused(client_for, actors, org, resident_record):
    first = ResidentAccountFactory(claimed_community=org.community)
    client = client_for(actors.worker)
    assert verify(client, first, resident_record).status_code == 200
    response = verify(client, actors.resident, resident_record)
    assert response.status_code == 409
    assert "resident" in response.json()["fields"]
    actors.resident.refresh_from_db()
    assert actors.resident.verification_status == User.Verification.PENDING


def test_a_resident_outside_the_workers_scope_is_a_400_on_resident(client_for, actors, org):
    elsewhere = ResidentFactory(community=org.sibling_community)
    response = verify(client_for(actors.worker), actors.resident, elsewhere)
    assert response.status_code == 400
    assert "resident" in response.json()["fields"]


def test_grid_leader_may_not_verify_outside_their_grid(actors, org):
    """Grid leaders cover residents of their grid, not accounts claiming the community."""
    from accounts.services import account_verify

    record = ResidentFactory(community=org.community, grid=org.grid)
    with pytest.raises(ApplicationError) as exc:
        account_verify(actor=actors.grid_leader, account=actors.resident, resident=record)
    assert exc.value.code == "forbidden"


@pytest.mark.parametrize("body", [{}, {"resident": "x"}, {"resident": 0}, {"resident": 99999}])
def test_bad_input_names_the_field(client_for, actors, body):
    response = client_for(actors.worker).post(
        f"/api/v1/accounts/{actors.resident.pk}/verify/", body, format="json"
    )
    assert response.status_code == 400
    assert "resident" in response.json()["fields"]


# --- Rejection ----------------------------------------------------------------------------------


def test_reject_with_a_note_then_verify_later(client_for, actors, resident_record):
    client = client_for(actors.worker)
    response = client.post(
        f"/api/v1/accounts/{actors.resident.pk}/reject/",
        {"note": "未找到该住址的登记"},
        format="json",
    )
    assert response.status_code == 200
    actors.resident.refresh_from_db()
    assert actors.resident.verification_status == User.Verification.REJECTED
    assert actors.resident.verification_note == "未找到该住址的登记"
    me = client_for(actors.resident).get("/api/v1/me/").json()
    assert me["verification_note"] == "未找到该住址的登记"
    # rejecting again is a conflict; verifying after a correction works
    again = client.post(
        f"/api/v1/accounts/{actors.resident.pk}/reject/", {"note": "再次"}, format="json"
    )
    assert again.status_code == 409
    assert verify(client, actors.resident, resident_record).status_code == 200


@pytest.mark.parametrize("body", [{}, {"note": ""}, {"note": "字" * 201}])
def test_reject_needs_a_note(client_for, actors, body):
    response = client_for(actors.worker).post(
        f"/api/v1/accounts/{actors.resident.pk}/reject/", body, format="json"
    )
    assert response.status_code == 400
    assert "note" in response.json()["fields"]


def test_district_leader_may_not_reject(client_for, actors):
    response = client_for(actors.district_leader).post(
        f"/api/v1/accounts/{actors.resident.pk}/reject/", {"note": "x"}, format="json"
    )
    assert response.status_code == 403


# --- The pending queue --------------------------------------------------------------------------


def pending_ids(client):
    response = client.get("/api/v1/accounts/pending/")
    assert response.status_code == 200
    return {row["id"] for row in response.json()["results"]}


def test_pending_queue_is_scoped_by_claimed_community(client_for, actors, org):
    mine = actors.resident
    sibling = ResidentAccountFactory(claimed_community=org.sibling_community)
    foreign = ResidentAccountFactory(claimed_community=org.foreign_community)
    ResidentAccountFactory(
        claimed_community=org.community, verification_status=User.Verification.VERIFIED
    )
    assert pending_ids(client_for(actors.worker)) == {mine.pk}
    assert pending_ids(client_for(actors.other_worker)) == {sibling.pk}
    assert pending_ids(client_for(actors.street_admin)) == {mine.pk, sibling.pk}
    assert pending_ids(client_for(actors.foreign_admin)) == {foreign.pk}
    assert pending_ids(client_for(actors.superuser)) == {mine.pk, sibling.pk, foreign.pk}


def test_pending_queue_masks_phones(client_for, actors):
    row = client_for(actors.worker).get("/api/v1/accounts/pending/").json()["results"][0]
    assert row["phone_masked"] == "138****0001"
    assert "phone" not in row


@pytest.mark.parametrize("who", ["district_leader", "resident"])
def test_pending_queue_refused(client_for, actors, who):
    assert client_for(getattr(actors, who)).get("/api/v1/accounts/pending/").status_code == 403


def test_pending_queue_filter_by_community(client_for, actors, org):
    ResidentAccountFactory(claimed_community=org.sibling_community)
    client = client_for(actors.street_admin)
    response = client.get(f"/api/v1/accounts/pending/?claimed_community={org.community.pk}")
    assert {row["id"] for row in response.json()["results"]} == {actors.resident.pk}
    assert client.get("/api/v1/accounts/pending/?claimed_community=x").status_code == 400


def test_pending_queue_query_count_is_constant(
    client_for, actors, org, django_assert_max_num_queries
):
    client = client_for(actors.street_admin)
    with django_assert_max_num_queries(10):
        assert len(client.get("/api/v1/accounts/pending/").json()["results"]) == 1
    ResidentAccountFactory.create_batch(19, claimed_community=org.sibling_community)
    with django_assert_max_num_queries(10):
        assert len(client.get("/api/v1/accounts/pending/").json()["results"]) == 20


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_cannot_link_one_resident_to_two_accounts(actors, org):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises all writers")
    from accounts.services import account_verify

    record = ResidentFactory(community=org.community)
    accounts = [ResidentAccountFactory(claimed_community=org.community) for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes = []

    def run(account):
        try:
            barrier.wait()
            account_verify(actor=actors.worker, account=account, resident=record)
            outcomes.append("ok")
        except ApplicationError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(a,)) for a in accounts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "ok"]
    assert User.objects.filter(verification_status=User.Verification.VERIFIED).count() == 1
