"""The owners' committee election pages at a phone's size: the list, an election with its
candidates, a resident voting for the household with an inline confirmation, another member
of the household seeing that the household voted, the reason an account may not vote, the
results once counted; and /my-property/ (area, company, contract, fee standard, committee).

First rows come from the factories, later states from the real services; every vote on a page
is checked in the database too.
"""

import datetime

import pytest
import time_machine

from accounts.models import Role
from property_governance import services
from property_governance.models import Ballot, BallotChoice
from tests.factories import (
    BuildingFactory,
    CommunityFactory,
    HouseholdFactory,
    MicroGridFactory,
    UserFactory,
    grant,
)
from tests.factories.board import CompoundFactory, board_resident
from tests.factories.property_governance import (
    ElectionFactory,
    OwnersCommitteeFactory,
    PropertyAreaFactory,
    PropertyCompanyFactory,
    current_contract,
)

pytestmark = pytest.mark.django_db(transaction=True)


def assert_fits_the_phone(page):
    """Nothing runs off a 360 px screen sideways, in the ordinary and in the elder mode."""
    for elder in (False, True):
        page.evaluate("on => document.documentElement.classList.toggle('elder', on)", elder)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= page.viewport_size["width"], f"{width} px wide (elder mode: {elder})"
    page.evaluate("document.documentElement.classList.remove('elder')")


class World:
    """A community with compound A (area A) and compound B; a household of two in A, a
    neighbour household in A, a resident of B; a voting election of area A (2 seats)."""

    def __init__(self):
        self.community = CommunityFactory(name="梅园一居")
        self.worker = grant(UserFactory(real_name="张社工"), Role.COMMUNITY_WORKER, self.community)
        compound_a = CompoundFactory(community=self.community, name="望春里一期")
        compound_b = CompoundFactory(community=self.community, name="望春里二期")
        grid = MicroGridFactory(community=self.community)
        a = BuildingFactory(grid=grid, compound=compound_a)
        b = BuildingFactory(grid=grid, compound=compound_b)
        home = HouseholdFactory(building=a, room="101")
        self.wife = board_resident(self.community, building=a, household=home, real_name="王阿姨")
        self.husband = board_resident(
            self.community, building=a, household=home, real_name="王大伯"
        )
        self.neighbour = board_resident(
            self.community,
            building=a,
            household=HouseholdFactory(building=a, room="102"),
            real_name="钱阿姨",
        )
        self.outsider = board_resident(
            self.community,
            building=b,
            household=HouseholdFactory(building=b, room="801"),
            real_name="李女士",
        )
        self.area = PropertyAreaFactory(
            community=self.community, name="望春里一期物业管理区域", compounds=[compound_a]
        )
        company = PropertyCompanyFactory(street=self.community.street, name="安居物业")
        current_contract(self.area, company, fee="2.35")
        committee = OwnersCommitteeFactory(area=self.area)
        services.committee_member_add(
            actor=self.worker,
            committee=committee,
            resident=self.neighbour.resident,
            role="director",
        )
        self.election = ElectionFactory(area=self.area, title="第二届业委会选举", seats=2)
        for user in (self.neighbour, self.husband, self.wife):
            services.election_candidate_add(
                actor=self.worker,
                election=self.election,
                resident=user.resident,
                statement="热心服务邻里。",
            )
        services.election_publish_candidates(actor=self.worker, election=self.election)
        services.election_open_voting(actor=self.worker, election=self.election)


@pytest.fixture
def world(db):
    return World()


def test_a_resident_votes_and_the_household_sees_it(
    page, live_server, sign_in, assert_accessible, world
):
    sign_in(page, world.wife)
    page.goto(f"{live_server.url}/elections/")
    item = page.locator("[data-role=list] li", has_text="第二届业委会选举")
    item.wait_for()
    assert item.locator(".badge", has_text="可以投票").is_visible()
    assert_accessible(page)
    assert_fits_the_phone(page)

    item.get_by_role("link", name="第二届业委会选举").click()
    page.wait_for_url(f"**/elections/{world.election.pk}/")
    page.get_by_role("heading", name="第二届业委会选举").wait_for()
    page.locator("[data-role=vote-form]").wait_for()
    assert_accessible(page)
    assert_fits_the_phone(page)

    # Two seats: once two are ticked, the third box is disabled.
    page.get_by_label("1. 钱阿姨").check()
    page.get_by_label("2. 王大伯").check()
    assert page.get_by_label("3. 王阿姨").is_disabled()
    page.get_by_role("button", name="投票", exact=True).click()
    confirm = page.locator("[data-role=confirm]")
    confirm.wait_for()
    assert "钱阿姨、王大伯" in confirm.inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="确认投票").click()
    page.get_by_text("投票成功").wait_for()
    page.locator("[data-role=vote-status]", has_text="您家已经投过票").wait_for()
    assert page.locator("[data-role=vote-form]").is_hidden()
    ballot = Ballot.objects.get(election=world.election)
    assert ballot.user == world.wife and ballot.channel == "online"
    assert BallotChoice.objects.filter(ballot=ballot).count() == 2

    # Her husband sees that the household voted, and no ballot form.
    sign_in(page, world.husband)
    page.goto(f"{live_server.url}/elections/{world.election.pk}/")
    page.locator("[data-role=vote-status]", has_text="您家已经投过票").wait_for()
    assert page.locator("[data-role=vote-form]").is_hidden()
    assert page.locator(".badge", has_text="本户已投票").first.is_visible()
    assert "1" in page.locator("[data-role=turnout]").inner_text()
    assert_accessible(page)


def test_the_reason_not_to_vote_and_the_results(
    page, live_server, sign_in, assert_accessible, world
):
    sign_in(page, world.outsider)
    page.goto(f"{live_server.url}/elections/{world.election.pk}/")
    page.locator("[data-role=vote-status]", has_text="仅限望春里一期物业管理区域").wait_for()
    assert page.locator("[data-role=vote-form]").is_hidden()
    assert_accessible(page)

    services.election_vote(
        actor=world.neighbour,
        election=world.election,
        candidates=[world.election.candidates.get(position=1).pk],
    )
    with time_machine.travel(world.election.closes_at + datetime.timedelta(minutes=1)):
        services.election_count(actor=world.worker, election=world.election)
        page.goto(f"{live_server.url}/elections/{world.election.pk}/")
        page.get_by_text("得票 1").wait_for()
        assert page.locator("[data-role=candidates] .badge", has_text="当选").count() >= 1
        assert "计票并公布结果" in page.locator("[data-role=timeline]").inner_text()
        assert_accessible(page)
        assert_fits_the_phone(page)


def test_my_property(page, live_server, sign_in, assert_accessible, world):
    sign_in(page, world.wife)
    page.goto(f"{live_server.url}/my-property/")
    page.get_by_text("安居物业").wait_for()
    body = page.locator("[data-role=body]").inner_text()
    for words in ("望春里一期物业管理区域", "住宅：2.35 元/平方米·月", "主任", "钱阿姨"):
        assert words in body, words
    assert_accessible(page)
    assert_fits_the_phone(page)
