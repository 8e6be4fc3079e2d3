"""The browser plumbing itself: the live server answers and the admin sign-in page is usable."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_admin_sign_in_page_renders_in_chinese(page, live_server):
    page.goto(f"{live_server.url}/admin/login/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.get_by_role("button").first.is_visible()
