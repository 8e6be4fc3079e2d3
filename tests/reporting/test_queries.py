"""List and detail endpoints cost the same number of queries at 1 item and at 50."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories.reporting import UpwardReportFactory, grid_event_in, mark, topic_in

pytestmark = pytest.mark.django_db


def _count(api, path):
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(path, {"page_size": 50})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _grow(org, actors, report, n, start=0):
    for i in range(start, start + n):
        if i % 2:
            mark(report, actors.street_admin, topic=topic_in(org.community))
        else:
            mark(report, actors.street_admin, grid_event=grid_event_in(org.grid, actors.worker))


@pytest.mark.parametrize("who", ["street_admin", "worker", "district_leader"])
def test_detail_and_export_cost_the_same_at_1_and_50_items(api, org, actors, who):
    report = UpwardReportFactory(street=org.street)
    _grow(org, actors, report, 1)
    api.force_authenticate(getattr(actors, who))
    paths = [
        reverse("upward-report-detail", args=[report.pk]),
        reverse("upward-report-export", args=[report.pk]),
        reverse("upward-report-figures"),
    ]
    for path in paths:
        _count(api, path)  # warm the per-user caches
    one = [_count(api, path) for path in paths]
    _grow(org, actors, report, 49, start=1)
    assert [_count(api, path) for path in paths] == one


def test_list_costs_the_same_at_1_and_50_reports(api, org, actors):
    api.force_authenticate(actors.superuser)
    reports = [UpwardReportFactory(street=org.street, year=2000)]
    _grow(org, actors, reports[0], 2)
    path = reverse("upward-report-list")
    _count(api, path)
    one = _count(api, path)
    for year in range(2001, 2050):
        UpwardReportFactory(street=org.street, year=year)
    assert _count(api, path) == one
