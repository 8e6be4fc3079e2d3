"""Bulk upsert (imports): many residents at a constant number of queries per batch, with the
same rules as resident_create / resident_update.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from core.exceptions import ApplicationError

from ..models import Household, Resident, Tag
from ._checks import _check_people_scope, _check_place, _raise_if
from ._id_numbers import _duplicate_id_error, _set_id_number, _store_id_number, id_number_index
from .residents import (
    RESIDENT_FIELDS,
    _clean_resident,
    _new_resident_values,
    _updated_resident_values,
)

BULK_UPSERT_FIELDS = tuple(f for f in RESIDENT_FIELDS if f not in ("household", "tags"))


@dataclass(frozen=True)
class ResidentUpsert:
    """One row for `residents_bulk_upsert`, with its places already resolved to instances."""

    ref: object  # the caller's name for the row (a spreadsheet row number), given back in errors
    fields: dict  # resident_create / resident_update arguments except household and tags
    resident_id: int | None = None  # the resident to update; None creates one
    tag_ids: tuple = ()  # tags to add; a bulk write never removes one


class BulkRowError(ApplicationError):
    """Rows of a bulk write were refused; `rows` pairs each row's `ref` with its error."""

    def __init__(self, rows: list[tuple[object, ApplicationError]]):
        _ref, first = rows[0]
        super().__init__(first.message, code=first.code, fields=first.fields)
        self.rows = rows


@transaction.atomic
def residents_bulk_upsert(
    *,
    actor,
    rows: Iterable[ResidentUpsert],
    on_progress: Callable[[int, int], None] | None = None,
    batch_size: int = 1000,
    change_reason: str = "",
) -> tuple[int, int]:
    """Create and update many residents with the rules of resident_create / resident_update,
    at a constant number of queries per batch instead of ~20 per row. Returns (created, updated).

    Per row, the same checks run in memory (`_clean_resident`, the actor's scope before and
    after, tags of the resident's street, ID numbers encrypted, indexed and masked through the
    same helpers); per batch, the existing residents are locked, duplicate ID numbers are looked
    up at once, households are matched or created by (building, room), and the rows, their
    added tags and their change history (with `actor` as the author and the tag set of each
    history record) are written with one INSERT or UPDATE per table. A matched resident whose
    row changes nothing is neither written nor given a history record (and not counted).

    Any refused row raises `BulkRowError` naming the rows of its batch; the caller's
    transaction then holds no part of the call. `on_progress(done, total)` runs after each
    batch.
    """
    rows = list(rows)
    for row in rows:
        unknown = set(row.fields) - set(BULK_UPSERT_FIELDS)
        if unknown:
            raise TypeError(f"residents_bulk_upsert() got unexpected fields: {sorted(unknown)}")
    writer = _BulkResidentWriter(actor, change_reason)
    total = len(rows)
    for start in range(0, total, batch_size):
        writer.write(rows[start : start + batch_size])
        if on_progress is not None:
            on_progress(min(start + batch_size, total), total)
    return writer.created, writer.updated


def _tags_history_model():
    """The model of the tag sets recorded with each resident history row, if tags are tracked."""
    history = Resident.history.model
    if not any(f.name == "tags" for f in getattr(history, "_history_m2m_fields", ())):
        return None
    return history.tags.model


@dataclass
class _Staged:
    row: ResidentUpsert
    resident: Resident
    values: dict
    number: str | None  # the ID number to store, "" to clear, None to leave alone
    before: dict | None  # an existing resident's column values before the row, else None
    household_key: tuple | None = None
    index: str = ""


class _BulkResidentWriter:
    def __init__(self, actor, change_reason):
        self.actor = actor
        self.change_reason = change_reason
        self.created = self.updated = 0
        self.tag_streets = {}  # tag id -> street id
        self.households = {}  # (building id, room) -> Household, over the whole call
        self.indexes = {}  # blind index -> ref of the row that carries it in this call
        self.resident_ids = set()  # residents already updated by this call
        self.through = Resident.tags.through
        self.tags_history = _tags_history_model()
        self.columns = [f for f in Resident._meta.concrete_fields if not f.primary_key]

    def write(self, batch):
        errors = []

        def refuse(row, exc):
            errors.append((row.ref, exc))

        self._load_tags(batch)
        existing = self._lock_existing(batch)
        current_tags = self._current_tags(existing)
        staged = []
        for row in batch:
            try:
                staged.append(self._stage(row, existing))
            except ApplicationError as exc:
                refuse(row, exc)
        households = self._households(staged, refuse)
        for item in list(staged):
            try:
                self._clean(item, households)
            except ApplicationError as exc:
                refuse(item.row, exc)
                staged.remove(item)
        self._check_duplicate_numbers(staged, refuse)
        if errors:
            order = {row.ref: n for n, row in enumerate(batch)}
            raise BulkRowError(sorted(errors, key=lambda e: order.get(e[0], 0)))
        self._save(staged, households, current_tags)

    # --- reading and checking, in memory but for a few queries per batch ------------------

    def _load_tags(self, batch):
        wanted = {t for row in batch for t in row.tag_ids} - set(self.tag_streets)
        if wanted:
            self.tag_streets.update(
                Tag.objects.filter(pk__in=wanted).values_list("pk", "street_id")
            )

    def _lock_existing(self, batch):
        ids = [row.resident_id for row in batch if row.resident_id is not None]
        if not ids:
            return {}
        # Locked like resident_update locks its row, so that a worker's edit cannot interleave.
        return {
            r.pk: r
            for r in Resident.objects.select_related("community", "grid", "building", "household")
            .select_for_update(of=("self",))
            .filter(pk__in=ids)
        }

    def _current_tags(self, existing):
        current = defaultdict(dict)  # resident id -> {tag id: through row id}
        if existing:
            for pk, resident_id, tag_id in self.through.objects.filter(
                resident_id__in=list(existing)
            ).values_list("pk", "resident_id", "tag_id"):
                current[resident_id][tag_id] = pk
        return current

    def _stage(self, row, existing):
        if row.resident_id is None:
            resident = Resident()
            values, number = _new_resident_values(row.fields)
            before = None
        else:
            resident = existing.get(row.resident_id)
            if resident is None or row.resident_id in self.resident_ids:
                message = _("该居民记录不存在或在本次导入中重复出现。")
                raise ApplicationError(message, code="not_found")
            self.resident_ids.add(row.resident_id)
            _check_people_scope(self.actor, resident)
            values, number, _place_changed = _updated_resident_values(resident, row.fields)
            before = {f.attname: getattr(resident, f.attname) for f in self.columns}
        community = values["community"]
        foreign = [t for t in row.tag_ids if self.tag_streets.get(t) != community.street_id]
        if foreign:
            message = _("标签不存在或不属于本街道：%(ids)s") % {"ids": ", ".join(map(str, foreign))}
            raise ApplicationError(message, fields={"tags": [message]})
        item = _Staged(row, resident, values, number, before)
        building, room = values["building"], (values["room"] or "").strip()
        placed = row.resident_id is None or {"community", "building", "room"} & set(row.fields)
        if building is not None and room and placed:
            # Members listed one by one (a family) share the household of their room.
            item.household_key = (building.pk, room)
        return item

    def _households(self, staged, refuse):
        """The household of every (building, room) in the batch: matched, or created with its
        change history."""
        keys = {s.household_key for s in staged if s.household_key} - set(self.households)
        if not keys:
            return self.households
        for household in Household.objects.filter(
            building_id__in={b for b, _room in keys}, room__in={r for _b, r in keys}
        ):
            key = (household.building_id, household.room)
            if key in keys:
                self.households[key] = household
        new = {}
        for item in staged:
            key = item.household_key
            if key is None or key in self.households or key in new:
                continue
            building, community = item.values["building"], item.values["community"]
            household = Household(
                community=community, grid_id=building.grid_id, building=building, room=key[1]
            )
            errors = {}
            _check_place(errors, community=community, grid=None, building=building)
            try:
                _raise_if(errors)
                _check_people_scope(self.actor, household)
            except ApplicationError as exc:
                refuse(item.row, exc)
                item.household_key = None
                continue
            new[key] = household
        if new:
            try:
                with transaction.atomic():
                    bulk_create_with_history(
                        list(new.values()),
                        Household,
                        default_user=self.actor,
                        default_change_reason=self.change_reason,
                    )
            except IntegrityError:
                # Another writer registered one of these rooms after our look-up.
                message = _("该楼组的这个室号已登记为一户。")
                raise ApplicationError(message, fields={"room": [message]}) from None
            self.households.update(new)
        return self.households

    def _clean(self, item, households):
        if item.household_key is not None:
            item.values["household"] = households.get(item.household_key)
        _clean_resident(item.resident, item.values)
        _check_people_scope(self.actor, item.resident)
        number = item.number
        if number:
            index = id_number_index(number)
            if item.resident.id_number_index == index:
                item.number = None  # the same number again: nothing to re-encrypt
            else:
                item.index = index

    def _check_duplicate_numbers(self, staged, refuse):
        """One look-up for the batch; the unique constraint still backs it against races."""
        fresh = [s for s in staged if s.index]
        taken = dict(
            Resident.objects.filter(id_number_index__in=[s.index for s in fresh]).values_list(
                "id_number_index", "pk"
            )
            if fresh
            else ()
        )
        for item in fresh:
            holder = taken.get(item.index)
            if (holder is not None and holder != item.row.resident_id) or (
                item.index in self.indexes
            ):
                refuse(item.row, _duplicate_id_error())
                staged.remove(item)
            else:
                self.indexes[item.index] = item.row.ref

    # --- writing: one statement per table and batch ----------------------------------------

    def _save(self, staged, households, current_tags):
        now = timezone.now()
        new, changed, changed_fields = [], [], set()
        for item in staged:
            resident = item.resident
            if item.number is not None:
                if item.number:
                    _store_id_number(resident, item.number, item.index)
                else:
                    _set_id_number(resident, "")
            if item.before is None:
                new.append(item)
                continue
            fields = {
                f.name
                for f in self.columns
                if getattr(resident, f.attname) != item.before[f.attname]
            }
            held = current_tags.get(resident.pk, {})
            if fields or any(t not in held for t in item.row.tag_ids):
                resident.updated_at = now
                changed_fields |= fields
                changed.append(item)

        if new:
            try:
                with transaction.atomic():
                    Resident.objects.bulk_create([s.resident for s in new])
            except IntegrityError as exc:
                if "id_number" in str(exc) or "resident_unique_id_number" in str(exc):
                    raise _duplicate_id_error() from None
                raise
        if changed_fields:
            Resident.objects.bulk_update(
                [s.resident for s in changed if s.before is not None],
                sorted(changed_fields | {"updated_at"}),
            )
        elif changed:
            Resident.objects.filter(pk__in=[s.resident.pk for s in changed]).update(updated_at=now)

        tags = self._add_tags(new + changed, current_tags)
        history = Resident.history
        # The manager's own bulk_history_create (what bulk_create_with_history and
        # bulk_update_with_history call) because it returns the history rows, whose ids the
        # tag sets below hang on; None when history is switched off.
        records = [
            *(
                history.bulk_history_create(
                    [s.resident for s in new],
                    default_user=self.actor,
                    default_change_reason=self.change_reason,
                    default_date=now,
                )
                or ()
            ),
            *(
                history.bulk_history_create(
                    [s.resident for s in changed],
                    update=True,
                    default_user=self.actor,
                    default_change_reason=self.change_reason,
                    default_date=now,
                )
                or ()
            ),
        ]
        if self.tags_history is not None:
            # What simple_history writes after each save: the resident's whole tag set as of
            # that history record, so that a diff between two records shows the tags added.
            self.tags_history.objects.bulk_create(
                [
                    self.tags_history(
                        history_id=record.history_id,
                        id=through_id,
                        resident_id=record.id,
                        tag_id=tag_id,
                    )
                    for record in records
                    for tag_id, through_id in tags.get(record.id, {}).items()
                ]
            )
        self.created += len(new)
        self.updated += len(changed)

    def _add_tags(self, items, current_tags):
        """Insert the missing (resident, tag) rows; return every written resident's tag set."""
        added = []
        for item in items:
            held = current_tags[item.resident.pk]
            for tag_id in dict.fromkeys(item.row.tag_ids):
                if tag_id not in held:
                    held[tag_id] = None
                    added.append(self.through(resident_id=item.resident.pk, tag_id=tag_id))
        for row in self.through.objects.bulk_create(added):
            current_tags[row.resident_id][row.tag_id] = row.pk
        return current_tags
