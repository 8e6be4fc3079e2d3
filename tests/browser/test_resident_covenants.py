"""The residents' covenant pages at a phone's size: the list by where each covenant stands, a
covenant's text with its discussion (comment, report) and household signing with an inline
confirmation; the count moves, and a second member of the household is told it has signed.

Data comes from the factories (first rows) and covenants.services; every action on the page is
checked in the database too."""

import pytest

from accounts.models import Role
from covenants import services
from covenants.models import CovenantComment, CovenantCommentReport, Signature
from tests.factories import (
    BuildingFactory,
    CommunityFactory,
    HouseholdFactory,
    MicroGridFactory,
    UserFactory,
    grant,
)
from tests.factories.board import board_resident
from tests.factories.covenants import CovenantFactory, to_state

pytestmark = pytest.mark.django_db(transaction=True)


def assert_fits_the_phone(page):
    for elder in (False, True):
        page.evaluate("on => document.documentElement.classList.toggle('elder', on)", elder)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= page.viewport_size["width"], f"{width} px wide (elder mode: {elder})"
    page.evaluate("document.documentElement.classList.remove('elder')")


class World:
    def __init__(self):
        self.community = CommunityFactory(name="梅园一居")
        self.worker = grant(UserFactory(real_name="张社工"), Role.COMMUNITY_WORKER, self.community)
        grid = MicroGridFactory(community=self.community)
        building = BuildingFactory(grid=grid, name="3号楼")
        home = HouseholdFactory(building=building, room="301")
        other = HouseholdFactory(building=building, room="502")
        self.resident = board_resident(
            self.community, building=building, household=home, real_name="王阿姨"
        )
        self.husband = board_resident(
            self.community, building=building, household=home, real_name="王大伯"
        )
        self.neighbour = board_resident(
            self.community, building=building, household=other, real_name="李女士"
        )
        self.discussed = to_state(
            CovenantFactory(community=self.community, title="文明养犬公约"),
            self.worker,
            "discussion",
        )
        self.signing = to_state(
            CovenantFactory(
                community=self.community,
                title="楼道堆物清理公约",
                version="<p>楼道、消防通道不堆放杂物。</p>",
            ),
            self.worker,
            "signing",
        )
        services.covenant_comment(
            actor=self.neighbour, covenant=self.discussed, body="低价办证，联系微信……"
        )


@pytest.fixture
def world(db):
    return World()


def test_a_resident_reads_comments_and_signs_for_the_household(
    page, live_server, sign_in, assert_accessible, world
):
    sign_in(page, world.resident)
    page.goto(f"{live_server.url}/covenants/")
    page.locator("[data-role=discussion] li", has_text="文明养犬公约").wait_for()
    page.locator("[data-role=signing] li", has_text="楼道堆物清理公约").wait_for()
    assert_accessible(page)
    assert_fits_the_phone(page)

    # Discussion: read, comment, report a neighbour's advert.
    page.get_by_role("link", name="文明养犬公约").click()
    page.get_by_role("heading", name="文明养犬公约").wait_for()
    assert "遛狗牵绳" in page.locator("[data-role=text]").inner_text()
    page.get_by_label("写下您的意见").fill("建议写明遛狗时间段。")
    page.get_by_role("button", name="发表意见").click()
    page.locator("[data-role=comments] li", has_text="建议写明遛狗时间段。").wait_for()
    advert = page.locator("[data-role=comments] li", has_text="低价办证")
    advert.get_by_role("button", name="举报").click()
    advert.get_by_text("已举报").wait_for()
    assert_accessible(page)
    assert CovenantComment.objects.filter(author=world.resident).count() == 1
    assert CovenantCommentReport.objects.filter(reporter=world.resident).count() == 1

    # Signing: progress against the threshold, an inline confirmation, the count moves.
    page.goto(f"{live_server.url}/covenants/{world.signing.pk}/")
    progress = page.locator("[data-role=progress]")
    progress.wait_for()
    assert "应参与户数" in progress.inner_text() and "2/3" in progress.inner_text()
    assert page.locator("[data-role=progress] dt:has-text('已签署户数') + dd").inner_text() == "0"
    page.get_by_role("button", name="代表本户签署").click()
    confirm = page.locator("[data-role=confirm]")
    assert confirm.is_visible() and "每户只能签署一次" in confirm.inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="确认提交").click()
    page.get_by_text("已代表本户签署，谢谢！").wait_for()
    assert page.locator("[data-role=progress] dt:has-text('已签署户数') + dd").inner_text() == "1"
    assert page.locator("[data-role=sign-form]").is_hidden()
    assert_fits_the_phone(page)
    signature = Signature.objects.get()
    assert signature.user == world.resident and signature.channel == "online"


def test_the_second_member_of_the_household_sees_it_has_signed(
    page, live_server, sign_in, assert_accessible, world
):
    services.covenant_sign(actor=world.resident, covenant=world.signing)
    sign_in(page, world.husband)
    page.goto(f"{live_server.url}/covenants/")
    page.locator("[data-role=signing] li", has_text="我家已签署").wait_for()
    page.goto(f"{live_server.url}/covenants/{world.signing.pk}/")
    page.get_by_text("您家已签署").first.wait_for()
    assert page.locator("[data-role=sign-form]").is_hidden()
    assert_accessible(page)
