"""The spreadsheet side of residents: the columns of the import/export files, reading CSV
and XLSX into rows, the empty template, and the export.

Headers are Chinese and the same in the template, the import and the export. An export
carries ID and phone numbers masked only, so it is a report to read, not a file to edit and
re-import. Files are read and written with the csv module and openpyxl (the library underneath
django-import-export's xlsx format).
"""

import csv
import datetime
import io
import re

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.rules import is_people_staff
from accounts.scope import Level, actor_scope
from core.exceptions import ApplicationError
from core.validators import mask_phone
from residents import services
from residents.models import Resident, TagFamily

# (key, header). The headers are what users see and type; the order is the template's.
COLUMNS = [
    ("name", "姓名"),
    ("id_number", "身份证号"),
    ("gender", "性别"),
    ("birth_date", "出生日期"),
    ("phone", "联系电话"),
    ("community", "居民区"),
    ("grid", "微网格"),
    ("building", "楼组"),
    ("room", "室号"),
    ("relation_to_head", "与户主关系"),
    ("status", "居住状态"),
    ("tags", "标签"),
    ("notes", "备注"),
]
HEADERS = [header for _key, header in COLUMNS]
HEADER_OF = dict(COLUMNS)
KEY_OF = {header: key for key, header in COLUMNS}

TAG_SEPARATORS = re.compile(r"[、,，;；\n]+")
TAG_FAMILY_PREFIX = re.compile(r"^\s*([^:：]+?)\s*[:：]\s*(.+?)\s*$")
# A family prefix may be the full label or its short form ("身份:党员", "服务:助餐").
FAMILY_ALIASES = {
    "身份类别": TagFamily.IDENTITY,
    "身份": TagFamily.IDENTITY,
    "服务": TagFamily.SERVICE,
    "服务类别": TagFamily.SERVICE,
    "管理项目": TagFamily.MANAGEMENT,
    "管理": TagFamily.MANAGEMENT,
}
FAMILY_PREFIX_OUT = {
    TagFamily.IDENTITY: "",
    TagFamily.SERVICE: "服务:",
    TagFamily.MANAGEMENT: "管理:",
}
GENDERS = {
    "男": Resident.Gender.MALE,
    "女": Resident.Gender.FEMALE,
    "male": Resident.Gender.MALE,
    "female": Resident.Gender.FEMALE,
}
RELATIONS = {str(label): value for value, label in Resident.Relation.choices} | {
    value: value for value in Resident.Relation.values
}
STATUSES = (
    {str(label): value for value, label in Resident.Status.choices}
    | {value: value for value in Resident.Status.values}
    | {"迁出": Resident.Status.MOVED_OUT, "死亡": Resident.Status.DECEASED}
)
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")


class ImportFileError(Exception):
    """The file as a whole cannot be read (format, encoding, headers)."""


# --- reading ------------------------------------------------------------------------------


def read_table(data: bytes, filename: str) -> tuple[list[str], list[tuple[int, list]]]:
    """The header cells and the data rows [(row number, cells)] of a CSV or XLSX file.
    Blank rows are skipped but keep their number, so errors point at the right line."""
    name = (filename or "").lower()
    if name.endswith(".xlsx") or data[:4] == b"PK\x03\x04":
        rows = _read_xlsx(data)
    elif name.endswith((".csv", ".txt")) or not name:
        rows = _read_csv(data)
    else:
        raise ImportFileError(_("只支持 CSV 和 Excel (.xlsx) 文件。"))
    header, body = None, []
    for number, cells in rows:
        if header is None:
            if any(cell_text(c) for c in cells):
                header = [cell_text(c) for c in cells]
            continue
        if any(cell_text(c) for c in cells):
            body.append((number, list(cells)))
    if header is None:
        raise ImportFileError(_("文件是空的，没有表头。"))
    return header, body


def _read_csv(data: bytes):
    # Excel in China saves CSV as GBK; UTF-8 (with or without BOM) is tried first because
    # a valid UTF-8 text is almost never valid GBK by accident, while the reverse is common.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError(_("无法识别文件编码，请另存为 UTF-8 或 GBK 编码的 CSV。"))
    try:
        return list(enumerate(csv.reader(io.StringIO(text, newline="")), start=1))
    except csv.Error as exc:
        raise ImportFileError(_("CSV 格式有误：%(error)s") % {"error": exc}) from None


def _read_xlsx(data: bytes):
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged or non-xlsx file
        raise ImportFileError(
            _("无法读取 Excel 文件，请确认是 .xlsx 格式（不支持旧版 .xls）。")
        ) from None
    try:
        sheet = book.worksheets[0]
        return [
            (number, list(cells))
            for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    finally:
        book.close()


def cell_text(value) -> str:
    """A cell as text: Excel hands numbers and dates over typed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


TEMPLATE_NOTES = [
    ("姓名", "必填。"),
    ("身份证号", "18位；已登记的身份证号会更新该居民，否则新增。Excel 中请将此列设为“文本”格式。"),
    ("性别", "男 或 女；留空时按身份证号推算。"),
    ("出生日期", "如 1958-03-01；留空时按身份证号推算。"),
    ("联系电话", "手机号或带区号的固定电话。"),
    ("居民区", "居民区名称或编码；只管理一个居民区时可留空。"),
    ("微网格", "微网格名称或编码。"),
    ("楼组", "楼组名称，如“12号楼”。"),
    ("室号", "如 302。同一楼组同一室号的居民归为一户。"),
    ("与户主关系", "、".join(str(label) for label in Resident.Relation.labels)),
    ("居住状态", "、".join(str(label) for label in Resident.Status.labels) + "；留空为在住。"),
    (
        "标签",
        "多个标签用顿号、逗号或分号隔开；新标签默认为身份类别，可写“服务:助餐”“管理:重点关注”。",
    ),
    ("备注", "走访了解到的情况。"),
]


def template_file(fmt: str) -> bytes:
    """An empty import template: the headers, and for Excel a sheet of notes."""
    if fmt == "csv":
        return _csv_bytes([HEADERS])
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "居民"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    # Text format keeps Excel from turning 18-digit ID numbers into rounded floats.
    for column in ("B", "E", "I"):
        for row in range(2, 5002):
            sheet[f"{column}{row}"].number_format = "@"
        sheet.column_dimensions[column].width = 22
    notes = book.create_sheet("填写说明")
    notes.append(["列", "说明"])
    for row in TEMPLATE_NOTES:
        notes.append(list(row))
    notes.column_dimensions["B"].width = 80
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _csv_bytes(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows(rows)
    # A BOM so that Excel opens the UTF-8 file with the Chinese intact.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def export_queryset(*, actor, queryset=None):
    """The residents an export may contain: `queryset` (e.g. the admin's filtered changelist)
    limited again to the actor's people scope."""
    if not is_people_staff.test(actor):
        raise ApplicationError(
            _("只有街道管理员、社区工作者和微网格长可以导出居民。"), code="forbidden"
        )
    qs = queryset if queryset is not None else Resident.objects.all()
    return (
        actor_scope(actor)
        .filter(qs, Level.PEOPLE)
        .select_related("community", "grid", "building")
        .prefetch_related("tags")
        .order_by("community__code", "building__name", "room", "pk")
    )


def export_residents(
    *, actor, fmt: str, queryset=None, channel: str = "admin", ip_address: str | None = None
) -> tuple[bytes, int]:
    """(file, number of residents): the residents in scope as CSV or XLSX with the import's
    headers, ID and phone numbers masked (an export never carries them in clear). Every
    exported resident gets an access-log row (action "export"), written in bulk."""
    if fmt not in ("csv", "xlsx"):
        raise ApplicationError(
            _("导出格式只能是 csv 或 xlsx。"),
            code="invalid",
            fields={"format": _("导出格式只能是 csv 或 xlsx。")},
        )
    rows, ids = [HEADERS], []
    for r in export_queryset(actor=actor, queryset=queryset).iterator(chunk_size=2000):
        rows.append(
            [
                r.name,
                r.id_number_masked,
                r.get_gender_display() if r.gender else "",
                r.birth_date.isoformat() if r.birth_date else "",
                mask_phone(r.phone),
                r.community.name,
                r.grid.name if r.grid else "",
                r.building.name if r.building else "",
                r.room,
                r.get_relation_to_head_display() if r.relation_to_head else "",
                r.get_status_display(),
                "、".join(FAMILY_PREFIX_OUT[t.family] + t.name for t in r.tags.all()),
                r.notes,
            ]
        )
        ids.append(r.pk)
    with transaction.atomic():
        # Chunks keep each IN list within SQLite's bound on query parameters.
        for start in range(0, len(ids), 2000):
            services.resident_record_export(
                actor=actor,
                resident_ids=ids[start : start + 2000],
                channel=channel,
                ip=ip_address,
                reason=_("批量导出"),
            )
    if fmt == "csv":
        return _csv_bytes(rows), len(ids)
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("居民")
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), len(ids)
