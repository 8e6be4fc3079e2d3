"""The bulk write behind the import (`services.residents_bulk_upsert`): change history with the
acting user, tags added and never removed, households matched or created, all or nothing, and
a number of queries that does not grow with the rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.scope import actor_scope
from residents import importing, services
from residents.importing import import_residents
from residents.models import Household, Resident
from tests.factories.residents import HouseholdFactory, TagFactory
from tests.residents import import_fixtures
from tests.residents.import_fixtures import csv_file, id_number, row

pytestmark = pytest.mark.django_db

units = import_fixtures.units  # a shared fixture

TagsHistory = services._tags_history_model()


def tag_set_of(record):
    """The tag names recorded with one history row of a resident."""
    return set(
        TagsHistory.objects.filter(history_id=record.history_id).values_list("tag__name", flat=True)
    )


def test_tag_history_is_tracked():
    # The m2m history rows below are only written when tags are tracked; if this ever fails,
    # the bulk path silently stops recording tag changes.
    assert TagsHistory is not None


def test_created_rows_have_history_by_the_importer_with_their_tags(org, actors, units):
    rows = [
        row(姓名="张桂英", 身份证号=id_number(1), 楼组="1号楼", 室号="302", 标签="党员、服务:助餐")
    ]

    report = import_residents(actor=actors.worker, data=csv_file(rows), filename="a.csv")

    assert report.ok and report.created == 1
    resident = Resident.objects.get()
    [record] = resident.history.all()
    assert (record.history_type, record.history_user) == ("+", actors.worker)
    assert record.history_change_reason == "批量导入"
    assert record.id_number_masked == resident.id_number_masked
    assert tag_set_of(record) == {"党员", "助餐"}


def test_updated_rows_have_history_by_the_importer_and_tags_are_only_added(
    org, actors, units, make_resident
):
    party = TagFactory(street=org.street, name="党员")
    resident = make_resident(name="张桂英", id_number=id_number(1), phone="13800000000")
    services.resident_update(actor=actors.superuser, resident=resident, tags=[party])
    rows = [row(姓名="张桂英", 身份证号=id_number(1), 联系电话="13912345678", 标签="独居老人")]

    report = import_residents(actor=actors.street_admin, data=csv_file(rows), filename="a.csv")

    assert report.ok and (report.created, report.updated, report.unchanged) == (0, 1, 0)
    resident.refresh_from_db()
    assert resident.phone == "13912345678"
    assert set(resident.tags.values_list("name", flat=True)) == {"党员", "独居老人"}
    latest = resident.history.latest()
    assert (latest.history_type, latest.history_user) == ("~", actors.street_admin)
    assert latest.phone == "13912345678"
    # The record holds the whole tag set, so a diff against the previous one shows the addition.
    assert tag_set_of(latest) == {"党员", "独居老人"}
    delta = latest.diff_against(latest.prev_record)
    assert {change.field for change in delta.changes} == {"phone", "tags"}


def test_a_matched_row_that_changes_nothing_writes_nothing(org, actors, units, make_resident):
    party = TagFactory(street=org.street, name="党员")
    resident = make_resident(name="张桂英", id_number=id_number(1), tags=[party])
    records = resident.history.count()
    rows = [row(姓名="张桂英", 身份证号=id_number(1), 标签="党员")]

    report = import_residents(actor=actors.worker, data=csv_file(rows), filename="a.csv")

    assert report.ok and (report.to_update, report.updated, report.unchanged) == (1, 0, 1)
    assert resident.history.count() == records


def test_households_are_matched_by_building_and_room_or_created(org, actors, units):
    existing = HouseholdFactory(
        community=org.community, grid=org.grid, building=units.building, room="101"
    )
    rows = [
        row(姓名="甲", 楼组="1号楼", 室号="101"),  # the registered household
        row(姓名="乙", 楼组="1号楼", 室号="102"),  # a new one …
        row(姓名="丙", 楼组="1号楼", 室号="102"),  # … shared by the family's next member
        row(姓名="丁", 微网格="二格", 楼组="2号楼", 室号="101"),  # same room, other building
        row(姓名="戊"),  # no room: no household
    ]

    report = import_residents(actor=actors.worker, data=csv_file(rows), filename="a.csv")

    assert report.ok, report.errors
    household = dict(Resident.objects.values_list("name", "household"))
    assert household["甲"] == existing.pk
    assert household["乙"] == household["丙"] not in (None, existing.pk)
    assert household["丁"] not in (None, existing.pk, household["乙"])
    assert household["戊"] is None
    assert Household.objects.count() == 3
    created = Household.objects.get(pk=household["丁"])
    assert (created.community, created.grid, created.building) == (
        org.community,
        org.sibling_grid,
        units.sibling_building,
    )
    [record] = created.history.all()
    assert (record.history_type, record.history_user) == ("+", actors.worker)


def test_a_failure_in_a_later_batch_rolls_back_everything(org, actors, units, make_resident):
    # given: the service called directly, two rows per batch, the fifth row refused
    # (its tag belongs to another street, which no import would hand it)
    foreign = TagFactory(street=org.foreign_street, name="外街标签")
    mine = TagFactory(street=org.street, name="党员")
    updated = make_resident(name="旧名", id_number=id_number(9))
    before = (Household.objects.count(), Resident.history.count(), Household.history.count())
    tag_history_before = TagsHistory.objects.count()
    upserts = [
        services.ResidentUpsert(
            ref=n,
            fields={
                "community": org.community,
                "name": f"居民{n}",
                "id_number": id_number(n),
                "grid": org.grid,
                "building": units.building,
                "room": f"{n}01",
            },
            tag_ids=(mine.pk,),
        )
        for n in range(1, 5)
    ]
    upserts[1] = services.ResidentUpsert(
        ref=2, fields={"name": "新名"}, resident_id=updated.pk, tag_ids=(mine.pk,)
    )
    upserts.append(
        services.ResidentUpsert(
            ref=5, fields={"community": org.community, "name": "外"}, tag_ids=(foreign.pk,)
        )
    )
    seen = []

    # when
    with pytest.raises(services.BulkRowError) as exc:
        services.residents_bulk_upsert(
            actor=actors.worker,
            rows=upserts,
            batch_size=2,
            on_progress=lambda done, total: seen.append((done, total)),
        )

    # then
    assert seen == [(2, 5), (4, 5)]
    assert [(ref, list(error.fields)) for ref, error in exc.value.rows] == [(5, ["tags"])]
    assert list(Resident.objects.values_list("name", flat=True)) == ["旧名"]
    assert not updated.tags.exists()
    assert (Household.objects.count(), Resident.history.count(), Household.history.count()) == (
        before
    )
    assert TagsHistory.objects.count() == tag_history_before


def test_the_service_refuses_a_resident_outside_the_actors_scope(org, actors, make_resident):
    outside = make_resident(community=org.sibling_community, name="外居民")

    with pytest.raises(services.BulkRowError) as exc:
        services.residents_bulk_upsert(
            actor=actors.worker,
            rows=[
                services.ResidentUpsert(ref="r1", fields={"name": "改名"}, resident_id=outside.pk)
            ],
        )

    assert [(ref, error.code) for ref, error in exc.value.rows] == [("r1", "forbidden")]
    outside.refresh_from_db()
    assert outside.name == "外居民"


def test_the_service_refuses_the_same_id_number_twice(org, actors):
    upserts = [
        services.ResidentUpsert(
            ref=n, fields={"community": org.community, "name": "甲", "id_number": id_number(1)}
        )
        for n in (1, 2)
    ]

    with pytest.raises(services.BulkRowError) as exc:
        services.residents_bulk_upsert(actor=actors.worker, rows=upserts, batch_size=1)

    assert [(ref, list(error.fields)) for ref, error in exc.value.rows] == [(2, ["id_number"])]
    assert Resident.objects.count() == 0


def test_the_service_encrypts_indexes_and_masks_like_resident_create(org, actors):
    services.residents_bulk_upsert(
        actor=actors.worker,
        rows=[
            services.ResidentUpsert(
                ref=1, fields={"community": org.community, "name": "甲", "id_number": id_number(1)}
            )
        ],
    )

    resident = Resident.objects.get()
    assert resident.id_number_index == services.id_number_index(id_number(1))
    assert resident.id_number_masked == id_number(1)[:4] + "*" * 10 + id_number(1)[-4:]
    assert services._decrypt_id_number(resident) == id_number(1)
    assert (resident.birth_date.isoformat(), resident.gender) == ("1958-03-01", "male")


def _file(first, count, updates=()):
    """`count` rows from ID number `first` on: new people in rooms of two (so households are
    created), every one tagged, then the residents of ID numbers `updates` renamed and tagged."""
    return csv_file(
        [
            row(
                姓名=f"居民{n}",
                身份证号=id_number(n),
                楼组="1号楼",
                室号=f"{n // 2}",
                与户主关系="户主" if n % 2 else "配偶",
                标签="党员、助餐",
                备注="批量",
            )
            for n in range(first, first + count)
        ]
        + [row(姓名="已登记改名", 身份证号=id_number(n), 标签="独居老人") for n in updates]
    )


def _queries_to_import(actor, data):
    actor_scope(actor)  # computed once per user object and cached: not part of the comparison
    with CaptureQueriesContext(connection) as ctx:
        report = import_residents(actor=actor, data=data, filename="a.csv")
    assert report.ok and report.written, report.errors
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_the_rows(org, actors, units, make_resident):
    for n in (900, 901):
        make_resident(name="已登记", id_number=id_number(n))
    for name in ("党员", "助餐", "独居老人"):
        TagFactory(street=org.street, name=name)
    few = _queries_to_import(actors.worker, _file(1, 10, updates=[900]))
    many = _queries_to_import(actors.worker, _file(100, 200, updates=[901]))

    assert few <= 40
    if connection.vendor == "postgresql":
        assert many == few
    else:
        # SQLite caps a statement at 999 parameters, so Django splits each INSERT of 200 rows
        # of ~20 columns into ~50-row statements; the cap, not the code, adds these.
        assert many - few <= 10
    assert Resident.objects.count() == 212
    assert Resident.objects.filter(name="已登记改名").count() == 2


def test_query_count_grows_by_a_constant_per_batch(org, actors, units, monkeypatch):
    for name in ("党员", "助餐"):
        TagFactory(street=org.street, name=name)
    monkeypatch.setattr(importing, "WRITE_BATCH", 50)

    one_batch = _queries_to_import(actors.worker, _file(1, 50))
    four_batches = _queries_to_import(actors.worker, _file(100, 200))

    assert Resident.objects.count() == 250
    # A batch of new residents: look-ups of ID numbers and households, inserts of households,
    # residents, tags and the three history tables, within a savepoint each where needed.
    assert 0 < four_batches - one_batch <= 3 * 15
