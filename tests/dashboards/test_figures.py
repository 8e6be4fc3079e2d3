"""Every figure against data built so that the expected number is known (see conftest)."""

from decimal import Decimal

import pytest

from dashboards.figures import BY_KEY, KEYS

from .conftest import DECEMBER, NO_GOVERNANCE, STREET_DECEMBER

SUMMARY = "/api/v1/dashboard/summary/"
RANKING = "/api/v1/dashboard/ranking/"
TREND = "/api/v1/dashboard/trend/"

C1_DECEMBER = {
    **STREET_DECEMBER,
    "musts_missed_months": 1,
    "topics_raised": 6,
    "topics_responded": 4,
    "answered_within_4h": 3,
    "topics_due": 6,
    "answered_within_4h_share": 50.0,
    "mean_response_hours": 3.0,
    "median_response_hours": 2.5,
    "conversion_rate": 16.7,
    "topics_to_projects": 1,
    "projects_adopted": 1,
    "stage_cancelled": 0,
    "money_spent": 1200.0,
    "fund_pool_amount": 10000.0,
    "volunteers_registered": 2,
    "volunteers_active": 2,
    "volunteer_hours": 6.5,
    "activities_held": 2,
    "participation_attendances": 3,
    "participation": 8,
}
C2_DECEMBER = (
    {key: 0 for key in KEYS}
    | NO_GOVERNANCE
    | {
        "topics_raised": 2,
        "topics_responded": 2,
        "answered_within_4h": 2,
        "topics_due": 2,
        "answered_within_4h_share": 100.0,
        "mean_response_hours": 0.75,
        "median_response_hours": 0.75,
        "topics_to_projects": 1,
        "conversion_rate": 50.0,
        "projects_adopted": 1,
        "stage_cancelled": 1,
        "money_spent": 300.0,
        "fund_pool_amount": 5000.0,
        "satisfaction": None,
        "volunteers_registered": 1,
        "volunteers_active": 1,
        "volunteer_hours": 1.0,
        "activities_held": 1,
        "participation_attendances": 1,
        "participation": 1,
    }
)
PER_COMMUNITY_ONLY = [key for key in KEYS if not BY_KEY[key].per_grid]
G1_DECEMBER = {
    **C1_DECEMBER,
    **{key: None for key in PER_COMMUNITY_ONLY},
    "topics_raised": 5,
    "topics_due": 5,
    "answered_within_4h_share": 60.0,
    "overdue_now": 2,
    "conversion_rate": 20.0,
    "participation": 5,
}
G2_DECEMBER = (
    {key: 0 for key in KEYS}
    | {key: None for key in PER_COMMUNITY_ONLY}
    | {
        "topics_raised": 1,
        "topics_due": 1,
        "answered_within_4h_share": 0.0,
        "mean_response_hours": None,
        "median_response_hours": None,
        "overdue_now": 1,
        "conversion_rate": 0.0,
        "satisfaction": None,
    }
)


def _get(api, user, url, **params):
    api.force_authenticate(user)
    response = api.get(url, params)
    assert response.status_code == 200, response.json()
    return response.json()


def _figures(api, user, unit, **params):
    return _get(api, user, SUMMARY, unit=unit, **{**DECEMBER, **params})["figures"]


def test_street_summary_is_exact(api, world):
    body = _get(
        api, world.actors.street_admin, SUMMARY, unit=f"street:{world.org.street.pk}", **DECEMBER
    )
    assert body["figures"] == STREET_DECEMBER
    assert body["unit"]["name"] == "甲一街道"
    assert body["period"]["label"] == "2026年12月"
    assert body["period"]["first_day"] == "2026-12-01"
    assert body["period"]["last_day"] == "2026-12-31"
    assert body["child_level"] == "community"
    assert body["as_of"].startswith("2027-01-10T12:00:00")


def test_community_summaries_are_exact(api, world):
    org, worker = world.org, world.actors.street_admin
    assert _figures(api, worker, f"community:{org.community.pk}") == C1_DECEMBER
    assert _figures(api, worker, f"community:{org.sibling_community.pk}") == C2_DECEMBER


def test_grid_summaries_are_exact_and_leave_community_figures_empty(api, world):
    org, admin = world.org, world.actors.street_admin
    assert _figures(api, admin, f"grid:{org.grid.pk}") == G1_DECEMBER
    assert _figures(api, admin, f"grid:{org.sibling_grid.pk}") == G2_DECEMBER


def test_district_adds_the_sibling_street(api, world):
    figures = _figures(api, world.actors.district_leader, f"district:{world.org.district.pk}")
    # Street A2 adds T10, answered after 10 minutes; nothing of 乙区 counts.
    assert figures["topics_raised"] == 9
    assert figures["answered_within_4h"] == 6
    assert figures["answered_within_4h_share"] == pytest.approx(66.7)
    assert figures["median_response_hours"] == 1.0
    assert figures["mean_response_hours"] == round((13.5 + 10 / 60) / 7, 2)
    assert figures["conversion_rate"] == 22.2
    assert figures["volunteer_hours"] == STREET_DECEMBER["volunteer_hours"]


def test_additive_figures_of_the_children_sum_to_the_parent(api, world):
    street = _figures(api, world.actors.street_admin, f"street:{world.org.street.pk}")
    rows = _get(
        api,
        world.actors.street_admin,
        RANKING,
        unit=f"street:{world.org.street.pk}",
        **DECEMBER,
    )["rows"]
    additive = [
        key
        for key in KEYS
        if BY_KEY[key].kind in ("count", "yuan", "points", "hours")
        and not key.endswith("_hours")
        and key != "volunteers_active"  # distinct people: one may serve two communities
    ] + ["volunteer_hours"]
    for key in additive:
        total = sum(Decimal(str(row["figures"][key])) for row in rows)
        assert total == Decimal(str(street[key])), key


def test_custom_period_counts_local_days(api, world):
    figures = _figures(
        api,
        world.actors.street_admin,
        f"street:{world.org.street.pk}",
        period="custom",
        **{"from": "2026-12-01", "to": "2026-12-03"},
    )
    assert figures["topics_raised"] == 3  # T1, T2, T3
    assert figures["median_response_hours"] == 2.0
    # Not period-bound: the same as of now whatever the period.
    assert figures["overdue_now"] == 3


def test_the_last_evening_of_a_month_is_that_month(api, world):
    """T6, raised 23:30 on 31 December local (15:30 UTC), is December's; T7, raised 00:30 on
    1 January local (16:30 UTC on 31 December), is January's."""
    admin, unit = world.actors.street_admin, f"community:{world.org.community.pk}"
    january = _figures(api, admin, unit, period="month", date="2027-01")
    assert january["topics_raised"] == 1
    assert january["volunteers_registered"] == 3  # V5 joined in January
    quarter = _figures(api, admin, unit, period="quarter", date="2026-Q4")
    assert quarter["topics_raised"] == 7  # T8 (30 Nov 23:30) and December's six


def test_ranking_orders_children_by_the_chosen_figure(api, world):
    admin, unit = world.actors.street_admin, f"street:{world.org.street.pk}"
    body = _get(api, admin, RANKING, unit=unit, **DECEMBER)
    assert body["child_level"] == "community"
    assert [(r["rank"], r["name"]) for r in body["rows"]] == [(1, "一居"), (2, "二居")]
    assert body["rows"][0]["figures"] == C1_DECEMBER
    assert body["rows"][1]["figures"] == C2_DECEMBER
    assert body["rows"][0]["ref"] == f"community:{world.org.community.pk}"

    faster = _get(api, admin, RANKING, unit=unit, sort="median_response_hours", **DECEMBER)
    assert [r["name"] for r in faster["rows"]] == ["二居", "一居"]  # less is better
    rated = _get(api, admin, RANKING, unit=unit, sort="satisfaction", **DECEMBER)
    assert [(r["rank"], r["name"]) for r in rated["rows"]] == [(1, "一居"), (None, "二居")]
    tied = _get(api, admin, RANKING, unit=unit, sort="topics_solved_directly", **DECEMBER)
    assert [r["rank"] for r in tied["rows"]] == [1, 2]


def test_ranking_of_a_community_lists_its_grids_and_a_grid_has_none(api, world):
    admin, org = world.actors.street_admin, world.org
    body = _get(api, admin, RANKING, unit=f"community:{org.community.pk}", **DECEMBER)
    assert [r["name"] for r in body["rows"]] == ["一格", "二格"]
    assert body["rows"][0]["figures"] == G1_DECEMBER
    grid = _get(api, admin, RANKING, unit=f"grid:{org.grid.pk}", **DECEMBER)
    assert grid["child_level"] is None
    assert grid["rows"] == []


def test_trend_has_one_row_per_local_month(api, world):
    body = _get(
        api,
        world.actors.street_admin,
        TREND,
        unit=f"street:{world.org.street.pk}",
        period="quarter",
        date="2026-Q4",
    )
    assert body["months"] == [
        {
            "month": "2026-10",
            "topics_raised": 0,
            "answered_within_4h": 0,
            "answered_within_4h_share": None,
            "topics_to_projects": 0,
            "projects_adopted": 0,
            "problems_solved": 0,
            "volunteer_hours": 0.0,
            "points_issued": 0,
        },
        {
            "month": "2026-11",
            "topics_raised": 1,  # T8, 23:30 on 30 November, answered late
            "answered_within_4h": 0,
            "answered_within_4h_share": 0.0,
            "topics_to_projects": 0,
            "projects_adopted": 0,
            "problems_solved": 0,
            "volunteer_hours": 4.0,
            "points_issued": 40,
        },
        {
            "month": "2026-12",
            "topics_raised": 8,
            "answered_within_4h": 5,
            "answered_within_4h_share": 62.5,
            "topics_to_projects": 2,
            "projects_adopted": 2,
            "problems_solved": 3,
            "volunteer_hours": 7.5,
            "points_issued": 65,
        },
    ]


def test_trend_of_a_grid_has_no_volunteer_series(api, world):
    body = _get(api, world.actors.street_admin, TREND, unit=f"grid:{world.org.grid.pk}", **DECEMBER)
    (december,) = body["months"]
    assert december["topics_raised"] == 5
    assert december["volunteer_hours"] is None
    assert december["points_issued"] is None
