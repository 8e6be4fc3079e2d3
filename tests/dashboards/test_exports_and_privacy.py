"""Exports carry the same numbers as the API; no dashboard response names a resident."""

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from dashboards.figures import BY_KEY, RANKING_KEYS, TREND_KEYS

from .conftest import DECEMBER, PII, STREET_DECEMBER


def _export(api, user, table, fmt, **params):
    api.force_authenticate(user)
    return api.get(f"/api/v1/dashboard/{table}/export/", {"format": fmt, **params})


def _csv_rows(response):
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def _number(text):
    return None if text in ("", None) else float(text)


def test_summary_csv_has_every_figure(api, world):
    unit = f"street:{world.org.street.pk}"
    response = _export(api, world.actors.street_admin, "summary", "csv", unit=unit, **DECEMBER)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())  # Excel reads the Chinese right
    assert (
        f'filename="dashboard-summary-street-{world.org.street.pk}-2026-12.csv"'
        in response["Content-Disposition"]
    )
    header, *rows = _csv_rows(response)
    assert header == ["类别", "指标代码", "指标", "数值"]
    values = {key: _number(value) for _group, key, _label, value in rows}
    assert values == {key: None if v is None else float(v) for key, v in STREET_DECEMBER.items()}
    labels = {key: label for _group, key, label, _value in rows}
    assert labels["answered_within_4h_share"] == "4小时内回应率(%)"


def test_summary_xlsx_has_the_same_numbers(api, world):
    unit = f"street:{world.org.street.pk}"
    response = _export(api, world.actors.street_admin, "summary", "xlsx", unit=unit, **DECEMBER)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("类别", "指标代码", "指标", "数值")
    values = {key: value for _group, key, _label, value in rows[1:]}
    for key, expected in STREET_DECEMBER.items():
        assert (float(values[key]) if values[key] is not None else None) == expected, key
    about = [row[:2] for row in workbook.worksheets[1].iter_rows(values_only=True)]
    assert about[0] == ("单位", "街道 甲一街道")
    assert about[1] == ("期间", "2026年12月")
    assert ("议题数", str(BY_KEY["topics_raised"].help)) in about


def test_trend_exports_match_the_api(api, world):
    params = {"unit": f"street:{world.org.street.pk}", "period": "quarter", "date": "2026-Q4"}
    admin = world.actors.street_admin
    api.force_authenticate(admin)
    months = api.get("/api/v1/dashboard/trend/", params).json()["months"]
    header, *rows = _csv_rows(_export(api, admin, "trend", "csv", **params))
    assert header == ["月份", *(str(BY_KEY[k].label) for k in TREND_KEYS)]
    assert [row[0] for row in rows] == ["2026-10", "2026-11", "2026-12"]
    for row, month in zip(rows, months, strict=True):
        assert [_number(v) for v in row[1:]] == [month[k] for k in TREND_KEYS]
    sheet = load_workbook(io.BytesIO(_export(api, admin, "trend", "xlsx", **params).content))
    xlsx_rows = list(sheet.worksheets[0].iter_rows(values_only=True))[1:]
    assert [list(r[1:]) for r in xlsx_rows] == [[m[k] for k in TREND_KEYS] for m in months]


def test_ranking_exports_match_the_api(api, world):
    params = {"unit": f"street:{world.org.street.pk}", **DECEMBER, "sort": "volunteer_hours"}
    admin = world.actors.street_admin
    api.force_authenticate(admin)
    rows = api.get("/api/v1/dashboard/ranking/", params).json()["rows"]
    header, *csv_rows = _csv_rows(_export(api, admin, "ranking", "csv", **params))
    assert header[:2] == ["名次", "单位"]
    assert [r[1] for r in csv_rows] == ["一居", "二居"]
    for csv_row, row in zip(csv_rows, rows, strict=True):
        assert int(csv_row[0]) == row["rank"]
        assert [_number(v) for v in csv_row[2:]] == [row["figures"][k] for k in RANKING_KEYS]
    sheet = load_workbook(io.BytesIO(_export(api, admin, "ranking", "xlsx", **params).content))
    xlsx_rows = list(sheet.worksheets[0].iter_rows(values_only=True))[1:]
    assert [r[1] for r in xlsx_rows] == ["一居", "二居"]
    assert [[float(v) if v is not None else None for v in r[2:]] for r in xlsx_rows] == [
        [row["figures"][k] for k in RANKING_KEYS] for row in rows
    ]


@pytest.mark.parametrize("who", ["district_leader", "street_admin", "worker", "superuser"])
def test_no_resident_is_named_in_any_dashboard_response(api, world, who):
    """Names, phone numbers and ID numbers (full and masked) of the residents who raised,
    joined, rated and served appear in no response: a leader sees aggregates, not people."""
    org, user = world.org, getattr(world.actors, who)
    units = {
        "district_leader": [f"district:{org.district.pk}", f"street:{org.street.pk}"],
        "street_admin": [f"street:{org.street.pk}", f"community:{org.community.pk}"],
        "worker": [f"community:{org.community.pk}", f"grid:{org.grid.pk}"],
        "superuser": [f"district:{org.district.pk}", f"grid:{org.grid.pk}"],
    }[who]
    api.force_authenticate(user)
    bodies = [api.get("/api/v1/dashboard/units/").content.decode()]
    for unit in units:
        params = {"unit": unit, "period": "year", "date": "2026"}
        bodies.append(api.get("/api/v1/dashboard/units/", {"parent": unit}).content.decode())
        for path in ("summary", "trend", "ranking"):
            response = api.get(f"/api/v1/dashboard/{path}/", params)
            assert response.status_code == 200
            bodies.append(json.dumps(response.json(), ensure_ascii=False))
            bodies.append(_export(api, user, path, "csv", **params).content.decode("utf-8-sig"))
            workbook = load_workbook(io.BytesIO(_export(api, user, path, "xlsx", **params).content))
            for sheet in workbook.worksheets:
                for row in sheet.iter_rows(values_only=True):
                    bodies.append(" ".join(str(v) for v in row if v is not None))
    text = "\n".join(bodies)
    assert world.id_numbers
    for secret in [*PII["names"], *PII["phones"], *world.id_numbers]:
        assert secret not in text, secret
    # The story's projects and topics are not listed either: figures only.
    assert "楼道照明改造" not in text
    assert world.topics["t1"].title not in text
