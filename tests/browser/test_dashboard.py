"""A leader opens the dashboard in a desktop browser: the cards, the ECharts charts and the
tables show the figures of a December built so that every number is known
(tests/dashboards/conftest.py), drilling down works, and the page passes axe-core.

Time stands still at 2027-01-10 12:00 (Shanghai) in this process, the live server included.
"""

# The story's fixture is shared with the API tests (tests/dashboards/conftest.py).
# ruff: noqa: F401, F811

import re

import pytest
from playwright.sync_api import expect

from tests.dashboards.conftest import STREET_DECEMBER, world
from tests.dashboards.test_cases import cases_world, place, private_media

pytestmark = pytest.mark.django_db(transaction=True)

CHARTS = ("trend", "volunteers", "stages", "ranking", "events", "disputes")


def _series(page, chart, index=0):
    """The numbers an ECharts chart was drawn with (its series' data)."""
    return page.evaluate(
        """([id, i]) => echarts.getInstanceByDom(document.getElementById(id))
            .getOption().series[i].data""",
        [f"chart-{chart}", index],
    )


def _wait_until_drawn(page):
    expect(page.locator("#main")).to_have_attribute("data-loaded", "1")
    for chart in CHARTS:
        expect(page.locator(f"[data-chart='{chart}']")).to_have_attribute("data-ready", "1")


def _figure(page, key):
    return page.locator(f"[data-figure='{key}']").first


def test_a_leader_sees_the_streets_december(
    desktop_page, live_server, sign_in, world, assert_accessible, screenshot
):
    page = sign_in(desktop_page, world.actors.street_admin)
    street = world.org.street
    page.goto(f"{live_server.url}/dashboard/?unit=street:{street.pk}&period=month&date=2026-12")
    _wait_until_drawn(page)

    expect(page.get_by_test_id("scope-title")).to_have_text("街道 甲一街道 · 2026年12月")
    expect(page.locator("#breadcrumb [aria-current='page']")).to_have_text("街道 甲一街道")
    # The cards: every figure as the API computed it, formatted for reading.
    expect(_figure(page, "topics_raised")).to_have_text("8")
    expect(_figure(page, "answered_within_4h")).to_have_text("5")
    expect(_figure(page, "answered_within_4h_share")).to_have_text("62.5%")
    expect(_figure(page, "median_response_hours")).to_have_text("1.5")
    expect(_figure(page, "overdue_now")).to_have_text("3")
    expect(_figure(page, "conversion_rate")).to_have_text("25.0%")
    expect(_figure(page, "problems_solved")).to_have_text("3")
    expect(_figure(page, "money_spent")).to_have_text("1,500.00")
    expect(_figure(page, "satisfaction")).to_have_text("4.5")
    expect(_figure(page, "volunteer_hours")).to_have_text("7.5")
    expect(_figure(page, "participation")).to_have_text("9")
    for key, value in STREET_DECEMBER.items():
        shown = _figure(page, key).get_attribute("data-value")
        assert (float(shown) if shown else None) == value, key

    # The charts were drawn with the same numbers as the tables under them.
    assert _series(page, "trend", 0) == [8]  # topics raised in December
    assert _series(page, "trend", 1) == [5]  # answered within 4 h
    assert _series(page, "trend", 4) == [62.5]
    assert _series(page, "volunteers", 0) == [7.5]
    assert _series(page, "stages", 0) == [0, 0, 0, 1, 1]
    assert _series(page, "ranking", 0) == [2, 6]  # bottom to top: 二居, 一居
    trend_row = page.locator("#table-trend tbody tr").first
    expect(trend_row.locator("th")).to_have_text("2026-12")
    expect(trend_row.locator("td[data-key='topics_raised']")).to_have_text("8")
    ranking = page.locator("#table-ranking tbody tr")
    expect(ranking).to_have_count(2)
    expect(ranking.nth(0).locator("th")).to_have_text("一居")
    expect(ranking.nth(0).locator("td[data-key='topics_raised']")).to_have_text("6")

    # Export links carry the view's unit and period.
    csv = page.locator("[data-export='ranking'] a[data-format='csv']")
    expect(csv).to_have_attribute("href", re.compile(rf"unit=street%3A{street.pk}.*date=2026-12"))

    assert_accessible(page)
    screenshot(page, "dashboard")

    # Drill down to a community from the ranking: its own figures and its grids' ranking.
    ranking.nth(0).get_by_role("link", name="查看 一居").click()
    expect(page.get_by_test_id("scope-title")).to_have_text("居民区 一居 · 2026年12月")
    _wait_until_drawn(page)
    expect(_figure(page, "topics_raised")).to_have_text("6")
    expect(_figure(page, "median_response_hours")).to_have_text("2.5")
    expect(page.locator("#breadcrumb li")).to_have_count(2)
    expect(page.locator("#table-ranking tbody th")).to_have_text(["一格", "二格"])
    assert "unit=community" in page.url

    # Rank by another figure, then change the period to the quarter.
    page.get_by_label("排名依据").select_option("overdue_now")
    _wait_until_drawn(page)
    expect(page.locator("#table-ranking tbody th")).to_have_text(["二格", "一格"])
    page.get_by_label("统计期间").select_option("quarter")
    page.get_by_label("季度").select_option("4")
    page.get_by_test_id("apply").click()
    expect(page.get_by_test_id("scope-title")).to_have_text("居民区 一居 · 2026年第4季度")
    _wait_until_drawn(page)
    expect(_figure(page, "topics_raised")).to_have_text("7")
    expect(page.locator("#table-trend tbody tr")).to_have_count(3)

    # Back up through the breadcrumb.
    page.locator("#breadcrumb a").first.click()
    expect(page.get_by_test_id("scope-title")).to_have_text("街道 甲一街道 · 2026年第4季度")


def test_a_bad_period_is_said_in_words(desktop_page, live_server, sign_in, world):
    page = sign_in(desktop_page, world.actors.street_admin)
    page.goto(f"{live_server.url}/dashboard/?period=custom&from=2026-12-31&to=2026-12-01")
    status = page.get_by_test_id("status")
    expect(status).to_contain_text("结束日期不能早于开始日期")
    expect(status).to_have_class(re.compile("is-error"))


def test_a_resident_is_refused(desktop_page, live_server, sign_in, world):
    page = sign_in(desktop_page, world.actors.resident)
    response = page.goto(f"{live_server.url}/dashboard/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("无权查看领导看板")


def test_the_grid_events_and_disputes_section(
    desktop_page, live_server, sign_in, cases_world, actors, assert_accessible
):
    """The section 网格事件与矛盾纠纷 of tests/dashboards/test_cases.py's December: a chart and
    a table of events by state, the weeks' table (周周清 per unit and week), and disputes by
    category and outcome as a chart and a table; no name anywhere."""
    org = cases_world
    page = sign_in(desktop_page, actors.street_admin)
    page.goto(f"{live_server.url}/dashboard/?unit=street:{org.street.pk}&period=month&date=2026-12")
    _wait_until_drawn(page)
    section = page.get_by_test_id("cases-block")
    expect(section.get_by_role("heading", level=2)).to_have_text("网格事件与矛盾纠纷")

    assert _series(page, "events") == [1, 0, 1, 1, 1, 1, 1]
    closed = page.locator("#table-events tr[data-state='closed']")
    expect(closed.locator("th")).to_have_text("已办结")
    expect(closed.locator("td")).to_have_text("1")

    weeks = page.locator("#table-weeks tbody tr")
    expect(weeks).to_have_count(3)
    first = weeks.nth(0)
    expect(first.locator("th")).to_have_text("2026-W49（2026-11-30）")
    expect(first.locator("td").nth(0)).to_have_text("一居")
    expect(first.locator("td[data-key='found']")).to_have_text("3")
    expect(first.locator("td[data-key='cleared_within_week_share']")).to_have_text("33.3%")
    expect(first.locator("td[data-key='handled_on_time_share']")).to_have_text("50.0%")
    expect(weeks.nth(2).locator("td[data-key='reopened']")).to_have_text("1")
    expect(weeks.nth(2).locator("td[data-key='handled_on_time_share']")).to_have_text("无数据")

    neighbour = page.locator("#table-disputes tr[data-category='neighbour']")
    expect(neighbour.locator("th")).to_have_text("邻里纠纷")
    expect(neighbour.locator("td")).to_have_text(["2", "1", "1", "0"])
    assert _series(page, "disputes", 0)[:3] == [2, 1, 1]  # opened: neighbour, family, property
    export = page.locator("[data-export='cases'] a[data-format='xlsx']")
    expect(export).to_have_attribute("href", re.compile(r"/api/v1/dashboard/cases/export/"))
    text = section.inner_text()
    for name in ("欧阳娜娜", "司马光明", "城管小王"):
        assert name not in text
    assert_accessible(page)
