"""List endpoints cost the same number of queries at 1 row and at 50."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases import services
from tests.factories.cases import advance, file_event, photo

pytestmark = pytest.mark.django_db


def _count(api, path):
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(path, {"page_size": 50})
    assert response.status_code == 200, response.content[:300]
    return len(ctx.captured_queries), response


def _same_cost(api, path, grow, rows=lambda r: r.json()["count"]):
    _count(api, path)  # warm the per-user caches (scope, departments)
    queries_one, response = _count(api, path)
    rows_one = rows(response)
    grow()
    queries_many, response = _count(api, path)
    rows_many = rows(response)
    assert rows_many >= 50 > rows_one >= 1, (rows_one, rows_many)
    assert queries_many == queries_one, (queries_one, queries_many)


def _events(org, actors, place, n, *, dispatch=True):
    for i in range(n):
        event = file_event(actors.worker, org.grid, place.weekly, photos=[photo()] if i % 2 else [])
        if dispatch:
            services.grid_event_dispatch(actor=actors.worker, event=event)


@pytest.mark.parametrize("who", ["worker", "grid_leader", "street_admin", "cg_staff"])
def test_event_list(api, org, actors, place, who):
    user = getattr(place, who, None) or getattr(actors, who)
    _events(org, actors, place, 1)
    api.force_authenticate(user)
    _same_cost(api, "/api/v1/grid-events/", lambda: _events(org, actors, place, 52))


def test_export(api, org, actors, place):
    from io import BytesIO

    from openpyxl import load_workbook

    _events(org, actors, place, 1)
    api.force_authenticate(actors.worker)

    def rows(response):
        return load_workbook(BytesIO(response.content)).active.max_row - 1

    _same_cost(api, "/api/v1/grid-events/export/", lambda: _events(org, actors, place, 52), rows)


def test_weekly_figures(api, org, actors, place):
    from tests.factories import MicroGridFactory

    event = file_event(actors.worker, org.grid, place.weekly)
    advance(event, "closed", grid_actor=actors.worker, department_actor=place.cg_staff)
    api.force_authenticate(actors.street_admin)

    def grow():
        for _ in range(52):
            file_event(actors.worker, MicroGridFactory(community=org.community), place.weekly)

    _same_cost(api, "/api/v1/grid-events/weekly/", grow)


def test_department_list(api, org, actors, place):
    from tests.factories.cases import DepartmentFactory

    api.force_authenticate(actors.worker)

    def grow():
        for _ in range(50):
            d = DepartmentFactory(street=org.street)
            d.categories.add(place.weekly)
            d.communities.add(org.community)

    _same_cost(api, "/api/v1/departments/", grow)


def test_detail_does_not_grow_with_photos_and_steps(api, org, actors, place):
    def detail_cost(event):
        api.force_authenticate(actors.worker)
        api.get(f"/api/v1/grid-events/{event.pk}/")
        queries, _response = _count(api, f"/api/v1/grid-events/{event.pk}/")
        return queries

    small = file_event(actors.worker, org.grid, place.weekly)
    big = file_event(actors.worker, org.grid, place.weekly, photos=[photo() for _ in range(9)])
    advance(big, "closed", grid_actor=actors.worker, department_actor=place.cg_staff)
    assert detail_cost(small) == detail_cost(big)
