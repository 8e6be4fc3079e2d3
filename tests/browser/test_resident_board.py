"""The community board's phone pages at a phone's size: the 社区 hub, notices (opened from the
inbox, read and acknowledged) and consultations (answered with the multiple-choice limit held
in the page, an inline confirmation, results shown or promised after the close, and the reason
why an account may not answer).

First rows come from the factories, later states from the real services; every action on a
page is checked in the database too.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Role
from board import services
from board.models import Consultation, NoticeAck, NoticeRead, Response
from residents.models import Resident
from tests.factories import (
    BuildingFactory,
    CommunityFactory,
    HouseholdFactory,
    MicroGridFactory,
    UserFactory,
    grant,
)
from tests.factories.board import (
    CompoundFactory,
    ConsultationFactory,
    NoticeFactory,
    add_questions,
    board_resident,
)

pytestmark = pytest.mark.django_db(transaction=True)

PDF = "application/pdf"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7"
    b"5\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)


def assert_fits_the_phone(page):
    """Nothing runs off a 360 px screen sideways, in the ordinary and in the elder mode."""
    for elder in (False, True):
        page.evaluate("on => document.documentElement.classList.toggle('elder', on)", elder)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= page.viewport_size["width"], f"{width} px wide (elder mode: {elder})"
    page.evaluate("document.documentElement.classList.remove('elder')")


class World:
    """One community with two compounds, a worker, a verified resident of compound A (with a
    household), a neighbour of compound B and a resident still waiting for verification."""

    def __init__(self):
        self.community = CommunityFactory(name="梅园一居")
        self.worker = grant(UserFactory(real_name="张社工"), Role.COMMUNITY_WORKER, self.community)
        self.compound_a = CompoundFactory(community=self.community, name="望春里一期")
        self.compound_b = CompoundFactory(community=self.community, name="望春里二期")
        grid = MicroGridFactory(community=self.community)
        building_a = BuildingFactory(grid=grid, compound=self.compound_a)
        building_b = BuildingFactory(grid=grid, compound=self.compound_b)
        home = HouseholdFactory(building=building_a, room="101")
        self.resident = board_resident(
            self.community, building=building_a, household=home, real_name="王阿姨"
        )
        self.neighbour = board_resident(self.community, building=building_b, real_name="李大伯")
        self.pending = board_resident(self.community, verified=False, real_name="赵先生")

    def notice(self, *, files=(), **fields):
        notice = NoticeFactory(community=self.community, **fields)
        for kind, upload in files:
            services.notice_attachment_add(
                actor=self.worker, notice=notice, upload=upload, kind=kind
            )
        services.notice_publish(actor=self.worker, notice=notice)
        services.notice_notify_batch(notice_id=notice.pk)
        return notice

    def consultation(self, **fields):
        c = ConsultationFactory(community=self.community, title="加装电梯意见征询", **fields)
        c.single, c.multiple, c.text = add_questions(c)
        services.consultation_publish(actor=self.worker, consultation=c)
        c.refresh_from_db()
        return c


@pytest.fixture
def world(db):
    return World()


# --- Notices ------------------------------------------------------------------------------------


def test_a_resident_opens_a_notice_from_the_inbox_and_acknowledges_it(
    page, live_server, sign_in, assert_accessible, screenshot, world
):
    notice = world.notice(
        title="周六停水通知",
        body="<p>本周六<strong>上午九点至十二点</strong>停水。</p><script>alert(1)</script>"
        '<p><a href="javascript:alert(2)">详情</a></p>',
        requires_ack=True,
        pinned=True,
        files=[
            ("photo", SimpleUploadedFile("停水范围.png", PNG, content_type="image/png")),
            ("file", SimpleUploadedFile("停水通知.pdf", b"%PDF-1.4 x", content_type=PDF)),
        ],
    )
    sign_in(page, world.resident)

    # The hub lists it, pinned and unread, in words.
    page.goto(f"{live_server.url}/board/")
    item = page.locator("[data-role=notices] li", has_text="周六停水通知")
    item.wait_for()
    for words in ("置顶", "未读", "需确认知晓"):
        assert item.locator(".badge", has_text=words).is_visible()
    assert_accessible(page)
    assert_fits_the_phone(page)
    screenshot(page, "resident-board")

    # From the inbox to the notice page.
    page.goto(f"{live_server.url}/notifications/")
    page.get_by_role("link", name="【公告】周六停水通知").click()
    page.wait_for_url(f"**/notices/{notice.pk}/")
    page.get_by_role("heading", name="周六停水通知").wait_for()
    text = page.locator("[data-role=text]")
    assert text.locator("strong", has_text="上午九点至十二点").is_visible()
    assert text.locator("script").count() == 0
    assert text.get_by_text("详情").get_attribute("href") is None  # javascript: link dropped
    assert "梅园一居" in page.locator("[data-role=facts]").inner_text()
    assert page.get_by_role("img", name="停水范围.png").count() == 1
    download = page.get_by_role("link", name="下载 停水通知.pdf")
    assert download.get_attribute("download") == "停水通知.pdf"
    page.wait_for_function("() => !document.querySelector('[data-role=ack-box]').hidden")
    assert NoticeRead.objects.filter(notice=notice, user=world.resident).exists()
    assert_accessible(page)
    assert_fits_the_phone(page)

    page.get_by_role("button", name="我已知晓").click()
    page.get_by_text("您已于").wait_for()
    assert page.get_by_role("button", name="我已知晓").is_hidden()
    assert NoticeAck.objects.filter(notice=notice, user=world.resident).count() == 1
    screenshot(page, "resident-notice")

    # The list now says read and acknowledged.
    page.goto(f"{live_server.url}/notices/")
    item = page.locator("[data-role=list] li", has_text="周六停水通知")
    item.wait_for()
    assert item.locator(".badge", has_text="已读").is_visible()
    assert item.locator(".badge", has_text="已确认知晓").is_visible()
    assert_accessible(page)


# --- Consultations --------------------------------------------------------------------------------


def test_a_resident_answers_a_consultation_within_the_limit_and_sees_live_results(
    page, live_server, sign_in, assert_accessible, screenshot, world
):
    c = world.consultation(results_visibility=Consultation.ResultsVisibility.LIVE)
    sign_in(page, world.resident)

    page.goto(f"{live_server.url}/consultations/")
    item = page.locator("[data-role=list] li", has_text="加装电梯意见征询")
    item.wait_for()
    assert item.locator(".badge", has_text="待参与").is_visible()
    assert_accessible(page)
    assert_fits_the_phone(page)
    item.get_by_role("link").click()

    page.wait_for_url(f"**/consultations/{c.pk}/")
    page.get_by_role("radio", name="同意", exact=True).wait_for()
    assert_accessible(page)
    assert_fits_the_phone(page)

    # Nothing chosen: the page refuses before the API, naming the question.
    page.get_by_role("button", name="提交").click()
    error = page.locator(f'[data-error-for="answers.{c.single.pk}"]')
    assert error.inner_text() == "此题为必答题。"

    page.get_by_role("radio", name="同意", exact=True).check()
    page.get_by_role("checkbox", name="费用分摊").check()
    page.get_by_role("checkbox", name="采光").check()
    # The limit (2) is held in the page: the other boxes can no longer be ticked.
    assert page.get_by_role("checkbox", name="施工噪音").is_disabled()
    assert page.get_by_role("checkbox", name="维护").is_disabled()
    assert "已选满 2 项" in page.locator("[data-role=limit-note]").inner_text()
    page.get_by_role("checkbox", name="采光").uncheck()
    assert page.get_by_role("checkbox", name="维护").is_enabled()
    page.get_by_role("checkbox", name="维护").check()

    page.get_by_label("其他意见").fill("希望尽快施工")
    assert "已输入 6 / 50 字" in page.locator(f"#count-{c.text.pk}").inner_text()

    page.get_by_role("button", name="提交").click()
    page.get_by_text("提交后不能修改，确定提交吗？").wait_for()
    screenshot(page, "resident-consultation-answer")
    assert Response.objects.count() == 0  # only asked so far
    page.get_by_role("button", name="确认提交").click()

    page.get_by_text("已提交，谢谢您的参与。").wait_for()
    page.get_by_role("heading", name="我的答卷").wait_for()
    mine = page.locator("[data-role=my-answers]").inner_text()
    assert "费用分摊、维护" in mine and "希望尽快施工" in mine
    response = Response.objects.get(consultation=c)
    assert response.user == world.resident and response.channel == "online"
    assert sorted(a.option.text for a in response.answers.filter(option__isnull=False)) == [
        "同意",
        "维护",
        "费用分摊",
    ]

    # Live results: figures in words, the bar only beside them.
    page.get_by_text("征询仍在进行，以下为实时结果。").wait_for()
    results = page.locator("[data-role=results]")
    agree = results.locator("li").filter(has=page.get_by_text("同意", exact=True))
    assert "1票 · 100%" in agree.inner_text()
    assert "已提交" in page.locator("[data-role=turnout]").inner_text()
    screenshot(page, "resident-consultation-results")
    assert_accessible(page)
    assert_fits_the_phone(page)


def test_results_after_close_are_promised_not_shown(
    page, live_server, sign_in, assert_accessible, world
):
    c = world.consultation()  # results after close (the default)
    services.consultation_respond(
        actor=world.neighbour,
        consultation=c,
        answers=[
            {"question": c.single.pk, "options": [c.single.options.first().pk]},
            {"question": c.multiple.pk, "options": [c.multiple.options.first().pk]},
        ],
    )
    sign_in(page, world.resident)
    page.goto(f"{live_server.url}/consultations/{c.pk}/")
    page.get_by_text("结果将在征询结束后").wait_for()
    assert page.locator("[data-role=results] li").count() == 0
    assert page.locator("[data-role=turnout]").is_hidden()
    assert_accessible(page)


def test_an_unverified_account_and_another_compound_see_why_they_cannot_answer(
    page, live_server, sign_in, assert_accessible, world
):
    c = world.consultation(audience="compound", compound=world.compound_a)
    sign_in(page, world.pending)
    page.goto(f"{live_server.url}/consultations/{c.pk}/")
    page.get_by_text("实名核验通过后才能参与意见征询。").wait_for()
    assert page.locator("[data-role=answer-form]").is_hidden()
    assert_accessible(page)

    page.context.clear_cookies()
    sign_in(page, world.neighbour)
    page.goto(f"{live_server.url}/consultations/{c.pk}/")
    page.get_by_text("您不在参与范围内").wait_for()
    assert page.locator("[data-role=answer-form]").is_hidden()


def test_a_household_member_sees_who_answered_for_the_household(page, live_server, sign_in, world):
    c = world.consultation(one_per=Consultation.OnePer.HOUSEHOLD)
    mine = Resident.objects.get(account=world.resident)
    spouse = board_resident(
        world.community,
        building=mine.building,
        household=mine.household,
        real_name="王大伯",
    )
    services.consultation_respond(
        actor=spouse,
        consultation=c,
        answers=[
            {"question": c.single.pk, "options": [c.single.options.first().pk]},
            {"question": c.multiple.pk, "options": [c.multiple.options.first().pk]},
        ],
    )
    sign_in(page, world.resident)
    page.goto(f"{live_server.url}/consultations/{c.pk}/")
    page.get_by_text("您家的王大伯已于").wait_for()
    assert page.locator("[data-role=answer-form]").is_hidden()
    assert page.locator("[data-role=my-answers] dl").count() == 0  # not their answers


def test_the_home_page_shows_the_board_and_the_nav_fits(
    page, live_server, sign_in, assert_accessible, screenshot, world
):
    world.notice(title="垃圾分类宣传")
    world.consultation(closes_at=timezone.now() + datetime.timedelta(days=3))
    sign_in(page, world.resident)
    page.goto(f"{live_server.url}/")
    page.locator("[data-role=board-notices] li", has_text="垃圾分类宣传").wait_for()
    page.locator("[data-role=board-consultations] li", has_text="加装电梯意见征询").wait_for()
    page.get_by_text("1项意见待参与").wait_for()
    nav = page.locator(".site-nav li")
    assert nav.count() == 7
    assert nav.first.inner_text().strip() == "社区"
    assert_accessible(page)
    assert_fits_the_phone(page)
    # Elder mode: every nav target is still at least 44 px each way.
    page.evaluate("document.documentElement.classList.add('elder')")
    for box in page.locator(".site-nav a").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect()).map(r => [r.width, r.height])"
    ):
        assert box[0] >= 44 and box[1] >= 44, box
    screenshot(page, "resident-home-elder", full_page=False)
