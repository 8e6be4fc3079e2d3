"""The points API: my points, the rules, rewards, redemptions, adjustments; who is refused."""

# Fixtures are imported from points_fixtures (the shared conftest belongs to another module).
# ruff: noqa: F401, F811

import pytest

from tests.factories.proposals import verified_resident
from tests.factories.volunteers_points import (
    PointsPolicyFactory,
    PointsRuleFactory,
    RewardFactory,
)
from volunteers.models import PointsAccount, PointsEntry, Redemption, Reward
from volunteers.services.points import reward_redeem

from .points_fixtures import assert_balance_is_sum, credit, member, reward

API = "/api/v1"


def test_my_points_and_ledger(api, actors, org, member, reward):
    account = credit(actors.worker, member, org.community, 100)
    for _ in range(3):
        reward_redeem(actor=member, reward=reward)
    api.force_authenticate(member)
    body = api.get(f"{API}/points/me/").json()
    assert body["accounts"] == [
        {
            "id": account.pk,
            "street": {"id": org.street.pk, "name": org.street.name},
            "community": {"id": org.community.pk, "name": org.community.name},
            "balance": 10,
        }
    ]
    assert [e["points"] for e in body["recent_entries"]] == [-30, -30, -30, 100]
    assert body["recent_entries"][0]["reward_name"] == "环保袋"

    page = api.get(f"{API}/points/me/ledger/", {"page_size": 2}).json()
    assert [e["balance_after"] for e in page["results"]] == [10, 40]
    rest = api.get(page["next"]).json()
    assert [e["balance_after"] for e in rest["results"]] == [70, 100]
    assert rest["next"] is None


def test_someone_elses_ledger_is_not_mine(api, actors, org, member):
    credit(actors.worker, member, org.community, 100)
    other = verified_resident(org.community)
    api.force_authenticate(other)
    assert api.get(f"{API}/points/me/").json() == {"accounts": [], "recent_entries": []}
    assert api.get(f"{API}/points/me/ledger/").json()["results"] == []


def test_residents_read_the_published_rules(api, actors, org, member):
    PointsRuleFactory(street=org.street, name="通用", is_default=True)
    PointsRuleFactory(street=org.street, name="停用", is_active=False)
    PointsRuleFactory(street=org.sibling_street, name="别的街道")
    api.force_authenticate(member)
    body = api.get(f"{API}/points/policy/").json()
    assert body["policy"] is None and body["rules"] == []  # not published yet

    PointsPolicyFactory(street=org.street, daily_cap=60)
    body = api.get(f"{API}/points/policy/").json()
    assert body["street"]["id"] == org.street.pk
    assert body["policy"]["daily_cap"] == 60
    assert [r["name"] for r in body["rules"]] == ["通用"]
    assert api.get(f"{API}/points/policy/", {"street": org.foreign_street.pk}).status_code == 404

    api.force_authenticate(actors.street_admin)
    body = api.get(f"{API}/points/policy/").json()
    assert sorted(r["name"] for r in body["rules"]) == ["停用", "通用"]


def test_rewards_of_my_community_only(api, actors, org, member, reward):
    RewardFactory(community=org.community, name="下架", is_active=False)
    elsewhere = RewardFactory(community=org.sibling_community, name="别处")
    api.force_authenticate(member)
    body = api.get(f"{API}/rewards/").json()
    assert [r["name"] for r in body["results"]] == ["环保袋"]
    assert api.get(f"{API}/rewards/{elsewhere.pk}/").status_code == 404
    response = api.post(f"{API}/rewards/{elsewhere.pk}/redeem/", {"quantity": 1})
    assert response.status_code == 404

    api.force_authenticate(actors.worker)
    names = [r["name"] for r in api.get(f"{API}/rewards/").json()["results"]]
    assert sorted(names) == ["下架", "环保袋"]


def test_worker_creates_and_updates_a_reward(api, actors, org):
    api.force_authenticate(actors.worker)
    response = api.post(
        f"{API}/rewards/",
        {"community": org.community.pk, "name": "理发券", "points_cost": 20, "stock": 3},
        format="json",
    )
    assert response.status_code == 201, response.json()
    reward_id = response.json()["id"]
    response = api.patch(f"{API}/rewards/{reward_id}/", {"stock": 9}, format="json")
    assert response.status_code == 200 and response.json()["stock"] == 9

    api.force_authenticate(actors.other_worker)
    assert api.patch(f"{API}/rewards/{reward_id}/", {"stock": 1}).status_code == 404


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": "x", "points_cost": 0, "stock": 1}, "points_cost"),
        ({"name": "x", "points_cost": 5, "stock": -1}, "stock"),
        ({"name": "", "points_cost": 5, "stock": 1}, "name"),
        ({"name": "x", "points_cost": 5, "stock": 1, "kind": "cash"}, "kind"),
        ({"name": "x", "points_cost": "many", "stock": 1}, "points_cost"),
    ],
)
def test_bad_reward_input_is_400_with_the_field(api, actors, org, payload, field):
    api.force_authenticate(actors.worker)
    response = api.post(
        f"{API}/rewards/", {"community": org.community.pk, **payload}, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert not Reward.objects.exists()


def test_reward_in_a_community_i_do_not_serve_is_refused(api, actors, org):
    api.force_authenticate(actors.worker)
    response = api.post(
        f"{API}/rewards/",
        {"community": org.sibling_community.pk, "name": "x", "points_cost": 5, "stock": 1},
        format="json",
    )
    assert response.status_code == 400 and "community" in response.json()["fields"]


@pytest.mark.parametrize("who", ["resident", "district_leader", "grid_leader", "anonymous"])
def test_roles_that_may_not_create_rewards(api, actors, org, who):
    user = getattr(actors, who)
    if user:
        api.force_authenticate(user)
    response = api.post(
        f"{API}/rewards/",
        {"community": org.community.pk, "name": "x", "points_cost": 5, "stock": 1},
        format="json",
    )
    assert response.status_code in (401, 403)
    assert not Reward.objects.exists()


def test_redeem_through_the_api(api, actors, org, member, reward):
    account = credit(actors.worker, member, org.community, 70)
    api.force_authenticate(member)
    response = api.post(f"{API}/rewards/{reward.pk}/redeem/", {"quantity": 2}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["points"] == 60 and response.json()["status"] == "requested"

    response = api.post(f"{API}/rewards/{reward.pk}/redeem/", {"quantity": 1}, format="json")
    assert response.status_code == 409
    assert "积分不足" in response.json()["detail"] and "10" in response.json()["detail"]

    credit(actors.worker, member, org.community, 1000)
    response = api.post(f"{API}/rewards/{reward.pk}/redeem/", {"quantity": 4}, format="json")
    assert response.status_code == 409
    assert "库存不足" in response.json()["detail"] and "3" in response.json()["detail"]

    response = api.post(f"{API}/rewards/{reward.pk}/redeem/", {"quantity": "x"}, format="json")
    assert response.status_code == 400 and "quantity" in response.json()["fields"]
    assert Redemption.objects.count() == 1
    assert_balance_is_sum(account)


def test_unverified_resident_may_not_redeem(api, actors, org, reward):
    api.force_authenticate(actors.resident)  # claimed org.community, not verified
    response = api.post(f"{API}/rewards/{reward.pk}/redeem/", {"quantity": 1}, format="json")
    assert response.status_code == 403
    assert not Redemption.objects.exists() and not PointsAccount.objects.exists()


def test_hand_over_and_cancel_through_the_api(api, actors, org, member, reward):
    credit(actors.worker, member, org.community, 100)
    first = reward_redeem(actor=member, reward=reward)
    second = reward_redeem(actor=member, reward=reward)

    api.force_authenticate(member)
    assert api.post(f"{API}/redemptions/{first.pk}/hand-over/").status_code == 403
    response = api.post(f"{API}/redemptions/{second.pk}/cancel/", {}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    response = api.post(f"{API}/redemptions/{second.pk}/cancel/", {}, format="json")
    assert response.status_code == 409
    mine = api.get(f"{API}/redemptions/").json()["results"]
    assert {r["id"] for r in mine} == {first.pk, second.pk}

    api.force_authenticate(actors.other_worker)
    assert api.post(f"{API}/redemptions/{first.pk}/hand-over/").status_code == 404
    assert api.get(f"{API}/redemptions/").json()["results"] == []

    api.force_authenticate(actors.worker)
    response = api.post(f"{API}/redemptions/{first.pk}/hand-over/")
    assert response.status_code == 200 and response.json()["status"] == "handed_over"
    assert api.post(f"{API}/redemptions/{first.pk}/hand-over/").status_code == 409
    assert len(api.get(f"{API}/redemptions/", {"status": "handed_over"}).json()["results"]) == 1


def test_staff_accounts_and_adjustments(api, actors, org, member):
    account = credit(actors.worker, member, org.community, 10)
    api.force_authenticate(actors.worker)
    rows = api.get(f"{API}/points-accounts/").json()["results"]
    assert [(r["id"], r["balance"]) for r in rows] == [(account.pk, 10)]
    url = f"{API}/points-accounts/{account.pk}/adjust/"

    response = api.post(url, {"points": -11, "reason": "纠错"}, format="json")
    assert response.status_code == 409
    response = api.post(url, {"points": 5}, format="json")
    assert response.status_code == 400 and "reason" in response.json()["fields"]
    response = api.post(url, {"points": 0, "reason": "x"}, format="json")
    assert response.status_code == 400 and "points" in response.json()["fields"]
    assert account.entries.count() == 1

    response = api.post(url, {"points": -4, "reason": "重复登记"}, format="json")
    assert response.status_code == 201
    assert (response.json()["balance_after"], response.json()["kind"]) == (6, "adjust")
    assert_balance_is_sum(account)

    api.force_authenticate(actors.other_worker)
    assert api.post(url, {"points": 5, "reason": "x"}, format="json").status_code == 404
    assert api.get(f"{API}/points-accounts/").json()["results"] == []
    for who in (actors.district_leader, member):
        api.force_authenticate(who)
        assert api.post(url, {"points": 5, "reason": "x"}, format="json").status_code == 403
        assert api.get(f"{API}/points-accounts/").status_code == 403
    assert account.entries.count() == 2


def test_another_residents_order_is_not_found(api, actors, org, member, reward):
    credit(actors.worker, member, org.community, 100)
    order = reward_redeem(actor=member, reward=reward)
    api.force_authenticate(verified_resident(org.community))
    assert api.post(f"{API}/redemptions/{order.pk}/cancel/", {}, format="json").status_code == 404
    assert api.get(f"{API}/redemptions/").json()["results"] == []
    order.refresh_from_db()
    assert order.status == "requested"


def test_ledger_filtered_by_street(api, actors, org, member):
    credit(actors.worker, member, org.community, 10)
    api.force_authenticate(member)
    assert (
        len(api.get(f"{API}/points/me/ledger/", {"street": org.street.pk}).json()["results"]) == 1
    )
    other = api.get(f"{API}/points/me/ledger/", {"street": org.sibling_street.pk}).json()
    assert other["results"] == []
    response = api.get(f"{API}/points/me/ledger/", {"street": "x"})
    assert response.status_code == 400 and "street" in response.json()["fields"]
