"""The certificate of volunteer hours 志愿服务时长证明 as a printable page: the admin's button,
action and scope, the resident's own from the API, and the same figures as the Excel sheet."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tests.factories.proposals import verified_resident
from volunteers import exports
from volunteers.models import VolunteerProfile
from volunteers.selectors.certificates import certificates_for

ADMIN = "/admin/volunteers/volunteerprofile"
API = "/api/v1/volunteers/me/certificate/"

pytestmark = pytest.mark.django_db


def _excel_total(content):
    rows = [
        list(r)
        for r in load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(values_only=True)
    ]
    return Decimal(str(next(r for r in rows if r[0] == "合计")[3]))


def test_the_selector_lists_approved_service_in_order(history, django_assert_num_queries):
    _team, wang, _li = history
    profiles = list(VolunteerProfile.objects.select_related("user", "community").order_by("pk"))
    # One query for any number of volunteers.
    with django_assert_num_queries(1):
        both = certificates_for(profiles, year=2026)
    wang_2026, li_2026 = both
    assert [r.title for r in wang_2026.rows] == ["理发日", "送餐", "社区清扫"]
    assert (wang_2026.count, wang_2026.total_hours) == (3, Decimal("5.00"))
    assert [r.hours for r in wang_2026.rows] == [Decimal("2.50"), Decimal("1.50"), Decimal("1.00")]
    assert wang_2026.rows[0].team == "为老服务队" and wang_2026.rows[2].team == ""
    # 李大伯's 4 hours still await approval: not on the certificate.
    assert (li_2026.count, li_2026.total_hours) == (1, Decimal("3.00"))
    everything = certificates_for([wang])[0]
    assert (everything.count, everything.total_hours) == (4, Decimal("7.00"))
    assert everything.first_date.year == 2025 and everything.last_date.year == 2026
    # The Excel sheet states the same totals.
    assert _excel_total(exports.volunteer_certificate_xlsx([wang], year=2026)) == Decimal("5")
    assert _excel_total(exports.volunteer_certificate_xlsx([wang])) == Decimal("7")


def test_worker_in_scope_prints_the_certificate(client, org, actors, history):
    _team, wang, _li = history
    client.force_login(actors.worker)
    response = client.get(f"{ADMIN}/{wang.pk}/certificate/print/?year=2026")
    assert response.status_code == 200
    assert "admin/volunteers/certificate.html" in [t.name for t in response.templates]
    (certificate,) = response.context["certificates"]
    assert (certificate.name, certificate.count, certificate.total_hours) == (
        "王阿姨",
        3,
        Decimal("5.00"),
    )
    page = response.content.decode()
    assert "@page" in page and "A4" in page  # print-friendly
    for text in ("志愿服务时长证明", "王阿姨", "一居", "理发日", "送餐", "社区清扫", "5.00"):
        assert text in page, text
    assert "去年的活动" not in page  # another year
    assert "2026-03-10" in page  # the activity's date
    assert "盖章" in page and "出具日期" in page  # the seal line and the issue date
    assert certificate.issuer in page
    # All years: the 2025 activity too.
    response = client.get(f"{ADMIN}/{wang.pk}/certificate/print/")
    assert response.context["certificates"][0].total_hours == Decimal("7.00")
    assert "去年的活动" in response.content.decode()
    # A year out of range is ignored, as for the Excel export.
    response = client.get(f"{ADMIN}/{wang.pk}/certificate/print/?year=1800")
    assert response.context["certificates"][0].year is None


def test_the_change_page_links_the_printable_certificate(client, actors, history):
    _team, wang, _li = history
    client.force_login(actors.worker)
    page = client.get(f"{ADMIN}/{wang.pk}/change/").content.decode()
    assert f"{ADMIN}/{wang.pk}/certificate/print/" in page  # the button and the field's links
    assert f"{ADMIN}/{wang.pk}/certificate/" in page  # the Excel download stays


def test_the_admin_action_prints_one_page_per_volunteer(client, actors, history):
    _team, wang, li = history
    client.force_login(actors.worker)
    response = client.post(
        f"{ADMIN}/", {"action": "print_certificates", "_selected_action": [wang.pk, li.pk]}
    )
    assert response.status_code == 200
    names = [c.name for c in response.context["certificates"]]
    assert sorted(names) == ["李大伯", "王阿姨"]
    assert response.content.decode().count('<section class="sheet"') == 2


@pytest.mark.parametrize("who", ["other_worker", "foreign_admin", "district_leader", "grid_leader"])
def test_staff_out_of_scope_get_no_certificate(client, actors, history, who):
    _team, wang, _li = history
    client.force_login(getattr(actors, who))
    response = client.get(f"{ADMIN}/{wang.pk}/certificate/print/")
    assert response.status_code in (302, 403, 404)
    if who in ("other_worker", "foreign_admin"):
        assert response.status_code == 404  # out of scope reads as missing
    response = client.post(
        f"{ADMIN}/", {"action": "print_certificates", "_selected_action": [wang.pk]}
    )
    assert "certificates" not in (response.context or {})


def test_resident_gets_their_own_certificate_as_json_or_a_page(api, history):
    _team, wang, _li = history
    api.force_authenticate(wang.user)
    response = api.get(API, {"year": 2026})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["name"], body["count"], body["total_hours"], body["year"]) == (
        "王阿姨",
        3,
        "5.00",
        2026,
    )
    assert [r["title"] for r in body["rows"]] == ["理发日", "送餐", "社区清扫"]
    assert [r["hours"] for r in body["rows"]] == ["2.50", "1.50", "1.00"]
    assert body["rows"][0]["date"] == "2026-03-10"
    assert body["community"]["name"] == "一居"
    assert api.get(API).json()["total_hours"] == "7.00"

    page = api.get(API, {"year": 2026}, HTTP_ACCEPT="text/html")
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    text = page.content.decode()
    assert "志愿服务时长证明" in text and "5.00" in text and "去年的活动" not in text
    assert api.get(API, {"format": "html"})["Content-Type"].startswith("text/html")


def test_certificate_api_refuses_bad_input_and_non_volunteers(api, org, history):
    _team, wang, _li = history
    api.force_authenticate(wang.user)
    response = api.get(API, {"year": "next"})
    assert response.status_code == 400 and "year" in response.json()["fields"]
    assert api.get(API, {"year": 1800}).status_code == 400
    page = api.get(API, {"year": "next"}, HTTP_ACCEPT="text/html")
    assert page.status_code == 400 and page["Content-Type"].startswith("text/html")

    stranger = verified_resident(org.community, real_name="未登记")
    api.force_authenticate(stranger)
    assert api.get(API).status_code == 404
    api.force_authenticate(None)
    assert api.get(API).status_code in (401, 403)
