"""Bulk import of residents: validate every row, then write all or nothing.

One pipeline serves the admin (upload → preview → confirm), the Celery task for large files and
the `import_residents` management command:

1. `resources.read_table` turns a CSV (UTF-8 with or without BOM, or GBK as Excel in China
   saves it) or an XLSX workbook into rows numbered as the user sees them (the header is row 1).
2. `validate` checks EVERY row against the database and the importing user's scope, with the
   lookups loaded in a few queries up front, and collects `RowError`s (row, column, reason).
3. `import_residents` writes the validated rows with `services.residents_bulk_upsert` inside
   one transaction: the per-row rules of the services, but a constant number of statements per
   batch of rows (about 700 rows/s on PostgreSQL instead of 45 through one service call per
   row). Any error, early or late, rolls the whole file back: nothing is half-imported.

We do not use django-import-export's `Resource` here: its row model saves instances itself and
knows nothing of our scope, blind index, cross-row checks (a duplicate ID within the file) or
the services every write must go through; overriding all of that was more code than this.
An existing resident (matched by ID number through the blind index) is updated: filled cells
overwrite, blank cells leave the stored value alone, and tags are added, never removed.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.rules import is_people_staff
from accounts.scope import actor_scope
from core.exceptions import ApplicationError
from core.validators import normalize_phone, validate_phone
from grids.models import Building, Community, MicroGrid
from residents import services
from residents.idcard import (
    birth_date_of,
    gender_of,
    mask_id_number,
    normalize_id_number,
    validate_id_number,
)
from residents.models import Resident, Tag, TagFamily
from residents.resources import (
    DATE_FORMATS,
    FAMILY_ALIASES,
    GENDERS,
    HEADER_OF,
    KEY_OF,
    RELATIONS,
    STATUSES,
    TAG_FAMILY_PREFIX,
    TAG_SEPARATORS,
    ImportFileError,
    cell_text,
    read_table,
)

PREVIEW_ROWS = 20
# Rows per bulk write, and so per progress report: ~20 statements each, whatever its size.
WRITE_BATCH = 1000


@dataclass(frozen=True)
class RowError:
    row: int  # as numbered in the spreadsheet: the header is row 1; 0 for the whole file
    column: str  # the header of the offending column, "" for the row as a whole
    message: str

    def __str__(self):
        if not self.row:
            return self.message
        where = _("第%(row)d行") % {"row": self.row}
        if self.column:
            where += f"【{self.column}】"
        return f"{where}：{self.message}"


@dataclass
class PlannedRow:
    """One validated row, ready for a service call."""

    row: int
    resident_id: int | None  # an existing resident to update, else None (create)
    community: Community  # where the resident will live (also for an update that leaves it)
    fields: dict  # service keyword arguments, only the cells that were filled in
    tags: list  # [(family, name)]
    display: dict  # masked values for the preview


@dataclass
class ImportReport:
    total: int = 0
    to_create: int = 0
    to_update: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0  # matched residents whose row changed nothing (nothing written)
    written: bool = False
    errors: list = field(default_factory=list)  # [RowError]
    preview: list = field(default_factory=list)  # [dict] first rows, masked

    @property
    def ok(self):
        return not self.errors

    def as_dict(self):
        data = asdict(self)
        data["errors"] = [asdict(e) for e in self.errors]
        return data

    @classmethod
    def from_dict(cls, data):
        data = dict(data)
        data["errors"] = [RowError(**e) for e in data.get("errors", [])]
        return cls(**data)


# --- validation ---------------------------------------------------------------------------


class _Lookups:
    """Everything the rows are checked against, loaded once for the whole file."""

    def __init__(self, actor):
        self.scope = scope = actor_scope(actor)
        communities = Community.objects.select_related("street")
        if not scope.is_global:
            communities = communities.filter(street_id__in=scope.people_street_ids)
        self.communities = {c.pk: c for c in communities}
        self.community_by_code = {c.code: c for c in self.communities.values()}
        self.community_by_name = defaultdict(list)
        for c in self.communities.values():
            self.community_by_name[c.name].append(c)
        self.grids = {g.pk: g for g in MicroGrid.objects.filter(community_id__in=self.communities)}
        self.grid_by_name = {(g.community_id, g.name): g for g in self.grids.values()}
        self.grid_by_code = {g.code: g for g in self.grids.values()}
        self.building_by_grid = {}
        self.building_by_community = defaultdict(list)
        for b in Building.objects.select_related("grid", "community").filter(
            community_id__in=self.communities
        ):
            self.building_by_grid[(b.grid_id, b.name)] = b
            self.building_by_community[(b.community_id, b.name)].append(b)
        street_ids = {c.street_id for c in self.communities.values()}
        self.tags = {(t.street_id, t.name): t for t in Tag.objects.filter(street_id__in=street_ids)}

    def covers(self, community_id, grid_id):
        scope = self.scope
        return (
            scope.is_global
            or community_id in scope.people_community_ids
            or (grid_id is not None and grid_id in scope.grid_ids)
        )

    def default_community(self):
        """The one community an actor works in, so a worker's file may leave 居民区 blank."""
        scope = self.scope
        ids = set(scope.people_community_ids) | {
            self.grids[g].community_id for g in scope.grid_ids if g in self.grids
        }
        return self.communities.get(ids.pop()) if len(ids) == 1 else None

    def default_grid(self, community):
        """A grid leader's one grid in `community`, so their file may leave 微网格 blank."""
        if community.pk in self.scope.people_community_ids or self.scope.is_global:
            return None
        mine = [
            g
            for g in self.scope.grid_ids
            if g in self.grids and self.grids[g].community_id == community.pk
        ]
        return self.grids[mine[0]] if len(mine) == 1 else None


def _existing_by_index(indexes: Iterable[str]) -> dict:
    found = {}
    indexes = list(indexes)
    for start in range(0, len(indexes), 1000):
        chunk = indexes[start : start + 1000]
        for row in Resident.objects.filter(id_number_index__in=chunk).values(
            "pk", "id_number_index", "community_id", "grid_id", "building_id", "room"
        ):
            found[row["id_number_index"]] = row
    return found


def validate(*, actor, header: list[str], rows: list[tuple[int, list]]):
    """Check every row; return (planned rows, report). Writes nothing."""
    report = ImportReport(total=len(rows))
    errors = report.errors
    unknown = [h for h in header if h and h not in KEY_OF]
    for h in unknown:
        errors.append(RowError(1, h, _("无法识别的列名，请使用导入模板中的列名。")))
    if "姓名" not in header:
        errors.append(RowError(1, "姓名", _("缺少“姓名”列。")))
    if errors:
        return [], report
    positions = {KEY_OF[h]: i for i, h in enumerate(header) if h}
    lookups = _Lookups(actor)

    # First pass: cells to values, and the ID numbers to look up in one go.
    parsed = []
    seen_ids = {}
    for number, cells in rows:
        raw = {key: cells[i] if i < len(cells) else None for key, i in positions.items()}
        values = {key: cell_text(v) for key, v in raw.items()}
        row_errors = []
        id_number = normalize_id_number(values.get("id_number", ""))
        index = ""
        if id_number:
            try:
                validate_id_number(id_number)
            except ValidationError as exc:
                message = exc.messages[0]
                if isinstance(raw.get("id_number"), int | float):
                    message += _("（请将身份证号列设为“文本”格式，Excel 会截断长数字）")
                row_errors.append(RowError(number, "身份证号", message))
            else:
                index = services.id_number_index(id_number)
                if index in seen_ids:
                    row_errors.append(
                        RowError(
                            number,
                            "身份证号",
                            _("与第%(row)d行的身份证号重复。") % {"row": seen_ids[index]},
                        )
                    )
                else:
                    seen_ids[index] = number
        parsed.append((number, values, id_number, index, row_errors))
    existing = _existing_by_index(seen_ids)

    planned = []
    for number, values, id_number, index, row_errors in parsed:
        plan = _validate_row(lookups, number, values, id_number, existing.get(index), row_errors)
        if row_errors:
            errors.extend(row_errors)
        else:
            planned.append(plan)
            if plan.resident_id:
                report.to_update += 1
            else:
                report.to_create += 1
    report.preview = [p.display for p in planned[:PREVIEW_ROWS]]
    errors.sort(key=lambda e: e.row)
    return planned, report


def _validate_row(lookups, number, values, id_number, existing, errors):
    def error(column, message):
        errors.append(RowError(number, column, message))

    fields = {}
    name = values.get("name", "")
    if not name:
        error("姓名", _("姓名不能为空。"))
    elif len(name) > 32:
        error("姓名", _("姓名不能超过32个字。"))
    else:
        fields["name"] = name
    if id_number and existing is None:
        # On an update the number is the match key itself: nothing to change.
        fields["id_number"] = id_number

    gender = values.get("gender", "")
    if gender:
        if gender not in GENDERS:
            error("性别", _("性别应填“男”或“女”。"))
        else:
            fields["gender"] = GENDERS[gender]
    birth_date = None
    if values.get("birth_date"):
        birth_date = _parse_date(values["birth_date"])
        if birth_date is None:
            error("出生日期", _("无法识别的日期，请写成 1958-03-01。"))
        else:
            fields["birth_date"] = birth_date
    if id_number and not errors:
        # The ID number states both; a contradicting cell is a typo somewhere.
        if birth_date and birth_date != birth_date_of(id_number):
            error("出生日期", _("出生日期与身份证号不一致。"))
        if gender and gender in GENDERS and GENDERS[gender] != gender_of(id_number):
            error("性别", _("性别与身份证号不一致。"))
        if existing is None:
            fields.setdefault("birth_date", birth_date_of(id_number))
            fields.setdefault("gender", gender_of(id_number))

    phone = normalize_phone(values.get("phone", ""))
    if phone:
        try:
            validate_phone(phone)
        except ValidationError as exc:
            error("联系电话", exc.messages[0])
        else:
            fields["phone"] = phone

    for key, choices, labels in (
        ("relation_to_head", RELATIONS, Resident.Relation.labels),
        ("status", STATUSES, Resident.Status.labels),
    ):
        if values.get(key):
            if values[key] not in choices:
                # Built only for a bad cell: translating it for every row was a third of the
                # time spent validating a large file.
                listed = "、".join(str(label) for label in labels)
                error(HEADER_OF[key], _("请填写：%s。") % listed)
            else:
                fields[key] = choices[values[key]]
    if values.get("notes"):
        fields["notes"] = values["notes"]
    room = values.get("room", "")
    if len(room) > 16:
        error("室号", _("室号不能超过16个字符。"))
    elif room:
        fields["room"] = room

    if existing is not None and not lookups.covers(existing["community_id"], existing["grid_id"]):
        # Says no more than the unique ID constraint would: the record itself stays unseen.
        error("身份证号", _("该身份证号的居民已登记在您的管辖范围以外，无法导入。"))
        return None
    community, grid, building = _resolve_units(lookups, values, existing, error)
    if (
        community is not None
        and not errors
        and not lookups.covers(community.pk, grid.pk if grid else None)
    ):
        column = "微网格" if values.get("grid") or not values.get("community") else "居民区"
        error(column, _("不在您的管辖范围内。"))

    tags = []
    if values.get("tags") and community is not None:
        tags = _parse_tags(lookups, community, values["tags"], error)

    if errors:
        return None
    if existing is None or values.get("community"):
        fields["community"] = community
    if grid is not None:
        fields["grid"] = grid
    if building is not None:
        fields["building"] = building
    display = {
        "row": number,
        "action": str(_("更新") if existing else _("新增")),
        "name": name,
        "id_number": mask_id_number(id_number) if id_number else "",
        "community": community.name,
        "grid": grid.name if grid else "",
        "building": building.name if building else "",
        "room": room,
        "tags": "、".join(name for _family, name in tags),
    }
    return PlannedRow(
        number, existing["pk"] if existing else None, community, fields, tags, display
    )


def _resolve_units(lookups, values, existing, error):
    """The row's community, grid and building, from names or codes within the actor's street."""
    community = grid = building = None
    text = values.get("community", "")
    if text:
        community = lookups.community_by_code.get(text)
        if community is None:
            matches = lookups.community_by_name.get(text, [])
            if len(matches) > 1:
                error("居民区", _("有多个同名居民区，请填写居民区编码。"))
                return None, None, None
            community = matches[0] if matches else None
        if community is None:
            error("居民区", _("找不到居民区“%(name)s”。") % {"name": text})
            return None, None, None
    elif existing is not None:
        community = lookups.communities.get(existing["community_id"])
    else:
        community = lookups.default_community()
        if community is None:
            error("居民区", _("请填写居民区名称或编码。"))
            return None, None, None
    if community is None:
        return None, None, None

    text = values.get("grid", "")
    if text:
        grid = lookups.grid_by_code.get(text) or lookups.grid_by_name.get((community.pk, text))
        if grid is None or grid.community_id != community.pk:
            error(
                "微网格",
                _("居民区“%(community)s”下没有微网格“%(name)s”。")
                % {"community": community.name, "name": text},
            )
            return community, None, None
    elif existing is not None and existing["community_id"] == community.pk and existing["grid_id"]:
        grid = lookups.grids.get(existing["grid_id"])
    else:
        grid = lookups.default_grid(community)

    text = values.get("building", "")
    if text:
        if grid is not None:
            building = lookups.building_by_grid.get((grid.pk, text))
            if building is None:
                error(
                    "楼组",
                    _("微网格“%(grid)s”下没有楼组“%(name)s”。") % {"grid": grid.name, "name": text},
                )
        else:
            matches = lookups.building_by_community.get((community.pk, text), [])
            if len(matches) == 1:
                building = matches[0]
                grid = lookups.grids.get(building.grid_id)
            elif matches:
                error(
                    "楼组", _("多个微网格下都有楼组“%(name)s”，请同时填写微网格。") % {"name": text}
                )
            else:
                error(
                    "楼组",
                    _("居民区“%(community)s”下没有楼组“%(name)s”。")
                    % {"community": community.name, "name": text},
                )
    return community, grid, building


def _parse_date(text):
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _parse_tags(lookups, community, text, error):
    tags = []
    for item in TAG_SEPARATORS.split(text):
        item = item.strip()
        if not item:
            continue
        family = None
        match = TAG_FAMILY_PREFIX.match(item)
        if match:
            prefix, item = match.groups()
            family = FAMILY_ALIASES.get(prefix)
            if family is None:
                error(
                    "标签",
                    _("“%(prefix)s”不是标签类别，请用“身份”“服务”或“管理”。") % {"prefix": prefix},
                )
                continue
        if len(item) > 32:
            error("标签", _("标签名“%(name)s”超过32个字。") % {"name": item})
            continue
        known = lookups.tags.get((community.street_id, item))
        if known is not None and family is not None and known.family != family:
            error(
                "标签",
                _("标签“%(name)s”已属于“%(family)s”类别。")
                % {"name": item, "family": known.get_family_display()},
            )
            continue
        family = known.family if known is not None else (family or TagFamily.IDENTITY)
        if (family, item) not in tags:
            tags.append((family, item))
    return tags


# --- writing ------------------------------------------------------------------------------


class _RollBack(Exception):
    pass


def _check_actor(actor):
    if not is_people_staff.test(actor):
        raise ApplicationError(
            _("只有街道管理员、社区工作者和微网格长可以导入居民。"), code="forbidden"
        )


def preview_import(*, actor, data: bytes, filename: str) -> ImportReport:
    """What importing the file would do (counts, the first rows, every row error), read-only."""
    _check_actor(actor)
    try:
        header, rows = read_table(data, filename)
    except ImportFileError as exc:
        return ImportReport(errors=[RowError(0, "", str(exc))])
    return validate(actor=actor, header=header, rows=rows)[1]


def import_residents(
    *,
    actor,
    data: bytes,
    filename: str,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Validate the whole file, then write it in bulk through the services in one transaction.

    Nothing is written if any row is rejected, whether by validation or later by a service
    (a late failure rolls back the rows already written). `dry_run` goes all the way through
    the services and rolls back, so it reports exactly what a real run would.
    """
    _check_actor(actor)
    try:
        header, rows = read_table(data, filename)
    except ImportFileError as exc:
        return ImportReport(errors=[RowError(0, "", str(exc))])
    planned, report = validate(actor=actor, header=header, rows=rows)
    if not report.ok:
        return report
    try:
        with transaction.atomic():
            _write(actor, planned, report, progress)
            if report.errors or dry_run:
                raise _RollBack
    except _RollBack:
        report.created = report.updated = report.unchanged = 0
    else:
        report.written = True
    return report


def _write(actor, planned, report, progress):
    try:
        tag_ids = _resolve_tags(actor, planned)
        created, updated = services.residents_bulk_upsert(
            actor=actor,
            rows=[
                services.ResidentUpsert(
                    ref=plan.row,
                    fields=plan.fields,
                    resident_id=plan.resident_id,
                    tag_ids=tuple(
                        tag_ids[(plan.community.street_id, name)] for _f, name in plan.tags
                    ),
                )
                for plan in planned
            ],
            on_progress=progress,
            batch_size=WRITE_BATCH,
            change_reason=_("批量导入"),
        )
    except services.BulkRowError as exc:
        for number, error in exc.rows:
            _add_errors(report, number, error)
    except ApplicationError as exc:
        _add_errors(report, 0, exc)
    else:
        report.created, report.updated = created, updated
        report.unchanged = report.to_update - updated


def _add_errors(report, number, exc):
    for column, messages in (exc.fields or {"": [exc.message]}).items():
        header = HEADER_OF.get(column, "")
        for message in messages:
            report.errors.append(RowError(number, header, message))


def _resolve_tags(actor, planned) -> dict:
    """{(street id, name): tag id} for every tag the file names: matched by name, or created
    in the family of the first row that names it (a few queries per distinct new name)."""
    wanted = {}  # (street, name) -> family, in the order of the rows
    streets = {}
    for plan in planned:
        street = plan.community.street
        streets[street.pk] = street
        for family, name in plan.tags:
            wanted.setdefault((street.pk, name), family)
    by_group = defaultdict(list)
    for (street_id, name), family in wanted.items():
        by_group[(street_id, family)].append(name)
    found = {}
    for (street_id, family), names in by_group.items():
        for tag in services.tags_get_or_create(
            actor=actor, street=streets[street_id], names=names, family=family
        ):
            found[(street_id, tag.name)] = tag.pk
    return found
