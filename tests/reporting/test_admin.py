"""The lists sent upward in the admin: scoped changelists, creating through the service, the
mark-items page, submit / close / export actions, item status actions with their notes."""

import io

import pytest
from django.contrib.admin import helpers
from django.urls import reverse
from openpyxl import load_workbook

from reporting import services
from reporting.models import ReportItem, UpwardReport
from tests.factories.reporting import UpwardReportFactory, mark

pytestmark = pytest.mark.django_db

REPORTS = "admin:reporting_upwardreport_changelist"
ITEMS = "admin:reporting_reportitem_changelist"


@pytest.fixture
def admin_as(client):
    def _as(user):
        client.force_login(user)
        return client

    return _as


def _action(client, url, action, pks, **extra):
    data = {"action": action, helpers.ACTION_CHECKBOX_NAME: pks, **extra}
    return client.post(reverse(url), data)


@pytest.mark.parametrize("who", ["street_admin", "worker", "district_leader", "superuser"])
def test_staff_see_the_lists(admin_as, org, actors, place, who):
    mark(place.report, actors.street_admin, topic=place.topic)
    UpwardReportFactory(street=org.foreign_street)
    client = admin_as(getattr(actors, who))
    response = client.get(reverse(REPORTS))
    assert response.status_code == 200
    shown = {r.pk for r in response.context["cl"].result_list}
    assert place.report.pk in shown
    assert len(shown) == (2 if who == "superuser" else 1)
    page = client.get(reverse("admin:reporting_upwardreport_change", args=[place.report.pk]))
    assert page.status_code == 200
    assert client.get(reverse(ITEMS)).status_code == 200


def test_foreign_admin_and_grid_leader_do_not_see_it(admin_as, actors, place):
    for who in ("foreign_admin", "grid_leader"):
        client = admin_as(getattr(actors, who))
        url = reverse("admin:reporting_upwardreport_change", args=[place.report.pk])
        assert client.get(url).status_code in (302, 403, 404)


def test_create_through_the_service(admin_as, org, actors):
    client = admin_as(actors.street_admin)
    url = reverse("admin:reporting_upwardreport_add")
    data = {"street": org.street.pk, "kind": "opinion_report", "year": 2026, "title": ""}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    report = UpwardReport.objects.get()
    assert report.created_by == actors.street_admin and "2026" in report.title
    response = client.post(url, data)  # the same street, kind and year again
    assert response.status_code == 200 and response.context["adminform"].form.errors
    assert UpwardReport.objects.count() == 1


def test_worker_cannot_add(admin_as, actors):
    client = admin_as(actors.worker)
    assert client.get(reverse("admin:reporting_upwardreport_add")).status_code == 403


def test_mark_page(admin_as, actors, place):
    client = admin_as(actors.street_admin)
    url = reverse("admin:reporting_upwardreport_mark", args=[place.report.pk])
    change = client.get(reverse("admin:reporting_upwardreport_change", args=[place.report.pk]))
    assert url in change.content.decode()
    assert client.get(url).status_code == 200
    body = {"summary": "电梯", "beyond_reason": "资金"}
    response = client.post(url, {"topic_number": place.topic.pk, **body})
    assert response.status_code == 302
    response = client.post(url, {"grid_event_number": place.event.pk, **body})
    assert response.status_code == 302
    assert ReportItem.objects.count() == 2
    for bad in (
        {"topic_number": place.topic.pk, **body},  # already on the list
        {"topic_number": place.foreign_topic.pk, **body},  # another street's
        {"topic_number": place.sibling_topic.pk, "grid_event_number": place.event.pk, **body},
        {"topic_number": place.sibling_topic.pk, "summary": "", "beyond_reason": "x"},
        body,
    ):
        response = client.post(url, bad)
        assert response.status_code == 200 and response.context["form"].errors, bad
    assert ReportItem.objects.count() == 2


def test_mark_page_refused(admin_as, actors, place):
    url = reverse("admin:reporting_upwardreport_mark", args=[place.report.pk])
    for who in ("worker", "district_leader", "foreign_admin"):
        assert admin_as(getattr(actors, who)).get(url).status_code == 403


def test_report_and_item_actions(admin_as, actors, place):
    first = mark(place.report, actors.street_admin, topic=place.topic)
    second = mark(place.report, actors.street_admin, grid_event=place.event)
    third = mark(place.report, actors.street_admin, topic=place.sibling_topic)
    client = admin_as(actors.street_admin)
    _action(client, ITEMS, "unmark_selected", [third.pk])
    assert not ReportItem.objects.filter(pk=third.pk).exists()
    _action(client, REPORTS, "submit_selected", [place.report.pk])
    place.report.refresh_from_db()
    assert place.report.status == "submitted"
    _action(client, ITEMS, "accept_selected", [first.pk])
    # Declining asks for a reason first; without one nothing changes.
    page = _action(client, ITEMS, "decline_selected", [second.pk])
    assert page.status_code == 200 and "form" in page.context
    _action(client, ITEMS, "decline_selected", [second.pk], apply="1", reason="")
    second.refresh_from_db()
    assert second.status == "proposed"
    _action(client, ITEMS, "decline_selected", [second.pk], apply="1", reason="财力有限")
    _action(client, ITEMS, "start_selected", [first.pk])
    _action(client, ITEMS, "finish_selected", [first.pk], apply="1", reason="电梯已加装")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.result_note) == ("done", "电梯已加装")
    assert (second.status, second.status_reason) == ("not_accepted", "财力有限")
    response = _action(client, REPORTS, "export_selected", [place.report.pk])
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == place.report.title
    _action(client, REPORTS, "close_selected", [place.report.pk])
    place.report.refresh_from_db()
    assert place.report.status == "closed"
    page = client.get(reverse("admin:reporting_reportitem_change", args=[first.pk]))
    assert page.status_code == 200 and "电梯已加装" in page.content.decode()


def test_readers_have_no_write_actions(admin_as, actors, place):
    item = mark(place.report, actors.street_admin, topic=place.topic)
    services.report_submit(actor=actors.street_admin, report=place.report)
    client = admin_as(actors.worker)
    _action(client, ITEMS, "accept_selected", [item.pk])
    _action(client, REPORTS, "close_selected", [place.report.pk])
    item.refresh_from_db()
    place.report.refresh_from_db()
    assert item.status == "proposed" and place.report.status == "submitted"
