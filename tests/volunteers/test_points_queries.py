"""List endpoints of the points side cost the same number of queries at 1 row and at 30."""

# Fixtures are imported from points_fixtures (the shared conftest belongs to another module).
# ruff: noqa: F401, F811

import pytest

from tests.factories.proposals import verified_resident
from tests.factories.volunteers_points import RewardFactory
from volunteers.services.points import reward_redeem

from .points_fixtures import credit, member

API = "/api/v1"


def _count(api, url, django_assert_max_num_queries, limit, expected_rows):
    api.get(url)  # warm the session and caches, so both sizes are measured alike
    with django_assert_max_num_queries(limit):
        response = api.get(url, {"page_size": 50})
    assert response.status_code == 200
    assert len(response.json()["results"]) == expected_rows


@pytest.mark.parametrize("rows", [1, 30])
def test_rewards_list(api, actors, org, member, rows, django_assert_max_num_queries):
    RewardFactory.create_batch(rows, community=org.community)
    api.force_authenticate(member)
    _count(api, f"{API}/rewards/", django_assert_max_num_queries, 6, rows)


@pytest.mark.parametrize("rows", [1, 30])
def test_redemptions_and_ledger(api, actors, org, member, rows, django_assert_max_num_queries):
    credit(actors.worker, member, org.community, 10 * rows)
    reward = RewardFactory(community=org.community, points_cost=10, stock=rows)
    for _ in range(rows):
        reward_redeem(actor=member, reward=reward)
    api.force_authenticate(member)
    _count(api, f"{API}/redemptions/", django_assert_max_num_queries, 6, rows)
    _count(api, f"{API}/points/me/ledger/", django_assert_max_num_queries, 5, rows + 1)
    api.force_authenticate(actors.worker)
    _count(api, f"{API}/redemptions/", django_assert_max_num_queries, 6, rows)


@pytest.mark.parametrize("rows", [1, 30])
def test_points_accounts_list(api, actors, org, rows, django_assert_max_num_queries):
    for i in range(rows):
        credit(
            actors.worker, verified_resident(org.community, real_name=f"居民{i}"), org.community, 5
        )
    api.force_authenticate(actors.worker)
    _count(api, f"{API}/points-accounts/", django_assert_max_num_queries, 6, rows)
