"""The elections list and my-area cost the same number of queries at 1 row and at 50."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from property_governance.models import Election
from tests.factories.property_governance import ElectionFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/property/elections/"


def _count(api, path):
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(path, {"page_size": 50})
    assert response.status_code == 200, response.json()
    return len(ctx.captured_queries), response.json()["count"]


def _elections(place, n):
    made = [ElectionFactory(area=place.area if i % 2 else place.area_b) for i in range(n)]
    Election.objects.filter(pk__in=[e.pk for e in made]).update(status="voting")
    return made


@pytest.mark.parametrize("who", ["alice", "worker", "grid_leader", "district_leader"])
def test_election_list(api, place, actors, who):
    user = getattr(place, who, None) or getattr(actors, who)
    _elections(place, 1)
    api.force_authenticate(user)
    _count(api, URL)  # warm the per-user caches (scope, home)
    queries_one, rows_one = _count(api, URL)
    _elections(place, 52)
    queries_many, rows_many = _count(api, URL)
    assert rows_many >= 50 > rows_one >= 1
    assert queries_many == queries_one, (queries_one, queries_many)
