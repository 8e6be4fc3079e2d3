"""The import_residents and export_residents management commands."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from residents import services
from residents.models import Resident, ResidentAccessLog
from residents.resources import HEADERS
from tests.residents import import_fixtures
from tests.residents.import_fixtures import (
    bad_checksum,
    csv_file,
    id_number,
    read_csv,
    read_xlsx,
    row,
    xlsx_file,
)

pytestmark = pytest.mark.django_db

units = import_fixtures.units  # a shared fixture


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def good_file(tmp_path, units):
    path = tmp_path / "居民.xlsx"
    path.write_bytes(
        xlsx_file(
            [
                row(
                    姓名="张桂英",
                    身份证号=id_number(1),
                    微网格="一格",
                    楼组="1号楼",
                    室号="302",
                    标签="党员",
                ),
                row(姓名="李建国", 身份证号=id_number(2)),
            ]
        )
    )
    return path


@pytest.fixture
def bad_file(tmp_path):
    path = tmp_path / "居民.csv"
    path.write_bytes(
        csv_file(
            [
                row(姓名="张桂英", 身份证号=id_number(1)),
                row(姓名="李建国", 身份证号=bad_checksum(id_number(2))),
                row(姓名="王五", 微网格="九格"),
            ],
            encoding="gbk",
        )
    )
    return path


def test_import_command_writes_and_reports(actors, good_file):
    out, err = run("import_residents", str(good_file), "--as", "worker")

    assert "导入完成：新增 2 人，更新 0 人。" in out
    assert "已处理 2 / 2 行" in err
    assert Resident.objects.count() == 2
    assert Resident.objects.get(name="张桂英").tags.get().name == "党员"


def test_import_command_accepts_a_phone_number_as_the_user(actors, good_file):
    actors.worker.phone = "13900000009"
    actors.worker.save(update_fields=["phone"])

    run("import_residents", str(good_file), "--as", "13900000009")

    assert Resident.objects.count() == 2


def test_dry_run_writes_nothing(actors, good_file):
    out, _err = run("import_residents", str(good_file), "--as", "worker", "--dry-run")

    assert "试运行通过：将新增 2 人，更新 0 人；未写入任何数据。" in out
    assert Resident.objects.count() == 0


def test_row_errors_are_printed_and_the_exit_status_is_non_zero(actors, bad_file):
    err = io.StringIO()

    with pytest.raises(CommandError) as exc:
        call_command("import_residents", str(bad_file), "--as", "worker", stderr=err)

    # run_from_argv turns a CommandError into this exit status.
    assert exc.value.returncode == 1
    assert "共 2 处错误，未写入任何数据。" in str(exc.value)
    printed = err.getvalue()
    assert "第3行【身份证号】：身份证号校验位不正确" in printed
    assert "第4行【微网格】：居民区“一居”下没有微网格“九格”。" in printed
    assert Resident.objects.count() == 0


def test_dry_run_with_errors_fails_too(actors, bad_file):
    with pytest.raises(CommandError):
        run("import_residents", str(bad_file), "--as", "worker", "--dry-run")


@pytest.mark.parametrize(
    ("username", "reason"),
    [("leader", "无权"), ("13800000001", "无权"), ("nobody", "找不到账号")],
)
def test_refused_users(actors, good_file, username, reason):
    with pytest.raises(CommandError, match=reason):
        run("import_residents", str(good_file), "--as", username)
    with pytest.raises(CommandError, match=reason):
        run("export_residents", "--as", username, "-o", str(good_file.with_suffix(".out")))
    assert Resident.objects.count() == 0
    assert ResidentAccessLog.objects.count() == 0


def test_missing_file(actors, tmp_path):
    with pytest.raises(CommandError, match="找不到文件"):
        run("import_residents", str(tmp_path / "none.csv"), "--as", "worker")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_command_masks_and_logs(org, actors, tmp_path, fmt):
    mine = services.resident_create(
        actor=actors.worker,
        community=org.community,
        name="张桂英",
        id_number=id_number(1),
        phone="13812345678",
    )
    services.resident_create(
        actor=actors.superuser,
        community=org.sibling_community,
        name="外居民",
        id_number=id_number(2),
    )
    output = tmp_path / f"out.{fmt}"

    out, _err = run("export_residents", "--as", "worker", "--format", fmt, "-o", str(output))

    data = output.read_bytes()
    rows = read_csv(data) if fmt == "csv" else read_xlsx(data)
    assert rows[0] == HEADERS
    assert [r[:2] for r in rows[1:]] == [["张桂英", mine.id_number_masked]]
    assert rows[1][4] == "138****5678"
    assert id_number(1).encode() not in data and b"13812345678" not in data
    assert "已导出 1 位居民" in out
    log = ResidentAccessLog.objects.get()
    assert (log.user, log.resident, log.action, log.channel) == (
        actors.worker,
        mine,
        ResidentAccessLog.Action.EXPORT,
        "command",
    )


def test_export_of_a_street_writes_one_log_row_per_resident(org, actors, tmp_path):
    for n in range(1, 6):
        services.resident_create(
            actor=actors.superuser,
            community=org.sibling_community,
            name=f"居民{n}",
            id_number=id_number(n),
        )

    run("export_residents", "--as", "street", "--format", "csv", "-o", str(tmp_path / "o.csv"))

    assert ResidentAccessLog.objects.filter(user=actors.street_admin, action="export").count() == 5
