"""Excel exports (certificate of hours, a team's yearly record) and the admin that serves them."""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tests.factories.volunteers import ActivityFactory
from volunteers import exports
from volunteers.services import activities as services

pytestmark = pytest.mark.django_db


def _rows(content, sheet=None):
    workbook = load_workbook(io.BytesIO(content))
    ws = workbook[sheet] if sheet else workbook.worksheets[0]
    return [list(row) for row in ws.iter_rows(values_only=True)]


def test_certificate_totals_only_approved_hours(history):
    _team, wang, li = history
    rows = _rows(exports.volunteer_certificate_xlsx([wang], year=2026))
    assert rows[0][0] == "志愿服务时长证明" and rows[1][1] == "王阿姨"
    total = next(r for r in rows if r[0] == "合计")
    assert total[1] == "3 次" and Decimal(str(total[3])) == Decimal("5.0")
    all_years = _rows(exports.volunteer_certificate_xlsx([wang]))
    assert Decimal(str(next(r for r in all_years if r[0] == "合计")[3])) == Decimal("7.0")
    both = load_workbook(io.BytesIO(exports.volunteer_certificate_xlsx([wang, li])))
    assert both.sheetnames == ["王阿姨", "李大伯"]


def test_team_record_counts_the_team_year(history):
    team, _wang, _li = history
    content = exports.team_year_record_xlsx(team, year=2026)
    activities = _rows(content, "活动")
    titles = [r[1] for r in activities[2:-1]]
    assert titles == ["理发日", "送餐"]
    total = activities[-1]
    assert total[0] == "合计" and total[3] == 3 and Decimal(str(total[4])) == Decimal("7.0")
    members = {r[0]: (r[3], Decimal(str(r[4]))) for r in _rows(content, "成员")[1:]}
    assert members == {"王阿姨": (2, Decimal("4.0")), "李大伯": (1, Decimal("3.0"))}


def test_admin_serves_the_exports_in_scope_only(client, org, actors, history):
    team, wang, _li = history
    client.force_login(actors.worker)
    response = client.get(f"/admin/volunteers/serviceteam/{team.pk}/record/2026/")
    assert response.status_code == 200
    assert response["Content-Type"] == exports.XLSX_CONTENT_TYPE
    assert _rows(response.content, "活动")[-1][3] == 3
    response = client.get(f"/admin/volunteers/volunteerprofile/{wang.pk}/certificate/?year=2026")
    assert response.status_code == 200
    assert Decimal(str(next(r for r in _rows(response.content) if r[0] == "合计")[3])) == 5
    page = client.get(f"/admin/volunteers/volunteerprofile/{wang.pk}/change/").content.decode()
    assert f"/admin/volunteers/volunteerprofile/{wang.pk}/certificate/" in page
    response = client.post(
        "/admin/volunteers/volunteerprofile/",
        {"action": "export_certificates", "_selected_action": [wang.pk]},
    )
    assert response.status_code == 200 and response["Content-Type"] == exports.XLSX_CONTENT_TYPE
    for user in (actors.other_worker, actors.foreign_admin):
        client.force_login(user)
        response = client.get(f"/admin/volunteers/serviceteam/{team.pk}/record/2026/")
        assert response.status_code == 404
        response = client.get(f"/admin/volunteers/volunteerprofile/{wang.pk}/certificate/")
        assert response.status_code == 404
    client.force_login(actors.district_leader)
    response = client.get(f"/admin/volunteers/serviceteam/{team.pk}/record/2026/")
    assert response.status_code in (302, 403, 404)


def test_admin_lists_and_activity_pages(client, org, actors, history, resident):
    activity = ActivityFactory(community=org.community, capacity=1)
    services.signup_create(actor=resident, activity=activity)
    client.force_login(actors.worker)
    for path in (
        "/admin/volunteers/activity/",
        "/admin/volunteers/attendance/",
        "/admin/volunteers/serviceteam/",
        "/admin/volunteers/volunteerprofile/",
        "/admin/volunteers/partymemberreport/",
        f"/admin/volunteers/activity/{activity.pk}/change/",
        "/admin/volunteers/activity/add/",
    ):
        assert client.get(path).status_code == 200, path
    page = client.get(f"/admin/volunteers/activity/{activity.pk}/change/").content.decode()
    assert resident.real_name in page  # the sign-ups inline


def test_admin_creates_an_activity_through_the_service(client, org, actors):
    client.force_login(actors.worker)
    starts = services.timezone.localtime() + datetime.timedelta(days=3)
    data = {
        "community": org.community.pk,
        "kind": "activity",
        "title": "义务理发",
        "place": "活动室",
        "starts_at_0": starts.strftime("%Y-%m-%d"),
        "starts_at_1": "09:00:00",
        "ends_at_0": starts.strftime("%Y-%m-%d"),
        "ends_at_1": "08:00:00",  # before the start: refused by the service, shown on the form
        "signup_deadline_0": (starts - datetime.timedelta(days=1)).strftime("%Y-%m-%d"),
        "signup_deadline_1": "09:00:00",
        "capacity": 10,
        **{
            f"{p}-{k}": v
            for p in ("signups", "attendances")
            for k, v in (("TOTAL_FORMS", 0), ("INITIAL_FORMS", 0))
        },
    }
    response = client.post("/admin/volunteers/activity/add/", data)
    assert response.status_code == 200
    from volunteers.models import Activity

    assert not Activity.objects.exists()
    data["ends_at_1"] = "11:00:00"
    response = client.post("/admin/volunteers/activity/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    activity = Activity.objects.get()
    assert activity.status == "draft" and activity.created_by == actors.worker
    assert len(activity.checkin_code) == services.CODE_LENGTH
