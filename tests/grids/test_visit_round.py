"""The weekly visit round: per grid and ISO week (Asia/Shanghai), done or not."""

import datetime

import pytest
import time_machine

from grids.selectors import recent_week_starts
from tests.factories.grids_work import VisitRecordFactory
from tests.factories.org import MicroGridFactory

pytestmark = pytest.mark.django_db


def rounds(client, **params):
    response = client.get("/api/v1/visit-rounds/", params)
    assert response.status_code == 200, response.json()
    return {row["grid"]["name"]: row["weeks"] for row in response.json()["results"]}


def test_a_grid_with_a_visit_in_a_week_is_done_and_one_without_is_not(login, actors, org):
    VisitRecordFactory(grid=org.grid, visited_on=datetime.date(2024, 3, 4))  # Monday, this week
    VisitRecordFactory(grid=org.grid, visited_on=datetime.date(2024, 3, 5))
    VisitRecordFactory(grid=org.grid, visited_on=datetime.date(2024, 2, 25))  # Sunday, last week

    table = rounds(login(actors.worker))

    assert set(table) == {"一格", "二格"}
    one, two = table["一格"], table["二格"]
    assert len(one) == 8
    assert one[-1] == {
        "week_start": "2024-03-04",
        "iso_year": 2024,
        "iso_week": 10,
        "visits": 2,
        "done": True,
    }
    assert one[-2]["week_start"] == "2024-02-26" and one[-2]["done"] is False
    assert one[-3]["week_start"] == "2024-02-19" and one[-3]["visits"] == 1
    assert one[0]["week_start"] == "2024-01-15"
    assert not any(cell["done"] for cell in two)


def test_weeks_are_shanghai_weeks_not_utc_weeks(login, actors, org):
    # Monday 11 March 2024, 01:30 in Shanghai is still Sunday 10 March in UTC.
    with time_machine.travel("2024-03-11 01:30 +0800", tick=False):
        assert recent_week_starts(weeks=2) == [
            datetime.date(2024, 3, 4),
            datetime.date(2024, 3, 11),
        ]
        VisitRecordFactory(grid=org.grid, visited_on=datetime.date(2024, 3, 11))
        table = rounds(login(actors.grid_leader), weeks=2)
    assert table["一格"][-1] == {
        "week_start": "2024-03-11",
        "iso_year": 2024,
        "iso_week": 11,
        "visits": 1,
        "done": True,
    }
    assert table["一格"][0]["done"] is False


def test_visit_round_is_scoped_and_filterable(login, actors, org):
    assert set(rounds(login(actors.grid_leader))) == {"一格"}
    assert set(rounds(login(actors.district_leader))) == {"一格", "二格", "三格"}
    assert set(rounds(login(actors.street_admin), community=org.sibling_community.pk)) == {"三格"}


@pytest.mark.parametrize("weeks", ["0", "27", "abc"])
def test_bad_week_count_is_400(login, actors, weeks):
    response = login(actors.worker).get("/api/v1/visit-rounds/", {"weeks": weeks})
    assert response.status_code == 400
    assert "weeks" in response.json()["fields"]


@pytest.mark.parametrize("grids", [1, 30])
def test_visit_round_query_count_is_constant(
    login, actors, org, django_assert_max_num_queries, grids
):
    created = [org.grid, *MicroGridFactory.create_batch(grids - 1, community=org.community)]
    for grid in created:
        VisitRecordFactory(grid=grid, visited_on=datetime.date(2024, 3, 1))
    client = login(actors.worker)
    client.get("/api/v1/visit-rounds/")
    with django_assert_max_num_queries(4):
        response = client.get("/api/v1/visit-rounds/", {"page_size": 50})
    assert response.json()["count"] == grids + 1  # plus the sibling grid
