"""Bulk import of residents: the pipeline shared by the admin, the task and the command."""

import datetime

import pytest

from core.exceptions import ApplicationError
from residents import importing, services
from residents.importing import import_residents, preview_import
from residents.models import Household, Resident, Tag, TagFamily
from tests.factories.residents import TagFactory
from tests.residents import import_fixtures
from tests.residents.import_fixtures import (
    bad_checksum,
    csv_file,
    id_number,
    row,
    xlsx_file,
)

pytestmark = pytest.mark.django_db

units = import_fixtures.units  # a shared fixture


def two_rows(org):
    return [
        row(
            姓名="张桂英",
            身份证号=id_number(1),
            联系电话="13812345678",
            居民区="一居",
            微网格="一格",
            楼组="1号楼",
            室号="302",
            与户主关系="户主",
            标签="党员、服务:助餐",
        ),
        row(
            姓名="李建国",
            身份证号=id_number(2, born="19600512"),
            居民区=org.community.code,
            微网格="一格",
            楼组="1号楼",
            室号="302",
            与户主关系="配偶",
            标签="党员",
            备注="腿脚不便",
        ),
    ]


def assert_two_rows_imported(org, units, report):
    assert report.ok, report.errors
    assert (report.created, report.updated, report.written) == (2, 0, True)
    zhang = services.resident_find_by_id_number(actor=_root(), id_number=id_number(1))
    assert zhang.name == "张桂英"
    assert zhang.id_number_masked == id_number(1)[:4] + "*" * 10 + id_number(1)[-4:]
    assert zhang.id_number_encrypted and id_number(1) not in zhang.id_number_encrypted
    # The 17th digit of id_number(1) is odd: male.
    assert (zhang.birth_date, zhang.gender) == (datetime.date(1958, 3, 1), "male")
    assert (zhang.community, zhang.grid, zhang.building, zhang.room) == (
        org.community,
        org.grid,
        units.building,
        "302",
    )
    assert zhang.relation_to_head == Resident.Relation.HEAD
    assert {(t.family, t.name) for t in zhang.tags.all()} == {
        (TagFamily.IDENTITY, "党员"),
        (TagFamily.SERVICE, "助餐"),
    }
    li = Resident.objects.get(name="李建国")
    assert li.notes == "腿脚不便"
    # Both rows of room 302 make one household, and the tag 党员 is one row, not two.
    assert zhang.household is not None and li.household_id == zhang.household_id
    assert Household.objects.count() == 1
    assert Tag.objects.filter(street=org.street, name="党员").count() == 1


def _root():
    from accounts.models import User

    return User.objects.get(username="root")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gbk"])
def test_csv_imports_in_the_encodings_excel_writes(org, actors, units, encoding):
    data = csv_file(two_rows(org), encoding=encoding)

    report = import_residents(actor=actors.worker, data=data, filename="居民.csv")

    assert_two_rows_imported(org, units, report)


def test_xlsx_imports_typed_cells(org, actors, units):
    rows = two_rows(org)
    # Excel hands over numbers and dates typed, not as text.
    rows[0]["联系电话"] = 13812345678
    rows[0]["出生日期"] = datetime.datetime(1958, 3, 1)

    report = import_residents(actor=actors.worker, data=xlsx_file(rows), filename="居民.xlsx")

    assert_two_rows_imported(org, units, report)


def test_blank_community_defaults_to_the_workers_one_and_blank_rows_are_skipped(org, actors):
    rows = [row(姓名="王芳"), row(), row(姓名="赵强", 性别="男")]

    report = import_residents(actor=actors.worker, data=csv_file(rows), filename="a.csv")

    assert report.ok and report.created == 2
    assert set(Resident.objects.values_list("community", flat=True)) == {org.community.pk}


BAD_ROWS = [
    # (the bad cells, column, part of the reason)
    ({"身份证号": bad_checksum(id_number(9))}, "身份证号", "校验位"),
    ({"身份证号": "31010419580301"}, "身份证号", "18位"),
    ({"微网格": "九格"}, "微网格", "没有微网格“九格”"),
    ({"居民区": "二居"}, "居民区", "不在您的管辖范围内"),
    ({"居民区": "三居"}, "居民区", "找不到居民区“三居”"),  # another street's community
    ({"居民区": "四居"}, "居民区", "找不到居民区“四居”"),  # another district's
    ({"楼组": "2号楼", "微网格": "一格"}, "楼组", "没有楼组“2号楼”"),
    ({"联系电话": "12345"}, "联系电话", "手机号码"),
    ({"性别": "未知"}, "性别", "男"),
    ({"出生日期": "1958-03-02"}, "出生日期", "不一致"),
    ({"出生日期": "三月"}, "出生日期", "无法识别"),
    ({"与户主关系": "邻居"}, "与户主关系", "户主"),
    ({"居住状态": "出差"}, "居住状态", "在住"),
    ({"姓名": ""}, "姓名", "不能为空"),
    ({"标签": "爱好:下棋"}, "标签", "不是标签类别"),
]


@pytest.mark.parametrize(("cells", "column", "reason"), BAD_ROWS)
def test_one_bad_row_writes_nothing_and_names_row_column_reason(
    org, actors, units, cells, column, reason
):
    rows = [*two_rows(org), row(**{"姓名": "坏行", "身份证号": id_number(3), **cells})]

    report = import_residents(actor=actors.worker, data=csv_file(rows), filename="a.csv")

    assert not report.written
    assert len(report.errors) == 1
    error = report.errors[0]
    assert (error.row, error.column) == (4, column)  # header row 1, data from row 2
    assert reason in error.message
    assert f"第4行【{column}】" in str(error)
    assert Resident.objects.count() == 0
    assert Tag.objects.count() == 0
    assert Household.objects.count() == 0


def test_duplicate_id_in_the_file_names_both_rows(org, actors, units):
    rows = [*two_rows(org), row(姓名="重复", 身份证号=id_number(1).lower())]

    report = import_residents(actor=actors.worker, data=csv_file(rows), filename="a.csv")

    assert [(e.row, e.column) for e in report.errors] == [(4, "身份证号")]
    assert "与第2行的身份证号重复" in report.errors[0].message
    assert Resident.objects.count() == 0


def test_every_bad_row_is_reported_in_row_order(org, actors, units):
    rows = [
        row(姓名="一", 微网格="九格"),
        row(姓名="二"),
        row(姓名="", 联系电话="1"),
    ]

    report = import_residents(actor=actors.worker, data=xlsx_file(rows), filename="a.xlsx")

    assert [(e.row, e.column) for e in report.errors] == [
        (2, "微网格"),
        (4, "姓名"),
        (4, "联系电话"),
    ]
    assert Resident.objects.count() == 0


def test_a_late_failure_rolls_back_the_batches_already_written(org, actors, units, monkeypatch):
    # given: one row per batch, and the third row's ID number registered by someone else
    # after the file was validated (a late failure, past two written batches)
    rows = [
        *two_rows(org),
        row(姓名="王芳", 身份证号=id_number(3), 楼组="1号楼", 室号="501", 标签="新标签"),
    ]
    monkeypatch.setattr(importing, "WRITE_BATCH", 1)
    real_validate = importing.validate

    def validate_then_race(**kwargs):
        result = real_validate(**kwargs)
        services.resident_create(
            actor=actors.street_admin,
            community=org.sibling_community,
            name="别处登记",
            id_number=id_number(3),
        )
        return result

    monkeypatch.setattr(importing, "validate", validate_then_race)
    seen = []

    # when
    report = import_residents(
        actor=actors.worker,
        data=csv_file(rows),
        filename="a.csv",
        progress=lambda done, total: seen.append(done),
    )

    # then: the first two rows were written before the failure, and none of it is kept
    assert seen == [1, 2]
    assert [(e.row, e.column) for e in report.errors] == [(4, "身份证号")]
    assert "已有居民登记" in report.errors[0].message
    assert not report.written and (report.created, report.updated) == (0, 0)
    assert list(Resident.objects.values_list("name", flat=True)) == ["别处登记"]
    assert Household.objects.count() == 0 and Tag.objects.count() == 0
    # only the other registration's history is left
    assert set(Resident.history.values_list("name", flat=True)) == {"别处登记"}
    assert Household.history.count() == 0


def test_tags_are_matched_by_name_and_created_when_new(org, actors, units):
    party = TagFactory(street=org.street, name="党员")
    meals = TagFactory(street=org.street, name="助餐", family=TagFamily.SERVICE)
    TagFactory(street=org.foreign_street, name="独居老人")  # another street's: not reused
    rows = [row(姓名="甲", 标签="党员，助餐；独居老人、管理:重点关注")]

    report = import_residents(actor=actors.worker, data=csv_file(rows), filename="a.csv")

    assert report.ok, report.errors
    resident = Resident.objects.get()
    tags = {t.name: t for t in resident.tags.all()}
    assert tags["党员"] == party and tags["助餐"] == meals
    assert tags["独居老人"].street == org.street and tags["独居老人"].family == TagFamily.IDENTITY
    assert tags["重点关注"].family == TagFamily.MANAGEMENT
    assert Tag.objects.filter(name="独居老人").count() == 2


def test_a_tag_prefix_that_contradicts_the_existing_family_is_an_error(org, actors):
    TagFactory(street=org.street, name="助餐", family=TagFamily.SERVICE)
    rows = [row(姓名="甲", 标签="管理:助餐")]

    report = import_residents(actor=actors.worker, data=csv_file(rows), filename="a.csv")

    assert [(e.row, e.column) for e in report.errors] == [(2, "标签")]
    assert "已属于“服务”类别" in report.errors[0].message


def test_existing_resident_is_updated_by_id_number(org, actors, units):
    party = TagFactory(street=org.street, name="党员")
    resident = services.resident_create(
        actor=actors.worker,
        community=org.community,
        name="张桂英",
        id_number=id_number(1),
        phone="13800000000",
        notes="旧备注",
        tags=[party],
    )
    rows = [
        row(
            姓名="张桂英",
            身份证号=id_number(1),
            联系电话="13912345678",
            微网格="二格",
            楼组="2号楼",
            室号="101",
            标签="独居老人",
        )
    ]

    preview = preview_import(actor=actors.worker, data=csv_file(rows), filename="a.csv")
    report = import_residents(actor=actors.worker, data=csv_file(rows), filename="a.csv")

    assert (preview.to_create, preview.to_update) == (0, 1)
    assert report.ok and (report.created, report.updated) == (0, 1)
    resident.refresh_from_db()
    assert Resident.objects.count() == 1
    assert resident.phone == "13912345678"
    assert (resident.grid, resident.building, resident.room) == (
        org.sibling_grid,
        units.sibling_building,
        "101",
    )
    assert resident.notes == "旧备注"  # a blank cell leaves the stored value alone
    assert {t.name for t in resident.tags.all()} == {"党员", "独居老人"}  # tags are added
    assert resident.household.room == "101"


def test_a_resident_registered_outside_the_scope_is_not_touched(org, actors):
    services.resident_create(
        actor=actors.superuser,
        community=org.sibling_community,
        name="外居民",
        id_number=id_number(5),
    )
    rows = [row(姓名="改名", 身份证号=id_number(5))]

    report = import_residents(actor=actors.worker, data=csv_file(rows), filename="a.csv")

    assert [(e.row, e.column) for e in report.errors] == [(2, "身份证号")]
    assert "管辖范围以外" in report.errors[0].message
    assert Resident.objects.get().name == "外居民"


def test_grid_leader_imports_into_their_grid_only(org, actors, units):
    rows = [row(姓名="甲"), row(姓名="乙", 微网格="二格")]

    report = import_residents(actor=actors.grid_leader, data=csv_file(rows), filename="a.csv")

    assert [(e.row, e.column) for e in report.errors] == [(3, "微网格")]
    assert "不在您的管辖范围内" in report.errors[0].message
    ok = import_residents(actor=actors.grid_leader, data=csv_file(rows[:1]), filename="a.csv")
    assert ok.ok and Resident.objects.get().grid == org.grid  # blank grid: the leader's own


def test_street_admin_imports_into_any_community_of_the_street(org, actors, units):
    rows = [row(姓名="甲", 居民区="一居"), row(姓名="乙", 居民区="二居", 楼组="3号楼", 室号="1")]

    report = import_residents(actor=actors.street_admin, data=csv_file(rows), filename="a.csv")

    assert report.ok and report.created == 2
    assert Resident.objects.get(name="乙").grid == org.other_community_grid


def test_street_admin_must_name_the_community(org, actors):
    report = import_residents(
        actor=actors.street_admin, data=csv_file([row(姓名="甲")]), filename="a.csv"
    )

    assert [(e.row, e.column) for e in report.errors] == [(2, "居民区")]


def test_dry_run_goes_through_the_services_and_writes_nothing(org, actors, units):
    report = import_residents(
        actor=actors.worker, data=csv_file(two_rows(org)), filename="a.csv", dry_run=True
    )

    assert report.ok and not report.written
    assert (report.to_create, report.to_update) == (2, 0)
    assert Resident.objects.count() == 0 and Tag.objects.count() == 0


def test_preview_masks_id_numbers_and_writes_nothing(org, actors, units):
    report = preview_import(actor=actors.worker, data=csv_file(two_rows(org)), filename="a.csv")

    assert (report.total, report.to_create, report.errors) == (2, 2, [])
    assert report.preview[0]["id_number"] == id_number(1)[:4] + "*" * 10 + id_number(1)[-4:]
    assert id_number(1) not in str(report.as_dict())
    assert Resident.objects.count() == 0


def test_progress_is_reported_per_batch_up_to_the_total(org, actors, units, monkeypatch):
    monkeypatch.setattr(importing, "WRITE_BATCH", 100)
    seen = []
    rows = [row(姓名=f"居民{n}", 身份证号=id_number(n)) for n in range(1, 251)]

    import_residents(
        actor=actors.worker,
        data=csv_file(rows),
        filename="a.csv",
        progress=lambda done, total: seen.append((done, total)),
    )

    assert seen == [(100, 250), (200, 250), (250, 250)]
    assert Resident.objects.count() == 250


@pytest.mark.parametrize(
    ("data", "filename", "reason"),
    [
        (b"", "a.csv", "空"),
        (b"\xd0\xcf\x11\xe0old excel", "a.xls", "只支持"),
        (b"PK\x03\x04broken", "a.xlsx", "无法读取"),
        (b"\xff\xfe\x00\xd8\xff", "a.csv", "编码"),
    ],
)
def test_unreadable_files_are_refused_whole(actors, data, filename, reason):
    report = import_residents(actor=actors.worker, data=data, filename=filename)

    assert len(report.errors) == 1 and reason in report.errors[0].message
    assert report.errors[0].row == 0


def test_unknown_and_missing_headers_are_errors_on_row_1(org, actors):
    data = csv_file([{"姓 名": "甲"}], headers=["姓 名", "身份证号"])

    report = import_residents(actor=actors.worker, data=data, filename="a.csv")

    assert {(e.row, e.column) for e in report.errors} == {(1, "姓 名"), (1, "姓名")}


@pytest.mark.parametrize("role", ["district_leader", "resident", "foreign_admin"])
def test_refused_roles(org, actors, role):
    data = csv_file([row(姓名="甲", 居民区="一居")])
    actor = getattr(actors, role)

    if role == "foreign_admin":
        # People staff of another street: the community is simply not found in their street.
        report = import_residents(actor=actor, data=data, filename="a.csv")
        assert [(e.row, e.column) for e in report.errors] == [(2, "居民区")]
    else:
        with pytest.raises(ApplicationError) as exc:
            import_residents(actor=actor, data=data, filename="a.csv")
        assert exc.value.code == "forbidden"
    assert Resident.objects.count() == 0
