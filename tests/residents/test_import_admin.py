"""The admin's import (upload → preview → confirm → result, with progress) and export."""

import re

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from residents import services, tasks
from residents.admin_import import SESSION_KEY, UPLOAD_DIR
from residents.models import Resident, ResidentAccessLog
from residents.resources import HEADERS
from tests.residents import import_fixtures
from tests.residents.import_fixtures import (
    csv_file,
    id_number,
    read_csv,
    read_xlsx,
    row,
    xlsx_file,
)

pytestmark = pytest.mark.django_db

units = import_fixtures.units  # a shared fixture

IMPORT_URL = "admin:residents_resident_import"


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def good_rows():
    return [
        row(
            姓名="张桂英",
            身份证号=id_number(1),
            微网格="一格",
            楼组="1号楼",
            室号="302",
            标签="党员、服务:助餐",
        ),
        row(姓名="李建国", 身份证号=id_number(2), 联系电话="13812345678"),
    ]


def upload(client, data, name="居民.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(reverse(IMPORT_URL), {"file": SimpleUploadedFile(name, data)})


def stored_uploads():
    try:
        return default_storage.listdir(UPLOAD_DIR)[1]
    except FileNotFoundError:
        return []


@pytest.fixture(autouse=True)
def _no_stored_uploads():
    """Default storage outlives a test (in memory on the test settings): start each empty."""
    for name in stored_uploads():
        default_storage.delete(f"{UPLOAD_DIR}/{name}")


def test_changelist_shows_import_and_export_buttons_to_a_worker(actors):
    response = client_for(actors.worker).get(reverse("admin:residents_resident_changelist"))

    assert response.status_code == 200
    html = response.content.decode()
    assert reverse(IMPORT_URL) in html
    assert reverse("admin:residents_resident_export", args=["xlsx"]) in html


def test_upload_preview_confirm_result(org, actors, units):
    client = client_for(actors.worker)

    # upload: the file is kept, nothing is written yet
    response = upload(client, csv_file(good_rows()))
    assert response.status_code == 302
    preview_url = response["Location"]
    assert len(stored_uploads()) == 1

    # preview: counts, the first rows with masked ID numbers, a confirm button
    response = client.get(preview_url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "将新增 2 人，更新 0 人" in html
    assert "张桂英" in html and "3101**********" in html
    assert id_number(1) not in html
    assert 'name="confirm"' in html
    assert Resident.objects.count() == 0

    # confirm: written through the services, the stored file removed
    response = client.post(preview_url, {"confirm": "1"})
    assert response.status_code == 302
    result_url = response["Location"]
    assert Resident.objects.count() == 2
    assert stored_uploads() == []
    zhang = Resident.objects.get(name="张桂英")
    assert {t.name for t in zhang.tags.all()} == {"党员", "助餐"}
    assert zhang.household.room == "302"

    response = client.get(result_url)
    assert "导入完成：新增 2 人，更新 0 人" in response.content.decode()

    progress = client.get(result_url + "progress/").json()
    assert progress == {
        "state": "done",
        "done": 2,
        "total": 2,
        "created": 2,
        "updated": 0,
        "errors": 0,
    }

    # a second confirm of the same upload finds nothing to import
    assert client.post(preview_url, {"confirm": "1"}).status_code == 404
    assert Resident.objects.count() == 2


def test_preview_lists_row_errors_and_offers_no_confirm(org, actors, units):
    client = client_for(actors.worker)
    rows = [*good_rows(), row(姓名="王五", 居民区="二居"), row(姓名="赵六", 微网格="九格")]

    preview_url = upload(client, xlsx_file(rows), name="居民.xlsx")["Location"]
    response = client.get(preview_url)

    html = response.content.decode()
    assert "发现 2 处错误，本次不会写入任何数据" in html
    assert re.search(r"第 4 行</td><td>居民区</td><td>不在您的管辖范围内", html)
    assert re.search(r"第 5 行</td><td>微网格</td><td>[^<]*没有微网格“九格”", html)
    assert 'name="confirm"' not in html

    # confirming anyway (a stale page, a crafted post) is checked again and writes nothing
    result_url = client.post(preview_url, {"confirm": "1"})["Location"]
    html = client.get(result_url).content.decode()
    assert "发现 2 处错误" in html
    assert Resident.objects.count() == 0


def test_cancel_discards_the_stored_file(actors):
    client = client_for(actors.worker)
    preview_url = upload(client, csv_file(good_rows()))["Location"]

    response = client.post(preview_url, {"cancel": "1"})

    assert response.status_code == 302
    assert stored_uploads() == []
    assert client.get(preview_url).status_code == 404


def test_a_new_upload_replaces_the_pending_one(actors):
    client = client_for(actors.worker)
    first = upload(client, csv_file(good_rows()))["Location"]

    second = upload(client, csv_file(good_rows()))["Location"]

    assert len(stored_uploads()) == 1
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200


def test_upload_token_is_worthless_in_another_session(actors):
    preview_url = upload(client_for(actors.worker), csv_file(good_rows()))["Location"]

    assert client_for(actors.worker).get(preview_url).status_code == 404
    assert client_for(actors.street_admin).get(preview_url).status_code == 404


def test_upload_refuses_other_file_types(actors):
    response = upload(client_for(actors.worker), b"\xd0\xcf\x11\xe0", name="居民.xls")

    assert response.status_code == 200
    assert "只支持 CSV 和 Excel (.xlsx) 文件" in response.content.decode()
    assert stored_uploads() == []


def test_large_file_runs_in_the_task_and_reports_progress(org, actors, settings, monkeypatch):
    settings.RESIDENT_IMPORT_ASYNC_ROWS = 100
    queued = []
    real_delay = tasks.import_residents_task.delay

    def spy(*args):
        queued.append(args)
        return real_delay(*args)  # eager on the embedded default: runs in-process

    monkeypatch.setattr(tasks.import_residents_task, "delay", spy)
    rows = [row(姓名=f"居民{n}", 身份证号=id_number(n)) for n in range(1, 251)]
    client = client_for(actors.worker)
    preview_url = upload(client, csv_file(rows))["Location"]
    assert "确认后将在后台导入" in client.get(preview_url).content.decode()

    result_url = client.post(preview_url, {"confirm": "1"})["Location"]

    assert len(queued) == 1
    job_id, user_id, path, filename = queued[0]
    assert (user_id, filename) == (actors.worker.pk, "居民.csv")
    assert result_url.endswith(f"/import/jobs/{job_id}/")
    assert client.get(result_url + "progress/").json() == {
        "state": "done",
        "done": 250,
        "total": 250,
        "created": 250,
        "updated": 0,
        "errors": 0,
    }
    assert Resident.objects.count() == 250
    assert not default_storage.exists(path)


def test_running_job_page_polls_the_progress_url(actors):
    tasks.job_update(
        "job1",
        user_id=actors.worker.pk,
        state="running",
        done=300,
        total=1000,
        filename="大文件.xlsx",
    )
    client = client_for(actors.worker)
    url = reverse("admin:residents_resident_import_result", args=["job1"])

    html = client.get(url).content.decode()
    progress = client.get(url + "progress/").json()

    assert '<progress id="import-progress-bar" max="1000" value="300"' in html
    assert f'data-progress-url="{url}progress/"' in html
    assert progress["state"] == "running" and (progress["done"], progress["total"]) == (300, 1000)


def test_another_users_job_is_not_found(actors):
    tasks.job_update("job2", user_id=actors.worker.pk, state="done", done=1, total=1)
    url = reverse("admin:residents_resident_import_progress", args=["job2"])

    assert client_for(actors.other_worker).get(url).status_code == 404
    assert client_for(actors.worker).get(url).status_code == 200
    missing = reverse("admin:residents_resident_import_progress", args=["nope"])
    assert client_for(actors.worker).get(missing).status_code == 404


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_template_download_has_the_headers(actors, fmt):
    url = reverse("admin:residents_resident_import_template", args=[fmt])

    response = client_for(actors.grid_leader).get(url)

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(response.content) if fmt == "csv" else read_xlsx(response.content)
    assert rows[0] == HEADERS


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_admin_export_follows_the_changelist_search_and_masks(org, actors, fmt):
    services.resident_create(
        actor=actors.worker,
        community=org.community,
        name="张桂英",
        id_number=id_number(1),
        phone="13812345678",
    )
    services.resident_create(
        actor=actors.worker, community=org.community, name="李建国", id_number=id_number(2)
    )
    services.resident_create(
        actor=actors.superuser,
        community=org.sibling_community,
        name="张外居",
        id_number=id_number(3),
    )
    url = reverse("admin:residents_resident_export", args=[fmt])

    response = client_for(actors.worker).get(url, {"q": "张"})

    assert response.status_code == 200
    rows = read_csv(response.content) if fmt == "csv" else read_xlsx(response.content)
    assert rows[0] == HEADERS
    assert [r[0] for r in rows[1:]] == ["张桂英"]  # searched, and in scope only
    assert rows[1][1] == id_number(1)[:4] + "*" * 10 + id_number(1)[-4:]
    assert rows[1][4] == "138****5678"
    assert id_number(1).encode() not in response.content
    log = ResidentAccessLog.objects.get()
    assert (log.user, log.resident.name, log.action, log.channel) == (
        actors.worker,
        "张桂英",
        ResidentAccessLog.Action.EXPORT,
        "admin",
    )


@pytest.mark.parametrize("role", ["district_leader", "resident", "anonymous"])
@pytest.mark.parametrize(
    "url",
    [
        ("admin:residents_resident_import", []),
        ("admin:residents_resident_import_template", ["csv"]),
        ("admin:residents_resident_export", ["xlsx"]),
        ("admin:residents_resident_import_progress", ["job3"]),
    ],
)
def test_refused_roles(actors, role, url):
    user = getattr(actors, role)
    if user is not None:
        tasks.job_update("job3", user_id=user.pk, state="done", done=0, total=0)
    client = client_for(user) if user else Client()

    response = client.get(reverse(url[0], args=url[1]))

    if role == "district_leader":
        assert response.status_code == 403  # staff, but leaders see counts, never people
    else:
        assert response.status_code == 302 and "/login/" in response["Location"]
    assert ResidentAccessLog.objects.count() == 0


def test_district_leader_sees_no_import_button(actors):
    response = client_for(actors.district_leader).get(
        reverse("admin:residents_resident_changelist")
    )

    assert reverse(IMPORT_URL).encode() not in response.content


def test_session_holds_a_token_not_the_file(actors):
    client = client_for(actors.worker)
    upload(client, csv_file(good_rows()))

    pending = client.session[SESSION_KEY]

    assert set(pending) == {"token", "path", "filename", "total"}
    assert pending["path"].startswith(UPLOAD_DIR)


def test_upload_page_offers_the_templates_to_a_grid_leader(actors):
    response = client_for(actors.grid_leader).get(reverse(IMPORT_URL))

    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("admin:residents_resident_import_template", args=["xlsx"]) in html
    assert 'enctype="multipart/form-data"' in html
    assert "姓名、身份证号、性别" in html
