"""The residents' account pages at a phone's size: sign in, sign up with the real-name status,
the shell (header, elder mode, language), 我的, the home page and the inbox."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from notifications.models import Notification
from notifications.services import notify
from tests.factories import CommunityFactory, StreetFactory, UserFactory
from tests.factories.proposals import verified_resident

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Pass-word-123"  # tests.factories.accounts.UserFactory's


@pytest.fixture
def js_errors(page):
    """Every uncaught error in the page's scripts; a test ends by asserting there were none."""
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


@pytest.fixture
def community(db):
    street = StreetFactory(name="甲一街道")
    CommunityFactory(street=street, name="二居")
    CommunityFactory(street=StreetFactory(name="甲二街道"), name="三居")
    return CommunityFactory(street=street, name="一居")


def test_sign_in_with_phone_goes_on_to_the_page_asked_for(
    page, live_server, community, js_errors, assert_accessible, screenshot
):
    verified_resident(community, phone="13900000001", real_name="王阿姨")
    page.goto(f"{live_server.url}/topics/")
    # Anonymous: sent to the sign-in page, which remembers where the resident was going.
    expect(page).to_have_url(re.compile(r"/login/\?next=/topics/$"))
    expect(page.get_by_role("heading", name="登录", exact=True)).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert_accessible(page)
    screenshot(page, "resident-login")

    # A wrong password: said in words, the phone number stays typed.
    page.get_by_label("手机号").fill("13900000001")
    page.get_by_label("密码", exact=True).fill("wrong-password")
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page.locator("[data-role=form-error]")).to_contain_text("手机号/用户名或密码不正确")
    expect(page.get_by_label("手机号")).to_have_value("13900000001")
    assert "{" not in page.locator("[data-role=form-error]").inner_text()
    assert_accessible(page)

    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/topics/")
    expect(page.locator(".site-user")).to_contain_text("王阿姨")
    expect(page.locator(".site-user")).to_contain_text("已实名")
    assert js_errors == []


def test_sign_in_refuses_an_empty_form_in_words(page, live_server, js_errors):
    page.goto(f"{live_server.url}/login/")
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page.locator("[data-role=form-error]")).to_contain_text("输入有误")
    expect(page.locator("[data-error-for=username]")).not_to_be_empty()
    expect(page.get_by_label("手机号")).to_have_attribute("aria-invalid", "true")
    assert js_errors == []


def test_register_shows_waiting_for_verification(
    page, live_server, community, js_errors, assert_accessible
):
    UserFactory(username="13900000009", phone="13900000009")
    page.goto(f"{live_server.url}/register/")
    assert_accessible(page)
    page.get_by_label("手机号").fill("13900000009")
    page.get_by_label("真实姓名").fill("李大爷")
    page.get_by_label("所在街道").select_option(label="甲一街道")
    page.get_by_label("所在居民区").select_option(label="一居")
    page.get_by_label("设置密码").fill("Lao-li-2026!")

    # The number is taken: the reason sits by the phone field and nothing typed is lost.
    page.get_by_role("button", name="注册", exact=True).click()
    expect(page.locator("[data-error-for=phone]")).to_contain_text("已注册")
    expect(page.get_by_label("真实姓名")).to_have_value("李大爷")
    expect(page.get_by_label("所在居民区")).to_have_value(str(community.pk))
    assert_accessible(page)

    page.get_by_label("手机号").fill("13900000010")
    page.get_by_role("button", name="注册", exact=True).click()
    done = page.locator("[data-role=register-done]")
    expect(done).to_be_visible()
    expect(done).to_contain_text("实名状态：待核验")
    user = User.objects.get(phone="13900000010")
    assert user.verification_status == User.Verification.PENDING
    assert user.claimed_community == community

    # Signed in at once; the header and 我的 say the account is waiting, and what that means.
    page.get_by_role("link", name="进入我的社区").click()
    expect(page.locator(".site-user")).to_contain_text("待核验")
    expect(page.locator("[data-role=home-status]")).to_contain_text("正在核实")
    page.goto(f"{live_server.url}/me/")
    expect(page.locator("main")).to_contain_text("社区工作人员正在核实您的身份")
    assert js_errors == []


def test_register_with_a_poster_link_preselects_the_community(page, live_server, community):
    page.goto(f"{live_server.url}/register/?community={community.pk}")
    expect(page.get_by_label("所在居民区")).to_have_value(str(community.pk))
    expect(page.get_by_label("所在街道")).to_have_value(re.compile(r"\d+"))


def test_rejected_account_sees_the_reason(page, live_server, sign_in, community, js_errors):
    user = UserFactory(
        claimed_community=community,
        verification_status=User.Verification.REJECTED,
        verification_note="查无此人，请带身份证到居委会。",
    )
    sign_in(page, user)
    page.goto(f"{live_server.url}/me/")
    expect(page.locator(".site-user")).to_contain_text("未通过")
    expect(page.locator("main")).to_contain_text("查无此人，请带身份证到居委会。")
    assert js_errors == []


def test_elder_mode_switch_persists_across_reload(page, live_server, sign_in, community):
    sign_in(page, verified_resident(community))
    page.goto(f"{live_server.url}/me/")
    base_size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert base_size >= 18  # the elder figures are the default, not only in 长辈版

    switch = page.locator("header [data-role=elder-switch]")
    expect(switch).to_have_attribute("aria-pressed", "false")
    switch.click()
    expect(switch).to_have_attribute("aria-pressed", "true")
    expect(switch).to_contain_text("长辈版：开")

    page.reload()
    # Applied before the first paint by the inline script in <head>.
    assert page.evaluate("document.documentElement.classList.contains('elder')")
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 22
    expect(page.locator("header [data-role=elder-switch]")).to_have_attribute(
        "aria-pressed", "true"
    )
    # The big switch on 我的 turns it off again, everywhere.
    page.locator("[data-role=me-elder]").click()
    page.reload()
    assert not page.evaluate("document.documentElement.classList.contains('elder')")


def test_language_switch_to_english_and_back(page, live_server, sign_in, community):
    sign_in(page, verified_resident(community))
    page.goto(f"{live_server.url}/me/")
    page.locator("header").get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.locator("header").get_by_role("button", name="中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")


def test_me_page_and_sign_out(page, live_server, sign_in, community, js_errors, assert_accessible):
    sign_in(page, verified_resident(community, real_name="王阿姨", phone="13900000002"))
    page.goto(f"{live_server.url}/me/")
    facts = page.locator("[data-role=me-facts]")
    expect(facts).to_contain_text("一居")
    expect(facts).to_contain_text("139****0002")
    expect(page.locator("main")).to_contain_text("您已通过实名核验")
    assert_accessible(page)
    page.get_by_role("button", name="退出登录").click()
    expect(page).to_have_url(f"{live_server.url}/login/")
    page.goto(f"{live_server.url}/me/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/me/$"))
    assert js_errors == []


def test_home_page(page, live_server, sign_in, community, js_errors, assert_accessible):
    sign_in(page, verified_resident(community))
    page.goto(f"{live_server.url}/")
    expect(page.locator("[data-role=home-title]")).to_have_text("我的社区：一居")
    expect(page.get_by_role("link", name="我要提议题")).to_be_visible()
    expect(page.locator('[data-count="topics"]')).to_have_text("共 0 条")
    assert_accessible(page)
    assert js_errors == []


def test_inbox_lists_and_marks_read(
    page, live_server, sign_in, community, js_errors, assert_accessible
):
    resident = verified_resident(community)
    for n in range(3):
        notify(recipients=[resident], kind="test", title=f"您的议题有了新回应{n}", body="请查看。")
    sign_in(page, resident)
    page.goto(f"{live_server.url}/notifications/")
    items = page.locator("[data-role=inbox] > li")
    expect(items).to_have_count(3)
    expect(page.locator("[data-role=unread-count]")).to_have_text("3")
    assert_accessible(page)

    first = items.first
    expect(first.locator("[data-role=state]")).to_have_text("未读")
    first.get_by_role("button", name="标为已读").click()
    expect(first.locator("[data-role=state]")).to_have_text("已读")
    expect(page.locator("[data-role=unread-count]")).to_have_text("2")

    page.get_by_role("button", name="全部标为已读").click()
    expect(page.locator("[data-role=flash]")).to_contain_text("已将 2 条消息标为已读")
    expect(page.locator("[data-role=unread-count]")).to_be_hidden()
    assert not Notification.objects.filter(recipient=resident, read_at__isnull=True).exists()
    assert js_errors == []
