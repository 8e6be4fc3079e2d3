"""The round list costs the same number of queries at 1 row and at 50."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cadres.models import ReviewRound
from tests.factories import CommunityFactory
from tests.factories.board import board_resident
from tests.factories.cadres import CadreFactory, ReviewRoundFactory

pytestmark = pytest.mark.django_db


def _count(api, path):
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(path, {"page_size": 50})
    assert response.status_code == 200, response.json()
    return len(ctx.captured_queries), response.json()["count"]


def _rounds(community, years):
    for year in years:
        r = ReviewRoundFactory(community=community, year=year)
        CadreFactory(round=r)
        CadreFactory(round=r)
    ReviewRound.objects.filter(community=community).update(status="closed", participant_count=7)


@pytest.mark.parametrize("who", ["resident", "worker", "street_admin", "district_leader"])
def test_round_list(api, org, actors, who):
    user = board_resident(org.community) if who == "resident" else getattr(actors, who)
    _rounds(org.community, [2026])
    api.force_authenticate(user)
    _count(api, "/api/v1/cadre-rounds/")  # warm the per-user caches (scope, home)
    queries_one, rows_one = _count(api, "/api/v1/cadre-rounds/")
    _rounds(org.community, range(1970, 2020))
    for _ in range(3):
        _rounds(CommunityFactory(street=org.street), [2025])
    queries_many, rows_many = _count(api, "/api/v1/cadre-rounds/")
    assert rows_many >= 50 > rows_one >= 1, (rows_one, rows_many)
    assert queries_many == queries_one, (queries_one, queries_many)
