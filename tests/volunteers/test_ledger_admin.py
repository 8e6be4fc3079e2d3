"""The admin of the points side: the ledger is never editable, every write is a service."""

# Fixtures are imported from points_fixtures (the shared conftest belongs to another module).
# ruff: noqa: F401, F811

import pytest

from tests.factories.volunteers_points import PointsPolicyFactory
from volunteers.models import PointsEntry, PointsPolicy, Redemption, Reward
from volunteers.services.points import reward_redeem

from .points_fixtures import assert_balance_is_sum, credit, member, reward

ADMIN = "/admin/volunteers"
# The read-only ledger inline still posts its (empty) management form.
NO_INLINE_ROWS = {"entries-TOTAL_FORMS": 0, "entries-INITIAL_FORMS": 0}


def test_ledger_is_read_only_even_for_a_superuser(client, actors, org, member):
    account = credit(actors.worker, member, org.community, 10)
    entry = account.entries.get()
    client.force_login(actors.superuser)
    assert client.get(f"{ADMIN}/pointsentry/").status_code == 200
    assert client.get(f"{ADMIN}/pointsentry/{entry.pk}/change/").status_code == 200  # view only
    response = client.post(
        f"{ADMIN}/pointsentry/{entry.pk}/change/", {"points": 999, "reason": "改一下"}
    )
    assert response.status_code == 403
    assert client.get(f"{ADMIN}/pointsentry/{entry.pk}/delete/").status_code == 403
    assert (
        client.post(f"{ADMIN}/pointsentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    assert client.get(f"{ADMIN}/pointsentry/add/").status_code == 403
    response = client.post(
        f"{ADMIN}/pointsentry/",
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    entry.refresh_from_db()
    assert (entry.points, entry.reason) == (10, "初始积分")
    assert PointsEntry.objects.count() == 1


def test_worker_adjusts_from_the_account_page(client, actors, org, member):
    account = credit(actors.worker, member, org.community, 10)
    client.force_login(actors.worker)
    url = f"{ADMIN}/pointsaccount/{account.pk}/change/"
    assert client.get(url).status_code == 200

    response = client.post(url, {"adjust_points": -20, "adjust_reason": "纠错", **NO_INLINE_ROWS})
    assert response.status_code == 200  # the form again, with the refusal
    assert "余额不足" in response.content.decode()
    assert account.entries.count() == 1

    response = client.post(url, {"adjust_points": 5, "adjust_reason": "补录", **NO_INLINE_ROWS})
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.balance == 15
    assert account.entries.latest("pk").actor == actors.worker
    assert_balance_is_sum(account)

    client.force_login(actors.other_worker)
    assert client.get(url).status_code in (302, 403, 404)


def test_redemption_actions_call_the_services(client, actors, org, member, reward):
    credit(actors.worker, member, org.community, 100)
    first = reward_redeem(actor=member, reward=reward)
    second = reward_redeem(actor=member, reward=reward)
    client.force_login(actors.worker)
    changelist = f"{ADMIN}/redemption/"
    client.post(changelist, {"action": "hand_over", "_selected_action": [first.pk]})
    client.post(changelist, {"action": "cancel", "_selected_action": [second.pk]})
    first.refresh_from_db()
    second.refresh_from_db()
    reward.refresh_from_db()
    assert (first.status, second.status, reward.stock) == ("handed_over", "cancelled", 4)
    assert second.points_entries.filter(kind="refund").count() == 1
    assert client.get(f"{ADMIN}/redemption/{first.pk}/delete/").status_code == 403


def test_reward_created_through_the_admin(client, actors, org):
    client.force_login(actors.worker)
    response = client.post(
        f"{ADMIN}/reward/add/",
        {
            "community": org.community.pk,
            "kind": "goods",
            "name": "毛巾",
            "description": "",
            "points_cost": 15,
            "stock": 8,
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Reward.objects.get().name == "毛巾"


def test_policy_is_the_street_admins(client, actors, org):
    policy = PointsPolicyFactory(street=org.street, published_at=None)
    client.force_login(actors.street_admin)
    url = f"{ADMIN}/pointspolicy/{policy.pk}/change/"
    response = client.post(
        url,
        {
            "title": "积分管理办法及兑换细则",
            "text": "每小时 10 分",
            "daily_cap": 40,
            "expiry_months": 12,
            "publish": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    policy.refresh_from_db()
    assert (policy.daily_cap, policy.expiry_months) == (40, 12)
    assert policy.published_at is not None

    client.force_login(actors.worker)
    assert client.get(url).status_code == 200  # workers read the rules …
    response = client.post(url, {"title": "改", "text": "", "daily_cap": 1})
    assert response.status_code == 403  # … but do not write them
    policy.refresh_from_db()
    assert policy.daily_cap == 40
