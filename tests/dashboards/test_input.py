"""Period and unit parsing: bad input is a 400 naming the field, never a 500."""

import datetime

import pytest

from dashboards.periods import Kind, PeriodError, parse_period
from dashboards.units import UnitRefError, parse_ref

TODAY = datetime.date(2026, 11, 23)


@pytest.mark.parametrize(
    ("kind", "date", "first", "last", "label"),
    [
        ("month", "2026-11", "2026-11-01", "2026-11-30", "2026年11月"),
        ("month", "2024-2", "2024-02-01", "2024-02-29", "2024年2月"),
        ("month", None, "2026-11-01", "2026-11-30", "2026年11月"),
        ("quarter", "2026-Q4", "2026-10-01", "2026-12-31", "2026年第4季度"),
        ("quarter", "2026q1", "2026-01-01", "2026-03-31", "2026年第1季度"),
        ("quarter", "", "2026-10-01", "2026-12-31", "2026年第4季度"),
        ("year", "2025", "2025-01-01", "2025-12-31", "2025年"),
        ("year", None, "2026-01-01", "2026-12-31", "2026年"),
        (None, None, "2026-11-01", "2026-11-30", "2026年11月"),
    ],
)
def test_named_periods(kind, date, first, last, label):
    period = parse_period(kind, date, today=TODAY)
    assert period.first_day.isoformat() == first
    assert period.last_day.isoformat() == last
    assert period.label == label


def test_custom_period_and_its_bounds_in_shanghai():
    period = parse_period(Kind.CUSTOM, None, "2026-01-30", "2026-03-02")
    assert period.months == ["2026-01", "2026-02", "2026-03"]
    assert period.start.isoformat() == "2026-01-30T00:00:00+08:00"
    assert period.end.isoformat() == "2026-03-03T00:00:00+08:00"
    assert period.key == "2026-01-30_2026-03-02"
    assert period.label == "2026-01-30 至 2026-03-02"


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("week", None), "period"),
        (("month", "2026-13"), "date"),
        (("month", "202611"), "date"),
        (("quarter", "2026-Q5"), "date"),
        (("year", "26"), "date"),
        (("year", "1999"), "date"),
        (("custom", None, None, "2026-01-01"), "from"),
        (("custom", None, "2026-01-01", None), "to"),
        (("custom", None, "2026-02-30", "2026-03-01"), "from"),
        (("custom", None, "2026-03-01", "2026-02-01"), "to"),
        (("custom", None, "2020-01-01", "2025-12-31"), "to"),
    ],
)
def test_bad_periods_name_the_field(args, field):
    with pytest.raises(PeriodError) as caught:
        parse_period(*args, today=TODAY)
    assert field in caught.value.fields


@pytest.mark.parametrize("ref", ["street:12", "district:1", "community:40", "grid:7"])
def test_unit_refs(ref):
    level, pk = parse_ref(ref)
    assert f"{level}:{pk}" == ref


@pytest.mark.parametrize("ref", ["", "street", "street:", "street:x", "city:1", "street:-1", None])
def test_bad_unit_refs(ref):
    with pytest.raises(UnitRefError):
        parse_ref(ref)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"period": "week"}, "period"),
        ({"period": "month", "date": "2026-13"}, "date"),
        ({"period": "quarter", "date": "Q4"}, "date"),
        ({"period": "custom", "to": "2026-12-31"}, "from"),
        ({"period": "custom", "from": "2026-13-01", "to": "2026-12-31"}, "from"),
        ({"period": "custom", "from": "2026-12-31", "to": "2026-12-01"}, "to"),
        ({"unit": "street"}, "unit"),
        ({"unit": "town:3"}, "unit"),
    ],
)
@pytest.mark.parametrize("path", ["summary/", "trend/", "ranking/"])
def test_api_answers_400_with_the_field(api, actors, params, field, path):
    api.force_authenticate(actors.street_admin)
    response = api.get(f"/api/v1/dashboard/{path}", params)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid"
    assert field in body["fields"]


def test_ranking_sort_must_be_a_figure(api, actors):
    api.force_authenticate(actors.street_admin)
    response = api.get("/api/v1/dashboard/ranking/", {"sort": "name; drop table"})
    assert response.status_code == 400
    assert "sort" in response.json()["fields"]


@pytest.mark.parametrize("params", [{}, {"format": "pdf"}, {"format": "json"}])
def test_export_format_is_checked(api, actors, params):
    api.force_authenticate(actors.street_admin)
    response = api.get("/api/v1/dashboard/summary/export/", params)
    assert response.status_code == 400
    assert "format" in response.json()["fields"]


def test_unknown_table_is_404(api, actors):
    api.force_authenticate(actors.street_admin)
    response = api.get("/api/v1/dashboard/people/export/", {"format": "csv"})
    assert response.status_code == 404


def test_units_parent_is_checked(api, actors):
    api.force_authenticate(actors.street_admin)
    response = api.get("/api/v1/dashboard/units/", {"parent": "street-1"})
    assert response.status_code == 400
    assert "parent" in response.json()["fields"]
