"""The API of the lists sent upward: who reads what, who writes, bad input, 404s, export."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reporting.models import ReportItem, UpwardReport
from tests.factories.reporting import UpwardReportFactory, mark, move

pytestmark = pytest.mark.django_db

LIST = "/api/v1/upward-reports/"


def _url(name, *args):
    return reverse(name, args=args)


def _as(api, user):
    api.force_authenticate(user)
    return api


@pytest.fixture
def items(place, actors):
    """Two items: a topic of 一居 and a topic of 二居."""
    return (
        mark(place.report, actors.street_admin, topic=place.topic, summary="一居电梯"),
        mark(place.report, actors.street_admin, topic=place.sibling_topic, summary="二居停车"),
    )


def test_street_admin_creates_marks_submits_and_tracks(api, org, actors, place):
    _as(api, actors.street_admin)
    response = api.post(LIST, {"street": org.street.pk, "kind": "opinion_report", "year": 2026})
    assert response.status_code == 201, response.json()
    report = response.json()
    assert report["status"] == "draft" and set(report["actions"]) >= {"mark", "submit"}
    url = _url("upward-report-items", report["id"])
    body = {"topic": place.topic.pk, "summary": "电梯", "beyond_reason": "资金"}
    response = api.post(url, body, format="json")
    assert response.status_code == 201, response.json()
    item = response.json()["items"][0]
    assert item["subject"]["kind"] == "topic" and item["subject"]["title"] == "加装电梯资金"
    assert item["subject"]["url"] == _url("topic-detail", place.topic.pk)
    assert item["community"]["name"] == org.community.name
    response = api.post(
        url, {"grid_event": place.event.pk, "summary": "占道", "beyond_reason": "执法"}
    )
    assert response.status_code == 201
    assert response.json()["items"][1]["subject"]["number"] == f"E{place.event.pk}"
    response = api.post(_url("upward-report-submit", report["id"]))
    assert response.status_code == 200 and response.json()["status"] == "submitted"
    assert set(response.json()["actions"]) == {"set_status", "close", "export"}
    status_url = _url("upward-report-item-status", report["id"], item["id"])
    response = api.post(status_url, {"status": "accepted"})
    assert response.status_code == 200 and response.json()["status"] == "accepted"
    response = api.post(status_url, {"status": "done", "result_note": "已加装"})
    assert response.json()["result_note"] == "已加装"
    response = api.post(_url("upward-report-close", report["id"]))
    assert response.json()["status"] == "closed"


def test_unmark_via_delete(api, actors, place, items):
    _as(api, actors.street_admin)
    response = api.delete(_url("upward-report-item", place.report.pk, items[0].pk))
    assert response.status_code == 204
    assert list(ReportItem.objects.values_list("pk", flat=True)) == [items[1].pk]


def test_visibility(api, org, actors, place, items):
    foreign = UpwardReportFactory(street=org.foreign_street)
    sibling = UpwardReportFactory(street=org.sibling_street)
    expect = {
        "superuser": ({place.report.pk, foreign.pk, sibling.pk}, 2),
        "street_admin": ({place.report.pk}, 2),
        "worker": ({place.report.pk}, 1),
        "other_worker": ({place.report.pk}, 1),
        "district_leader": ({place.report.pk, sibling.pk}, 2),
        "foreign_admin": ({foreign.pk}, None),
    }
    for who, (ids, own_items) in expect.items():
        _as(api, getattr(actors, who))
        response = api.get(LIST)
        assert response.status_code == 200, who
        assert {r["id"] for r in response.json()["results"]} == ids, who
        detail = api.get(_url("upward-report-detail", place.report.pk))
        if own_items is None:
            assert detail.status_code in (403, 404), who
        else:
            assert detail.status_code == 200, who
            assert len(detail.json()["items"]) == own_items, who
    _as(api, actors.grid_leader)  # grid leaders have no part in the lists
    assert api.get(LIST).status_code == 403
    assert api.get(_url("upward-report-detail", place.report.pk)).status_code == 403
    # A worker sees only the items about their own community.
    _as(api, actors.worker)
    summaries = [
        i["summary"] for i in api.get(_url("upward-report-detail", place.report.pk)).json()["items"]
    ]
    assert summaries == ["一居电梯"]


def test_residents_and_anonymous_refused(api, actors, place):
    assert api.get(LIST).status_code in (401, 403)
    _as(api, actors.resident)
    assert api.get(LIST).status_code == 403
    assert api.get(_url("upward-report-detail", place.report.pk)).status_code == 403


@pytest.mark.parametrize("who", ["worker", "district_leader", "other_worker"])
def test_readers_cannot_write(api, org, actors, place, items, who):
    _as(api, getattr(actors, who))
    pk = place.report.pk
    calls = [
        api.post(LIST, {"street": org.street.pk, "kind": "opinion_report", "year": 2027}),
        api.post(_url("upward-report-submit", pk)),
        api.post(_url("upward-report-close", pk)),
        api.post(
            _url("upward-report-items", pk),
            {"topic": place.topic.pk, "summary": "x", "beyond_reason": "y"},
        ),
    ]
    assert [c.status_code for c in calls] == [403] * 4, [c.json() for c in calls]
    own = items[0] if who != "other_worker" else items[1]
    assert api.delete(_url("upward-report-item", pk, own.pk)).status_code == 403
    status_url = _url("upward-report-item-status", pk, own.pk)
    assert api.post(status_url, {"status": "accepted"}).status_code == 403
    assert UpwardReport.objects.count() == 1 and ReportItem.objects.count() == 2


def test_another_streets_admin_gets_404(api, actors, place, items):
    _as(api, actors.foreign_admin)
    pk = place.report.pk
    for response in (
        api.get(_url("upward-report-detail", pk)),
        api.post(_url("upward-report-submit", pk)),
        api.post(
            _url("upward-report-items", pk), {"topic": 1, "summary": "x", "beyond_reason": "y"}
        ),
        api.delete(_url("upward-report-item", pk, items[0].pk)),
        api.post(_url("upward-report-item-status", pk, items[0].pk), {"status": "accepted"}),
        api.get(_url("upward-report-export", pk)),
    ):
        assert response.status_code == 404
    assert ReportItem.objects.count() == 2


def test_foreign_admin_cannot_create_for_another_street(api, org, actors):
    _as(api, actors.foreign_admin)
    response = api.post(LIST, {"street": org.street.pk, "kind": "opinion_report", "year": 2026})
    assert response.status_code == 400 and "street" in response.json()["fields"]
    assert not UpwardReport.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "opinion_report", "year": 2026}, "street"),
        ({"street": None, "kind": "bogus", "year": 2026}, "kind"),
        ({"street": None, "kind": "opinion_report", "year": "abc"}, "year"),
        ({"street": None, "kind": "opinion_report", "year": 1800}, "year"),
        ({"street": None, "kind": "opinion_report", "year": 2026, "title": "x" * 101}, "title"),
    ],
)
def test_create_bad_input(api, org, actors, body, field):
    _as(api, actors.street_admin)
    if "street" in body:
        body["street"] = org.street.pk
    response = api.post(LIST, body)
    assert response.status_code == 400 and field in response.json()["fields"]
    assert not UpwardReport.objects.exists()


def test_create_twice_is_409(api, org, actors, place):
    _as(api, actors.street_admin)
    body = {"street": org.street.pk, "kind": place.report.kind, "year": place.report.year}
    assert api.post(LIST, body).status_code == 409
    assert UpwardReport.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"summary": "x", "beyond_reason": "y"}, "topic"),
        ({"topic": "T", "summary": "x", "beyond_reason": "y"}, "topic"),
        ({"topic": 999999, "summary": "x", "beyond_reason": "y"}, "topic"),
        ({"topic": "FOREIGN", "summary": "x", "beyond_reason": "y"}, "topic"),
        ({"topic": "TOPIC", "grid_event": "EVENT", "summary": "x", "beyond_reason": "y"}, "topic"),
        ({"topic": "TOPIC", "beyond_reason": "y"}, "summary"),
        ({"topic": "TOPIC", "summary": "x" * 1001, "beyond_reason": "y"}, "summary"),
        ({"topic": "TOPIC", "summary": "x", "beyond_reason": ""}, "beyond_reason"),
        ({"grid_event": 999999, "summary": "x", "beyond_reason": "y"}, "grid_event"),
    ],
)
def test_mark_bad_input(api, actors, place, body, field):
    _as(api, actors.street_admin)
    subst = {"TOPIC": place.topic.pk, "FOREIGN": place.foreign_topic.pk, "EVENT": place.event.pk}
    body = {k: subst.get(v, v) if isinstance(v, str) else v for k, v in body.items()}
    response = api.post(_url("upward-report-items", place.report.pk), body, format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()["fields"]
    assert not ReportItem.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "status"),
        ({"status": "bogus"}, "status"),
        ({"status": "not_accepted"}, "reason"),
        ({"status": "not_accepted", "reason": "x" * 201}, "reason"),
        ({"status": "accepted", "result_note": "x" * 501}, "result_note"),
    ],
)
def test_status_bad_input(api, actors, place, items, body, field):
    _as(api, actors.street_admin)
    api.post(_url("upward-report-submit", place.report.pk))
    response = api.post(_url("upward-report-item-status", place.report.pk, items[0].pk), body)
    assert response.status_code == 400 and field in response.json()["fields"]
    items[0].refresh_from_db()
    assert items[0].status == "proposed" and not items[0].events.filter(verb="status").exists()


def test_illegal_moves_are_409(api, actors, place, items):
    _as(api, actors.street_admin)
    pk = place.report.pk
    assert api.post(_url("upward-report-close", pk)).status_code == 409
    status_url = _url("upward-report-item-status", pk, items[0].pk)
    assert api.post(status_url, {"status": "accepted"}).status_code == 409  # still a draft
    api.post(_url("upward-report-submit", pk))
    assert api.post(status_url, {"status": "done", "result_note": "x"}).status_code == 409
    assert api.delete(_url("upward-report-item", pk, items[0].pk)).status_code == 409
    assert api.post(_url("upward-report-submit", pk)).status_code == 409


def test_export(api, actors, place, items):
    api.force_authenticate(actors.street_admin)
    api.post(_url("upward-report-submit", place.report.pk))
    move(items[1], actors.street_admin, "not_accepted")
    response = api.get(_url("upward-report-export", place.report.pk))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][0] == place.report.title
    header = rows.index(next(r for r in rows if r[0] == "序号"))
    assert rows[header] == [
        "序号",
        "来源（议题/网格事件）",
        "编号",
        "居民区",
        "摘要",
        "超出社区能力的原因",
        "状态",
        "进展/结果",
    ]
    body = rows[header + 1 :]
    assert [r[2] for r in body] == [f"T{place.topic.pk}", f"T{place.sibling_topic.pk}"]
    assert body[1][6] == "未采纳" and body[1][7] == "不在本年度计划内"
    # A worker's export holds only their community's items.
    api.force_authenticate(actors.worker)
    sheet = load_workbook(
        io.BytesIO(api.get(_url("upward-report-export", place.report.pk)).content)
    ).active
    assert (
        sum(1 for row in sheet.iter_rows() if row[2].value and str(row[2].value).startswith("T"))
        == 1
    )


def test_no_resident_names_leave(api, actors, place, items):
    raiser = place.topic.raised_by
    _as(api, actors.district_leader)
    text = api.get(_url("upward-report-detail", place.report.pk)).content.decode()
    assert "raised_by" not in text and "phone" not in text
    if raiser is not None:
        assert raiser.get_full_name() not in text


def test_figures(api, actors, place, items):
    _as(api, actors.street_admin)
    api.post(_url("upward-report-submit", place.report.pk))
    move(items[0], actors.street_admin, "accepted")
    _as(api, actors.district_leader)
    rows = api.get(_url("upward-report-figures")).json()
    assert {(r["status"], r["count"]) for r in rows} == {("accepted", 1), ("proposed", 1)}
    assert api.get(_url("upward-report-figures"), {"status": "bogus"}).status_code == 400
