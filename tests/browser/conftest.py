"""Browser tests: the resident pages and the dashboards in a real headless Chromium.

Playwright drives the system Chromium (Debian's package, /usr/bin/chromium, or CHROMIUM_PATH):
Playwright's own browser download cannot work on our machines. Without a Chromium every test
here is skipped with a message that says how to get one; `.ci/run` installs it.

A failing test leaves a screenshot under test-results/ (pytest-playwright's
``--screenshot=only-on-failure``, set in pyproject.toml). ``DOCS_SCREENSHOTS=1`` makes the
``screenshot`` fixture write the README's pictures into docs/screenshots/ (`make screenshots`).
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

# Playwright's sync API runs an event loop in the test's thread, and Django refuses ORM calls
# from a thread with a running loop. The test's own ORM calls are plain synchronous code
# (factories, assertions), so the guard only gets in the way here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
ROOT = Path(__file__).resolve().parents[2]
DOCS_SCREENSHOTS = ROOT / "docs" / "screenshots"

# A small phone (DESIGN.md: the elder-mode figures hold at 360 px) and an ordinary desktop.
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1366, "height": 900}


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        pytest.skip(
            f"没有找到 Chromium（{CHROMIUM}），跳过浏览器测试 / no Chromium at {CHROMIUM}: "
            "browser tests skipped. Install it with `apt-get install chromium` "
            "or point CHROMIUM_PATH at one."
        )
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "headless": True,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """Every page starts as a resident's phone: small screen, touch, Chinese, Shanghai time."""
    return {
        **browser_context_args,
        "viewport": PHONE,
        "is_mobile": True,
        "has_touch": True,
        "locale": "zh-CN",
        "timezone_id": "Asia/Shanghai",
    }


@pytest.fixture
def desktop_page(browser, live_server):
    """A desktop browser window, for the leaders' dashboards and the admin."""
    context = browser.new_context(
        viewport=DESKTOP, locale="zh-CN", timezone_id="Asia/Shanghai", base_url=live_server.url
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture(autouse=True)
def _default_timeout(request):
    # A page that never shows what a test waits for should fail in seconds, not 30 (15: CI
    # machines have two cores and run the server, the browser and the test at once).
    if "page" in request.fixturenames:
        request.getfixturevalue("page").set_default_timeout(15_000)


@pytest.fixture
def sign_in(live_server):
    """`sign_in(page, user)`: the browser carries `user`'s session, as after signing in.

    For tests about something other than the sign-in page itself; that page has its own test.
    """

    def _sign_in(page, user):
        client = Client()
        client.force_login(user)
        page.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
        return page

    return _sign_in


@pytest.fixture
def assert_accessible():
    """`assert_accessible(page)`: no serious or critical axe-core violation on the page now."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def _check(page, *, context=None):
        results = axe.run(page, context=context)
        bad = [
            v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")
        ]
        details = "\n".join(
            f"{v['impact']}: {v['id']} — {v['help']} — "
            + "; ".join(n["target"][0] if n.get("target") else "?" for n in v["nodes"][:5])
            for v in bad
        )
        assert not bad, f"axe-core on {page.url}:\n{details}"

    return _check


@pytest.fixture
def screenshot():
    """`screenshot(page, name)`: a picture for the README when DOCS_SCREENSHOTS=1, else under
    test-results/screenshots/ (kept out of git) so that ordinary runs leave the tree clean."""

    def _shot(page, name, *, full_page=True):
        if os.environ.get("DOCS_SCREENSHOTS") == "1":
            target = DOCS_SCREENSHOTS / f"{name}.png"
        else:
            target = ROOT / "test-results" / "screenshots" / f"{name}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(target), full_page=full_page)
        return target

    return _shot
