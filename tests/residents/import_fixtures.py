"""Helpers and fixtures for the bulk import/export tests: files built in memory, in the formats
workers really upload (UTF-8 with BOM as Excel's "CSV UTF-8", GBK as Excel's plain "CSV", XLSX)."""

import csv
import io
from types import SimpleNamespace

import pytest
from openpyxl import Workbook, load_workbook

from residents.idcard import check_char
from residents.resources import HEADERS
from tests.factories.org import BuildingFactory


def id_number(n: int, *, born: str = "19580301", area: str = "310104") -> str:
    """A checksum-valid ID number, distinct for every n below 1000 (fictional)."""
    first17 = f"{area}{born}{n % 1000:03d}"
    return first17 + check_char(first17)


def bad_checksum(number: str) -> str:
    last = "0" if number[-1] != "0" else "1"
    return number[:-1] + last


def row(**cells) -> dict:
    """A data row by header: row(姓名="张三", 身份证号=...)."""
    unknown = set(cells) - set(HEADERS)
    assert not unknown, unknown
    return cells


def table(rows, headers=HEADERS) -> list[list]:
    return [list(headers)] + [[r.get(h, "") for h in headers] for r in rows]


def csv_file(rows, *, encoding="utf-8-sig", headers=HEADERS) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(table(rows, headers))
    return out.getvalue().encode(encoding)


def xlsx_file(rows, *, headers=HEADERS) -> bytes:
    book = Workbook()
    sheet = book.active
    for cells in table(rows, headers):
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read_xlsx(data: bytes) -> list[list]:
    book = load_workbook(io.BytesIO(data), read_only=True)
    return [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]


def read_csv(data: bytes) -> list[list]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


@pytest.fixture
def units(org):
    """A building group in each of the org fixture's grids (一格, 二格 of 一居; 三格 of 二居)."""
    return SimpleNamespace(
        building=BuildingFactory(grid=org.grid, name="1号楼"),
        sibling_building=BuildingFactory(grid=org.sibling_grid, name="2号楼"),
        other_building=BuildingFactory(grid=org.other_community_grid, name="3号楼"),
    )
