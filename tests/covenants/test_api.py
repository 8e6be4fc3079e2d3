"""The covenants' API: what residents and staff see, the verb endpoints' permission matrix,
bad input (400 naming the field, nothing written), exports, and list query counts."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from covenants import services
from covenants.models import Covenant, CovenantComment, FundEntry, Signature
from tests.factories.covenants import CovenantFactory, later, to_state

pytestmark = pytest.mark.django_db
URL = "/api/v1/covenants/"


def _ids(response):
    assert response.status_code == 200, response.json()
    return {row["id"] for row in response.json()["results"]}


def test_residents_see_their_communitys_covenants_past_the_draft(api, org, actors, place):
    draft = CovenantFactory(community=org.community)
    discussed = to_state(CovenantFactory(community=org.community), actors.worker, "discussion")
    elsewhere = to_state(
        CovenantFactory(community=org.sibling_community), actors.other_worker, "discussion"
    )
    api.force_authenticate(place.alice)
    assert _ids(api.get(URL)) == {discussed.pk}
    assert api.get(f"{URL}{draft.pk}/").status_code == 404
    assert api.get(f"{URL}{elsewhere.pk}/").status_code == 404
    api.force_authenticate(actors.worker)
    assert _ids(api.get(URL)) == {draft.pk, discussed.pk}
    api.force_authenticate(actors.grid_leader)  # reads, but not the drafts
    assert _ids(api.get(URL)) == {discussed.pk}
    api.force_authenticate(actors.foreign_admin)
    assert _ids(api.get(URL)) == set()


def test_filters_by_state_and_stage(api, org, actors, place):
    discussed = to_state(CovenantFactory(community=org.community), actors.worker, "discussion")
    signing = to_state(CovenantFactory(community=org.community), actors.worker, "signing")
    api.force_authenticate(place.alice)
    assert _ids(api.get(URL, {"stage": "signing"})) == {signing.pk}
    assert _ids(api.get(URL, {"state": ["discussion", "signing"]})) == {discussed.pk, signing.pk}
    bad = api.get(URL, {"state": "nonsense"})
    assert bad.status_code == 400 and "state" in bad.json()["fields"]


def test_can_sign_and_my_household_signed(api, org, actors, place, compound_covenant):
    to_state(compound_covenant, actors.worker, "signing")
    api.force_authenticate(place.alice)
    row = api.get(URL).json()["results"][0]
    assert row["can_sign"] and row["sign_refusal"] == "" and not row["my_household_signed"]
    response = api.post(f"{URL}{compound_covenant.pk}/sign/", {}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["my_household_signed"] and response.json()["progress"]["yes"] == 1
    api.force_authenticate(place.bob)  # same household
    row = api.get(f"{URL}{compound_covenant.pk}/").json()
    assert row["my_household_signed"] and not row["can_sign"] and row["sign_refusal"]
    assert "sign" not in row["actions"]
    assert api.post(f"{URL}{compound_covenant.pk}/sign/", {}).status_code == 409
    api.force_authenticate(place.carol)  # compound B
    row = api.get(f"{URL}{compound_covenant.pk}/").json()
    assert not row["can_sign"] and "望春里一期" in row["sign_refusal"]
    assert api.post(f"{URL}{compound_covenant.pk}/sign/", {}).status_code == 403
    api.force_authenticate(place.dave)  # unverified
    assert api.post(f"{URL}{compound_covenant.pk}/sign/", {}).status_code == 403
    assert Signature.objects.count() == 1


def test_detail_has_every_version_timeline_progress_and_fund(api, org, actors, place):
    covenant = CovenantFactory(community=org.community, collects_funds=True, fund_purpose="维修")
    to_state(covenant, actors.worker, "signing")
    for user in (place.alice, place.carol):
        services.covenant_sign(actor=user, covenant=covenant)
    services.covenant_decide(actor=actors.worker, covenant=covenant)
    services.covenant_fund_receipt(
        actor=actors.worker, covenant=covenant, household=place.home_1, amount="320000"
    )
    services.covenant_amend(
        actor=actors.worker, covenant=covenant, text_html="<p>第二版</p>", change_summary="改"
    )
    to_state(covenant, actors.worker, "discussion")
    api.force_authenticate(place.erin)
    body = api.get(f"{URL}{covenant.pk}/").json()
    assert [v["number"] for v in body["versions"]] == [2, 1]
    assert body["status"] == "in_force" and body["stage"] == "discussion"
    assert "第二版" in body["versions"][0]["text"]
    assert body["fund"] == {"pledged": "0.00", "received": "320000.00", "households": 1}
    assert [e["verb"] for e in body["events"]][-2:] == ["amendment_created", "discussion_opened"]
    assert "comment" in body["actions"] and "pledge" not in body["actions"]
    versions = api.get(f"{URL}{covenant.pk}/versions/").json()
    assert [(v["number"], v["state"]) for v in versions] == [(2, "discussion"), (1, "in_force")]
    timeline = api.get(f"{URL}{covenant.pk}/timeline/").json()
    assert timeline[-1]["verb"] == "discussion_opened" and timeline[-1]["version_number"] == 2
    # Workers' internal rows (the fund's entries) are not on the public timeline.
    assert not any(e["verb"].startswith("fund_") for e in timeline)
    # Residents never get the fund per household, the signing list or the exports.
    for path in ("fund/households/", "signatures/", "signatures.xlsx", "fund.xlsx"):
        assert api.get(f"{URL}{covenant.pk}/{path}").status_code == 403, path


def test_worker_walks_the_path_through_the_api(api, org, actors, place):
    api.force_authenticate(actors.worker)
    created = api.post(
        URL,
        {"title": "电动车停放公约", "text": "<p>不在楼道充电</p>", "community": org.community.pk},
        format="json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert created.json()["actions"] == [
        "update",
        "open_discussion",
        "cancel",
        "export",
        "view_signatures",
        "view_fund_households",
    ]
    assert api.patch(f"{URL}{pk}/", {"title": "电动车公约"}, format="json").status_code == 200
    ok = api.post(f"{URL}{pk}/discussion/", {"closes_at": later().isoformat()}, format="json")
    assert ok.status_code == 200 and ok.json()["stage"] == "discussion"
    ok = api.post(
        f"{URL}{pk}/signing/",
        {
            "closes_at": later().isoformat(),
            "method": "vote",
            "threshold_basis": "voting",
            "threshold_numerator": 1,
            "threshold_denominator": 2,
        },
        format="json",
    )
    assert ok.status_code == 200 and ok.json()["progress"]["threshold"]
    paper = api.post(
        f"{URL}{pk}/paper-signature/",
        {"resident": place.sun.pk, "choice": "yes", "note": "上门"},
        format="json",
    )
    assert paper.status_code == 200, paper.json()
    decided = api.post(f"{URL}{pk}/decide/", {}, format="json")
    assert decided.json()["status"] == "in_force"
    amend = api.post(
        f"{URL}{pk}/amend/", {"text": "<p>新</p>", "change_summary": "改"}, format="json"
    )
    assert amend.status_code == 200 and amend.json()["version_number"] == 2
    assert api.post(f"{URL}{pk}/cancel/", {"reason": "暂缓"}, format="json").status_code == 200
    repeal = api.post(f"{URL}{pk}/repeal/", {"reason": "不再适用"}, format="json")
    assert repeal.status_code == 200 and repeal.json()["status"] == "repealed"
    signatures = api.get(f"{URL}{pk}/signatures/")
    assert signatures.status_code == 200


@pytest.mark.parametrize(
    ("path", "data", "field"),
    [
        ("", {"text": "<p>x</p>", "community": None}, "title"),
        ("", {"title": "x", "community": None}, "text"),
        ("", {"title": "x", "text": "<p>x</p>", "audience": "street"}, "audience"),
        ("", {"title": "x", "text": "<p>x</p>", "origin": "project"}, "project"),
        ("", {"title": "x" * 101, "text": "<p>x</p>"}, "title"),
    ],
)
def test_bad_create_input_is_a_400_and_nothing_is_written(api, org, actors, path, data, field):
    api.force_authenticate(actors.worker)
    data = {"community": org.community.pk, **data}
    if data["community"] is None:
        data["community"] = org.community.pk
    response = api.post(f"{URL}{path}", data, format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()["fields"]
    assert not Covenant.objects.exists()


@pytest.mark.parametrize(
    ("verb", "data", "field"),
    [
        ("discussion", {}, "closes_at"),
        ("discussion", {"closes_at": "tomorrow"}, "closes_at"),
        ("cancel", {}, "reason"),
        ("cancel", {"reason": "x" * 201}, "reason"),
    ],
)
def test_bad_move_input(api, org, actors, covenant, verb, data, field):
    api.force_authenticate(actors.worker)
    response = api.post(f"{URL}{covenant.pk}/{verb}/", data, format="json")
    assert response.status_code == 400 and field in response.json()["fields"]
    covenant.refresh_from_db()
    assert covenant.status == "draft"


@pytest.mark.parametrize(
    ("verb", "data", "field"),
    [
        ("signing", {"closes_at": "2020-01-01T00:00:00Z"}, "closes_at"),
        ("signing", {"closes_at": "x", "method": "sign_on"}, "closes_at"),
        ("signing", {"method": "other"}, "method"),
        ("signing", {"threshold_numerator": 0}, "threshold_numerator"),
    ],
)
def test_bad_signing_input(api, org, actors, covenant, verb, data, field):
    to_state(covenant, actors.worker, "discussion")
    api.force_authenticate(actors.worker)
    response = api.post(
        f"{URL}{covenant.pk}/{verb}/", {"closes_at": later().isoformat(), **data}, format="json"
    )
    assert response.status_code == 400 and field in response.json()["fields"], response.json()
    covenant.refresh_from_db()
    assert covenant.status == "discussion"


@pytest.mark.parametrize(
    "who", ["grid_leader", "district_leader", "other_worker", "foreign_admin", "resident"]
)
def test_move_endpoints_refuse_who_does_not_manage(api, org, actors, place, covenant, who):
    to_state(covenant, actors.worker, "discussion")
    api.force_authenticate(getattr(actors, who))
    for verb, data in (
        ("signing", {"closes_at": later().isoformat()}),
        ("cancel", {"reason": "x"}),
        ("decide", {}),
        ("repeal", {"reason": "x"}),
        ("amend", {"text": "<p>x</p>", "change_summary": "x"}),
        ("paper-signature", {"resident": place.sun.pk}),
        ("pledges", {"household": place.home_1.pk, "amount": "1"}),
    ):
        response = api.post(f"{URL}{covenant.pk}/{verb}/", data, format="json")
        assert response.status_code in (403, 404), (verb, response.status_code)
    covenant.refresh_from_db()
    assert covenant.status == "discussion"


def test_anonymous_is_refused(api, covenant):
    assert api.get(URL).status_code in (401, 403)


def test_comments_over_the_api(api, org, actors, place, covenant):
    to_state(covenant, actors.worker, "discussion")
    api.force_authenticate(place.alice)
    response = api.post(f"{URL}{covenant.pk}/comments/", {"body": "同意"}, format="json")
    assert response.status_code == 201 and response.json()["mine"]
    assert api.post(f"{URL}{covenant.pk}/comments/", {"body": ""}, format="json").status_code == 400
    comment = CovenantComment.objects.get()
    api.force_authenticate(place.carol)
    assert api.post(f"/api/v1/covenant-comments/{comment.pk}/report/", {}).status_code == 204
    assert (
        api.post(f"/api/v1/covenant-comments/{comment.pk}/hide/", {"reason": "x"}).status_code
        == 403
    )
    api.force_authenticate(actors.worker)
    hidden = api.post(f"/api/v1/covenant-comments/{comment.pk}/hide/", {"reason": "广告"})
    assert hidden.status_code == 200 and hidden.json()["hidden"]
    api.force_authenticate(place.carol)
    row = api.get(f"{URL}{covenant.pk}/comments/").json()["results"][0]
    assert row["hidden"] and row["body"] == "" and row["hidden_reason"] == "广告"
    api.force_authenticate(place.olga)
    assert api.get(f"{URL}{covenant.pk}/comments/").status_code == 404


def test_fund_endpoints_and_exports(api, org, actors, place):
    covenant = CovenantFactory(community=org.community, collects_funds=True)
    to_state(covenant, actors.worker, "signing")
    services.covenant_sign(actor=place.alice, covenant=covenant)
    api.force_authenticate(actors.worker)
    pledge = api.post(
        f"{URL}{covenant.pk}/pledges/",
        {"household": place.home_1.pk, "amount": "500.00"},
        format="json",
    )
    assert pledge.status_code == 201, pledge.json()
    receipt = api.post(
        f"{URL}{covenant.pk}/receipts/",
        {"household": place.home_1.pk, "amount": "500"},
        format="json",
    )
    assert receipt.status_code == 201
    bad = api.post(
        f"{URL}{covenant.pk}/receipts/",
        {"household": place.home_1.pk, "amount": "-1"},
        format="json",
    )
    assert bad.status_code == 400 and "amount" in bad.json()["fields"]
    reversal = api.post(
        f"{URL}{covenant.pk}/fund-reversals/",
        {"entry": receipt.json()["id"], "reason": "退款"},
        format="json",
    )
    assert reversal.status_code == 201 and reversal.json()["kind"] == "reversal"
    assert FundEntry.objects.count() == 3
    rows = api.get(f"{URL}{covenant.pk}/fund/households/").json()["results"]
    assert rows == [
        {
            "household": place.home_1.pk,
            "household_label": "1号楼 101",
            "pledged": "500.00",
            "received": "0.00",
        }
    ]
    response = api.get(f"{URL}{covenant.pk}/signatures.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["概况", "签署名单"]
    assert book["签署名单"].max_row == 2
    response = api.get(f"{URL}{covenant.pk}/fund.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["概况", "分户", "流水"] and book["流水"].max_row == 4
    api.force_authenticate(actors.district_leader)  # aggregates only
    assert api.get(f"{URL}{covenant.pk}/fund.xlsx").status_code == 403


def _count(api, path):
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(path, {"page_size": 50})
    assert response.status_code == 200, response.json()
    return len(ctx.captured_queries), response.json()["count"]


@pytest.mark.parametrize("who", ["resident", "worker", "grid_leader"])
def test_list_costs_the_same_at_1_and_50_rows(api, org, actors, place, who):
    user = place.alice if who == "resident" else getattr(actors, who)
    first = to_state(CovenantFactory(community=org.community), actors.worker, "signing")
    services.covenant_sign(actor=place.alice, covenant=first)
    api.force_authenticate(user)
    _count(api, URL)
    one, rows_one = _count(api, URL)
    for _i in range(52):
        to_state(CovenantFactory(community=org.community), actors.worker, "discussion")
    many, rows_many = _count(api, URL)
    assert rows_many >= 50 > rows_one >= 1
    assert many == one, (one, many)


def test_comment_list_costs_the_same(api, org, actors, place, covenant):
    to_state(covenant, actors.worker, "discussion")
    services.covenant_comment(actor=place.alice, covenant=covenant, body="一")
    api.force_authenticate(place.carol)
    path = f"{URL}{covenant.pk}/comments/"
    _count(api, path)
    one, _n = _count(api, path)
    for i in range(55):
        services.covenant_comment(actor=place.bob, covenant=covenant, body=f"意见{i}")
    many, _n = _count(api, path)
    assert many == one
