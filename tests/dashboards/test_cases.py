"""The grid events and disputes section (`GET /api/v1/dashboard/cases/`): events by state, the
per-unit × ISO-week table (周周清, on-time handling, returned, reopened), disputes by category
and outcome; its export; who may read it; a constant number of queries; never a name.

December 2026 of street 甲一 (Shanghai time), through the real services. ISO week 49 starts
Monday 30 Nov, week 50 Monday 7 Dec.
- 一居 / 一格, Tue 1 Dec: e1 (weekly) handled on time and closed on 2 Dec (周周清); e2
  returned by the department; e3 (urgent, 4 h) handled late at 15:00 and awaiting the check.
- 一居 / 二格, Tue 8 Dec: e4 only filed; e5 cancelled.
- 二居 / 三格, Tue 8 Dec: e6 handled, the check failed: back in handling (reopened).
- 一格, 20 Nov: e0, outside the period.
Disputes: 一居 neighbour (agreement), property (in intake), family (withdrawn), a cancelled
one; 二居 neighbour (referred to a court). A party and the filers carry names that must not
appear.
"""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role, RoleAssignment
from accounts.scope import forget_scope
from cases import services as cases
from disputes import services as disputes
from disputes.models import DisputeCase
from tests.cases.conftest import place  # noqa: F401 (the departments and categories)
from tests.factories import ResidentFactory, UserFactory, grant
from tests.factories.cases import advance, file_event, photo
from tests.factories.disputes import case_in

pytestmark = pytest.mark.django_db

SH = datetime.timezone(datetime.timedelta(hours=8))
CASES = "/api/v1/dashboard/cases/"
DECEMBER = {"period": "month", "date": "2026-12"}
NAMES = ["欧阳娜娜", "司马光明", "城管小王"]


def at(day, hour=9, month=12):
    return datetime.datetime(2026, month, day, hour, 0, tzinfo=SH)


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def cases_world(org, actors, place, time_machine):  # noqa: F811
    RoleAssignment.objects.update(starts_on=datetime.date(2026, 1, 1))
    owner = grant(
        UserFactory(username="owner", real_name="司马光明"), Role.COMMUNITY_WORKER, org.community
    )
    for user in [*vars(actors).values(), owner]:
        if user is not None:
            forget_scope(user)
    worker, other, staff = actors.worker, actors.other_worker, place.cg_staff
    move = time_machine.move_to

    move(at(20, month=11), tick=False)
    file_event(worker, org.grid, place.weekly, description="欧阳娜娜家门口堆物")

    move(at(1), tick=False)
    e1 = file_event(worker, org.grid, place.weekly, description="欧阳娜娜家门口堆物")
    advance(e1, "handled", grid_actor=worker, department_actor=staff)
    e2 = file_event(worker, org.grid, place.weekly)
    advance(e2, "returned", grid_actor=worker, department_actor=staff)
    e3 = file_event(worker, org.grid, place.urgent)
    advance(e3, "accepted", grid_actor=worker, department_actor=staff)
    move(at(1, 15), tick=False)
    cases.grid_event_handle(actor=staff, event=e3, note="迟了", photos=[photo()])
    move(at(2), tick=False)
    cases.grid_event_check_pass(actor=worker, event=e1)

    move(at(8), tick=False)
    file_event(worker, org.sibling_grid, place.weekly)
    e5 = file_event(worker, org.sibling_grid, place.weekly)
    advance(e5, "cancelled", grid_actor=worker, department_actor=staff)
    e6 = file_event(other, org.other_community_grid, place.weekly)
    advance(e6, "handled", grid_actor=other, department_actor=place.wy_staff, department=place.wuye)
    cases.grid_event_check_fail(actor=other, event=e6, reason="没修好")

    move(at(3), tick=False)
    party = ResidentFactory(community=org.community, name="欧阳娜娜", phone="13912345671")
    case_in("resolved", actor=worker, owner=owner, community=org.community)
    pending = case_in(
        "intake", actor=worker, owner=owner, community=org.community, category="property"
    )
    disputes.case_add_party(actor=worker, case=pending, resident=party)
    withdrawn = case_in(
        "intake", actor=worker, owner=owner, community=org.community, category="family"
    )
    disputes.case_assign(actor=worker, case=withdrawn, owner=owner)
    disputes.case_record_outcome(actor=worker, case=withdrawn, outcome="withdrawn", note="和解")
    case_in("cancelled", actor=worker, owner=owner, community=org.community)
    other_owner = grant(
        UserFactory(username="owner2"), Role.COMMUNITY_WORKER, org.sibling_community
    )
    referred = case_in("intake", actor=other, owner=other_owner, community=org.sibling_community)
    disputes.case_assign(actor=other, case=referred, owner=other_owner)
    disputes.case_record_outcome(
        actor=other,
        case=referred,
        outcome="referred",
        note="起诉",
        referred_to_kind="court",
        referred_to="区法院",
    )
    move(datetime.datetime(2027, 1, 10, 12, 0, tzinfo=SH), tick=False)
    return org


def _get(api, user, **params):
    api.force_authenticate(user)
    return api.get(CASES, {**DECEMBER, **params})


def test_a_streets_december(api, cases_world, actors):
    org = cases_world
    response = _get(api, actors.street_admin, unit=f"street:{org.street.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["child_level"] == "community"
    states = {row["state"]: row["count"] for row in body["events_by_state"]}
    assert states == {
        "filed": 1,
        "dispatched": 0,
        "accepted": 1,
        "returned": 1,
        "handled": 1,
        "closed": 1,
        "cancelled": 1,
    }
    labels = {row["state"]: row["label"] for row in body["events_by_state"]}
    assert labels["closed"] == "已办结"
    weeks = [
        {k: row[k] for k in ("ref", "name", "week", "week_start")} | {"n": counts(row)}
        for row in body["weeks"]
    ]
    assert weeks == [
        {
            "ref": f"community:{org.community.pk}",
            "name": "一居",
            "week": "2026-W49",
            "week_start": "2026-11-30",
            "n": (3, 1, 33.3, 2, 1, 50.0, 1, 0),
        },
        {
            "ref": f"community:{org.community.pk}",
            "name": "一居",
            "week": "2026-W50",
            "week_start": "2026-12-07",
            "n": (2, 0, 0.0, 0, 0, None, 0, 0),
        },
        {
            "ref": f"community:{org.sibling_community.pk}",
            "name": "二居",
            "week": "2026-W50",
            "week_start": "2026-12-07",
            "n": (1, 0, 0.0, 0, 0, None, 0, 1),
        },
    ]
    disputes_ = {row["category"]: row for row in body["disputes_by_category"]}
    assert [row["category"] for row in body["disputes_by_category"]] == DisputeCase.Category.values
    assert disputes_["neighbour"] == {
        "category": "neighbour",
        "label": "邻里纠纷",
        "opened": 2,
        "agreement": 1,
        "referred": 1,
        "withdrawn": 0,
    }
    assert (disputes_["property"]["opened"], disputes_["property"]["agreement"]) == (1, 0)
    assert (disputes_["family"]["opened"], disputes_["family"]["withdrawn"]) == (1, 1)
    assert disputes_["labour"]["opened"] == 0


def counts(row):
    return (
        row["found"],
        row["cleared_within_week"],
        row["cleared_within_week_share"],
        row["handled"],
        row["handled_on_time"],
        row["handled_on_time_share"],
        row["returned"],
        row["reopened"],
    )


def test_a_community_reads_per_micro_grid(api, cases_world, actors):
    org = cases_world
    body = _get(api, actors.worker, unit=f"community:{org.community.pk}").json()
    assert [(r["ref"], r["name"], r["week"], r["found"]) for r in body["weeks"]] == [
        (f"grid:{org.grid.pk}", "一格", "2026-W49", 3),
        (f"grid:{org.sibling_grid.pk}", "二格", "2026-W50", 2),
    ]
    neighbour = body["disputes_by_category"][0]
    assert (neighbour["opened"], neighbour["agreement"], neighbour["referred"]) == (1, 1, 0)


def test_a_district_reads_per_street_and_a_grid_has_no_disputes(api, cases_world, actors):
    org = cases_world
    body = _get(api, actors.district_leader, unit=f"district:{org.district.pk}").json()
    assert [(r["ref"], r["week"], r["found"]) for r in body["weeks"]] == [
        (f"street:{org.street.pk}", "2026-W49", 3),
        (f"street:{org.street.pk}", "2026-W50", 3),
    ]
    body = _get(api, actors.street_admin, unit=f"grid:{org.grid.pk}").json()
    assert [(r["ref"], r["week"], r["found"]) for r in body["weeks"]] == [
        (f"grid:{org.grid.pk}", "2026-W49", 3)
    ]
    assert sum(row["count"] for row in body["events_by_state"]) == 3
    assert body["disputes_by_category"] == []


def test_november_sees_only_its_own_event(api, cases_world, actors):
    org = cases_world
    body = _get(api, actors.street_admin, unit=f"street:{org.street.pk}", date="2026-11").json()
    assert [(r["week"], r["found"]) for r in body["weeks"]] == [("2026-W47", 1)]
    assert all(row["opened"] == 0 for row in body["disputes_by_category"])


def test_no_name_reaches_the_section_or_its_export(api, cases_world, actors):
    org = cases_world
    unit = f"street:{org.street.pk}"
    bodies = [
        _get(api, actors.street_admin, unit=unit).content.decode(),
        _get(api, actors.worker, unit=f"community:{org.community.pk}").content.decode(),
        api.get(
            "/api/v1/dashboard/cases/export/", {**DECEMBER, "unit": unit, "format": "csv"}
        ).content.decode("utf-8-sig"),
    ]
    for body in bodies:
        for name in [*NAMES, "13912345671", "堆物", "没修好", "和解"]:
            assert name not in body


@pytest.mark.parametrize(
    ("who", "unit", "status"),
    [
        ("grid_leader", "grid", 403),
        ("resident", "community", 403),
        ("anonymous", "street", 403),
        ("foreign_admin", "street", 404),
        ("other_worker", "community", 404),
        ("worker", "street", 404),
        ("worker", "community", 200),
        ("district_leader", "street", 200),
        ("superuser", "district", 200),
    ],
)
def test_who_may_read(api, org, actors, who, unit, status):
    target = {
        "grid": org.grid,
        "community": org.community,
        "street": org.street,
        "district": org.district,
    }[unit]
    user = getattr(actors, who)
    if user is not None:
        api.force_authenticate(user)
    response = api.get(CASES, {**DECEMBER, "unit": f"{unit}:{target.pk}"})
    assert response.status_code in ((401, 403) if status == 403 else (status,))


def test_bad_input_says_which_field(api, org, actors):
    api.force_authenticate(actors.street_admin)
    response = api.get(CASES, {"unit": "street:x", "period": "month"})
    assert response.status_code == 400 and "unit" in response.json()["fields"]
    response = api.get(CASES, {"unit": f"street:{org.street.pk}", "period": "week"})
    assert response.status_code == 400 and "period" in response.json()["fields"]
    response = api.get(CASES, {"unit": "street:999999", **DECEMBER})
    assert response.status_code == 404


def test_the_export_matches_the_api(api, cases_world, actors):
    from openpyxl import load_workbook

    org = cases_world
    params = {**DECEMBER, "unit": f"street:{org.street.pk}"}
    weeks = _get(api, actors.street_admin, unit=params["unit"]).json()["weeks"]
    response = api.get("/api/v1/dashboard/cases/export/", {**params, "format": "csv"})
    assert response.status_code == 200
    assert f"dashboard-cases-street-{org.street.pk}-2026-12.csv" in response["Content-Disposition"]
    header, *rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert header[:4] == ["周", "周一日期", "单位", "发现"]
    assert [(r[0], r[2], int(r[3])) for r in rows] == [
        (w["week"], w["name"], w["found"]) for w in weeks
    ]
    assert rows[0][5] == "33.3" and rows[1][8] == ""
    response = api.get("/api/v1/dashboard/cases/export/", {**params, "format": "xlsx"})
    workbook = load_workbook(io.BytesIO(response.content))
    data = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert [row[3] for row in data[1:]] == [w["found"] for w in weeks]
    about = [row[:2] for row in workbook.worksheets[1].iter_rows(values_only=True)]
    assert ("周周清率(%)", "周内办结 ÷ 发现 × 100；无事件为空。") in about


def _events(org, actors, place, n, time_machine):  # noqa: F811
    grids = [org.grid, org.sibling_grid, org.other_community_grid]
    for i in range(n):
        time_machine.move_to(at(1 + i % 28, 9 + i % 8), tick=False)
        grid = grids[i % 3]
        actor = actors.other_worker if grid == org.other_community_grid else actors.worker
        event = file_event(actor, grid, place.weekly)
        if i % 4 == 1:
            other = grid == org.other_community_grid
            advance(
                event,
                "returned",
                grid_actor=actor,
                department_actor=place.wy_staff if other else place.cg_staff,
                department=place.wuye if other else None,
            )
    time_machine.move_to(at(30), tick=False)


def test_query_count_is_the_same_for_1_and_50_events(api, org, actors, place, time_machine):  # noqa: F811
    RoleAssignment.objects.update(starts_on=datetime.date(2026, 1, 1))
    for user in (actors.street_admin, actors.worker, actors.other_worker):
        forget_scope(user)
    unit = f"street:{org.street.pk}"

    def count():
        forget_scope(actors.street_admin)
        api.force_authenticate(actors.street_admin)
        with CaptureQueriesContext(connection) as ctx:
            response = api.get(CASES, {**DECEMBER, "unit": unit})
        assert response.status_code == 200
        return len(ctx.captured_queries), response.json()

    _events(org, actors, place, 1, time_machine)
    small, body = count()
    assert sum(row["found"] for row in body["weeks"]) == 1
    _events(org, actors, place, 49, time_machine)
    large, body = count()
    assert sum(row["found"] for row in body["weeks"]) == 50
    assert len(body["weeks"]) > 5
    assert small == large
