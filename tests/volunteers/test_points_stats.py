"""Leaders' totals per community: exact counts and sums, ORG scope, constant queries."""

# Fixtures are imported from points_fixtures (the shared conftest belongs to another module).
# ruff: noqa: F401, F811

import datetime

import pytest

from tests.factories.accounts import UserFactory
from tests.factories.org import CommunityFactory
from tests.factories.volunteers_points import (
    PointsActivityFactory,
    RewardFactory,
    approved_attendance,
)
from volunteers.models import Attendance, VolunteerProfile
from volunteers.services.points import (
    points_earn_for_attendance,
    redemption_cancel,
    reward_redeem,
)

from .points_fixtures import credit, rule

URL = "/api/v1/volunteer-stats/"
SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def _activity(community, rule, day):
    starts = datetime.datetime(2026, day[0], day[1], 9, 0, tzinfo=SHANGHAI)
    return PointsActivityFactory(
        community=community,
        points_rule=rule,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=4),
    )


@pytest.fixture
def known_data(org, actors, rule):
    from tests.factories.proposals import verified_resident

    a = verified_resident(org.community, real_name="甲")
    b = verified_resident(org.community, real_name="乙")
    x = verified_resident(org.community, real_name="丙")
    d = UserFactory()
    for user, community, active in (
        (a, org.community, True),
        (b, org.community, True),
        (x, org.community, False),
        (d, org.sibling_community, True),
    ):
        VolunteerProfile.objects.create(user=user, community=community, is_active=active)
    act1 = _activity(org.community, rule, (11, 10))
    act2 = _activity(org.community, rule, (11, 12))
    old = _activity(org.community, rule, (10, 20))
    sibling = _activity(org.sibling_community, rule, (11, 15))
    for attendance in (
        approved_attendance(act1, a, hours="2.00"),
        approved_attendance(act2, a, hours="1.50"),
        approved_attendance(act1, b, hours="3.00"),
    ):
        points_earn_for_attendance(actor=actors.worker, attendance=attendance)
    approved_attendance(act2, x, hours="2.00", status=Attendance.Status.REJECTED)
    approved_attendance(old, a, hours="4.00")  # before the period
    approved_attendance(sibling, d, hours="1.00")  # approved, points not earned
    reward = RewardFactory(community=org.community, points_cost=30, stock=5)
    reward_redeem(actor=a, reward=reward)
    cancelled = reward_redeem(actor=b, reward=reward)
    redemption_cancel(actor=b, redemption=cancelled)
    return org


def test_totals_per_community_are_exact(api, actors, known_data):
    org = known_data
    api.force_authenticate(actors.district_leader)
    response = api.get(URL, {"from": "2026-11-01", "to": "2026-11-30"})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["date_from"], body["date_to"]) == ("2026-11-01", "2026-11-30")
    rows = {r["community"]["id"]: r for r in body["communities"]}
    assert set(rows) == {
        org.community.pk,
        org.sibling_community.pk,
        org.sibling_street_community.pk,
    }
    assert {
        k: v for k, v in rows[org.community.pk].items() if k not in ("community", "street")
    } == {
        "registered_volunteers": 2,
        "active_volunteers": 2,
        "hours_approved": "6.50",
        "points_issued": 65,
        "points_redeemed": 30,
    }
    sibling = rows[org.sibling_community.pk]
    assert (sibling["registered_volunteers"], sibling["active_volunteers"]) == (1, 1)
    assert (sibling["hours_approved"], sibling["points_issued"]) == ("1.00", 0)
    empty = rows[org.sibling_street_community.pk]
    assert (empty["active_volunteers"], empty["hours_approved"]) == (0, "0.00")
    # Counts and sums only: no person is named anywhere in the totals.
    assert set(empty) == {
        "community",
        "street",
        "registered_volunteers",
        "active_volunteers",
        "hours_approved",
        "points_issued",
        "points_redeemed",
    }

    # October alone: only the old activity's 4 hours.
    response = api.get(URL, {"from": "2026-10-01", "to": "2026-10-31"})
    row = {r["community"]["id"]: r for r in response.json()["communities"]}[org.community.pk]
    assert (row["active_volunteers"], row["hours_approved"], row["points_issued"]) == (1, "4.00", 0)


def test_workers_see_their_community_only(api, actors, known_data):
    api.force_authenticate(actors.other_worker)
    rows = api.get(URL, {"from": "2026-11-01", "to": "2026-11-30"}).json()["communities"]
    assert [r["community"]["id"] for r in rows] == [known_data.sibling_community.pk]


@pytest.mark.parametrize("who", ["resident", "anonymous"])
def test_residents_may_not_read_totals(api, actors, who):
    user = getattr(actors, who)
    if user:
        api.force_authenticate(user)
    assert api.get(URL).status_code in (401, 403)


@pytest.mark.parametrize(
    ("params", "field"),
    [({"from": "2026-12-01", "to": "2026-11-01"}, "to"), ({"from": "abc"}, "from")],
)
def test_bad_period_is_400(api, actors, params, field):
    api.force_authenticate(actors.district_leader)
    response = api.get(URL, params)
    assert response.status_code == 400 and field in response.json()["fields"]


@pytest.mark.parametrize("extra", [0, 29])
def test_query_count_is_constant(api, actors, org, rule, extra, django_assert_max_num_queries):
    for _ in range(extra):
        community = CommunityFactory(street=org.street)
        activity = _activity(community, rule, (11, 5))
        approved_attendance(activity, hours="1.00")
    api.force_authenticate(actors.district_leader)
    api.get(URL)  # warm the session and the scope's caches alike
    with django_assert_max_num_queries(6):
        response = api.get(URL, {"from": "2026-11-01", "to": "2026-11-30"})
    assert len(response.json()["communities"]) >= 1 + extra
