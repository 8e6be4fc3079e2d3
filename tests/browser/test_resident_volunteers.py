"""The residents' volunteering and points pages at a phone's size: browsing activities, signing
up (and onto the waiting list), checking in with the activity's code, my points and ledger with
the street's rules, and redeeming rewards with an inline confirmation.

Data comes from the factories (first rows) and the real services (sign-ups, approval, points
adjustments, redemptions), and every action on the page is checked in the database too.
"""

import datetime

import pytest
import time_machine
from django.utils import timezone

from accounts.models import Role
from tests.factories import CommunityFactory, UserFactory, grant
from tests.factories.proposals import verified_resident
from tests.factories.volunteers import ActivityFactory, ServiceTeamFactory
from tests.factories.volunteers_points import (
    PointsActivityFactory,
    PointsPolicyFactory,
    PointsRuleFactory,
    RewardFactory,
    approved_attendance,
)
from volunteers.models import (
    Activity,
    Attendance,
    PointsAccount,
    PointsEntry,
    Redemption,
    Reward,
    SignUp,
)
from volunteers.services import activities as activity_services
from volunteers.services.points import points_adjust

pytestmark = pytest.mark.django_db(transaction=True)

NOW = timezone.now


def assert_fits_the_phone(page):
    """Nothing runs off a 360 px screen sideways (a resident should only ever scroll down),
    in the ordinary and in the elder (larger text) mode."""
    for elder in (False, True):
        page.evaluate("on => document.documentElement.classList.toggle('elder', on)", elder)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= page.viewport_size["width"], f"{width} px wide (elder mode: {elder})"
    page.evaluate("document.documentElement.classList.remove('elder')")


class World:
    """One community with a worker, a verified resident, a neighbour and a service team."""

    def __init__(self):
        self.community = CommunityFactory(name="梅园一居")
        self.worker = grant(UserFactory(real_name="张社工"), Role.COMMUNITY_WORKER, self.community)
        self.resident = verified_resident(self.community, real_name="王阿姨")
        self.neighbour = verified_resident(self.community, real_name="李大伯")
        self.team = ServiceTeamFactory(community=self.community, name="环境服务队")

    def happening_now(self, **fields):
        """An activity that started 70 minutes ago, with the resident's confirmed place (taken
        before yesterday's cut-off: a first row, as the factories make them)."""
        start = NOW().replace(second=0, microsecond=0) - datetime.timedelta(minutes=70)
        activity = ActivityFactory(
            community=self.community,
            title="周末清理楼道",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=3),
            signup_deadline=start - datetime.timedelta(days=1),
            **fields,
        )
        SignUp.objects.create(
            activity=activity,
            user=self.resident,
            status=SignUp.Status.CONFIRMED,
            confirmed_at=start - datetime.timedelta(days=2),
        )
        return activity

    def points(self, points, reason="社区表彰"):
        """Give the resident points through the real adjust service."""
        account, _ = PointsAccount.objects.get_or_create(
            user=self.resident, street=self.community.street, defaults={"community": self.community}
        )
        points_adjust(actor=self.worker, account=account, points=points, reason=reason)
        account.refresh_from_db()
        return account


@pytest.fixture
def world(db):
    return World()


# --- Activities ---------------------------------------------------------------------------------


def test_activities_list_shows_places_and_filters_by_time_type_and_team(
    page, live_server, sign_in, assert_accessible, world
):
    ActivityFactory(community=world.community, title="清理楼道杂物", team=world.team, capacity=5)
    full = ActivityFactory(community=world.community, title="义诊量血压", capacity=1)
    activity_services.signup_create(actor=world.neighbour, activity=full)
    ActivityFactory(community=world.community, title="小区门岗值守", kind=Activity.Kind.POST)
    PointsActivityFactory(community=world.community, title="重阳敬老")  # finished yesterday
    sign_in(page, world.resident)

    page.goto(f"{live_server.url}/activities/")

    stairs = page.locator(".item-list li", has_text="清理楼道杂物")
    stairs.wait_for()
    assert "名额 5 人，已报名 0 人，剩余 5 个" in stairs.inner_text()
    assert stairs.locator(".badge", has_text="报名中").is_visible()
    blood = page.locator(".item-list li", has_text="义诊量血压")
    assert blood.locator(".badge", has_text="已满，可候补").is_visible()
    assert page.locator(".item-list li", has_text="重阳敬老").count() == 0  # past by default
    assert_accessible(page)
    assert_fits_the_phone(page)

    page.get_by_label("时间").select_option("past")
    page.locator(".item-list li", has_text="重阳敬老").wait_for()
    assert page.locator(".item-list li", has_text="清理楼道杂物").count() == 0

    page.get_by_label("时间").select_option("upcoming")
    page.get_by_label("类型").select_option("post")
    page.locator(".item-list li", has_text="清理楼道杂物").wait_for(state="detached")
    page.locator(".item-list li", has_text="小区门岗值守").wait_for()

    page.get_by_label("类型").select_option("")
    page.get_by_label("服务队").select_option(label="环境服务队")
    page.locator(".item-list li", has_text="小区门岗值守").wait_for(state="detached")
    page.locator(".item-list li", has_text="清理楼道杂物").wait_for()
    assert f"team={world.team.pk}" in page.url


def test_a_resident_signs_up_and_cancels_with_an_inline_confirmation(
    page, live_server, sign_in, assert_accessible, world
):
    activity = ActivityFactory(community=world.community, title="清理楼道杂物", capacity=5)
    sign_in(page, world.resident)
    page.goto(f"{live_server.url}/activities/{activity.pk}/")
    page.get_by_text("剩余 5 个名额").wait_for()
    assert_accessible(page)

    page.get_by_role("button", name="我要报名").click()

    page.get_by_text("报名成功！").wait_for()
    assert page.get_by_text("剩余 4 个名额").is_visible()
    signup = SignUp.objects.get(activity=activity, user=world.resident)
    assert signup.status == SignUp.Status.CONFIRMED

    page.get_by_role("button", name="取消报名").click()
    confirm = page.locator("[data-role=cancel-confirm]")
    assert confirm.get_by_text("确定取消报名吗？").is_visible()
    signup.refresh_from_db()
    assert signup.status == SignUp.Status.CONFIRMED  # nothing happens before the answer
    confirm.get_by_role("button", name="确定取消报名").click()

    page.get_by_text("已取消报名。").wait_for()
    signup.refresh_from_db()
    assert signup.status == SignUp.Status.CANCELLED
    assert page.get_by_role("button", name="我要报名").is_visible()


def test_a_full_activity_puts_the_resident_on_the_waiting_list(page, live_server, sign_in, world):
    activity = ActivityFactory(community=world.community, title="义诊量血压", capacity=1)
    activity_services.signup_create(actor=world.neighbour, activity=activity)
    sign_in(page, world.resident)
    page.goto(f"{live_server.url}/activities/{activity.pk}/")

    page.get_by_role("button", name="报名候补").click()

    page.get_by_text("您已进入候补名单").wait_for()
    assert "您在候补名单第 1 位" in page.locator("[data-role=signup-status]").inner_text()
    assert page.locator("[data-role=badges]").get_by_text("我在候补").is_visible()
    signup = SignUp.objects.get(activity=activity, user=world.resident)
    assert signup.status == SignUp.Status.WAITLISTED
    # Waiting, not confirmed: the page says why there is no check-in yet.
    assert "候补中的志愿者还不能签到" in page.locator("[data-role=checkin-status]").inner_text()


def test_a_resident_checks_in_from_the_code_link_and_checks_out(
    page, live_server, sign_in, assert_accessible, screenshot, world
):
    activity = world.happening_now()
    sign_in(page, world.resident)

    # The poster's link carries the code: the field is filled in, one tap checks in.
    page.goto(f"{live_server.url}/activities/{activity.pk}/?code={activity.checkin_code.lower()}")
    code = page.get_by_label("签到码")
    assert code.input_value() == activity.checkin_code
    assert_accessible(page)
    assert_fits_the_phone(page)
    page.get_by_role("button", name="签到", exact=True).click()

    page.get_by_text("签到成功！").wait_for()
    attendance = Attendance.objects.get(activity=activity, user=world.resident)
    assert attendance.status == Attendance.Status.CHECKED_IN
    assert attendance.method == Attendance.Method.CODE
    assert "您已签到" in page.locator("[data-role=checkin-status]").inner_text()
    screenshot(page, "resident-activity")

    # An hour of service later (the server's clock; the live server runs in this process).
    with time_machine.travel(NOW() + datetime.timedelta(minutes=65), tick=True):
        page.get_by_role("button", name="签退（结束服务）").click()
        page.get_by_text("签退成功。本次服务计 1.00 小时").wait_for()
    attendance.refresh_from_db()
    assert attendance.status == Attendance.Status.CHECKED_OUT
    assert str(attendance.hours) == "1.00"


def test_a_wrong_code_is_said_in_words_and_the_code_stays_typed(page, live_server, sign_in, world):
    activity = world.happening_now()
    sign_in(page, world.resident)
    page.goto(f"{live_server.url}/activities/{activity.pk}/")
    wrong = "ZZZ999" if activity.checkin_code != "ZZZ999" else "YYY888"

    page.get_by_label("签到码").fill(wrong)
    page.get_by_role("button", name="签到", exact=True).click()

    form = page.locator("[data-role=checkin-form]")
    form.locator("[data-error-for=code]").get_by_text("签到码不正确。").wait_for()
    assert form.locator("[data-role=form-error]").inner_text()  # the summary, role=alert
    assert page.get_by_label("签到码").input_value() == wrong
    assert page.get_by_label("签到码").get_attribute("aria-invalid") == "true"
    assert not Attendance.objects.filter(activity=activity).exists()


def test_my_hours_show_on_the_activity_page(page, live_server, sign_in, world):
    past = PointsActivityFactory(community=world.community, title="重阳敬老")
    approved_attendance(past, world.resident, hours="2.50")
    activity = ActivityFactory(community=world.community, title="清理楼道杂物")
    sign_in(page, world.resident)

    page.goto(f"{live_server.url}/activities/{activity.pk}/")

    page.get_by_text("已审核的服务共 2.50 小时，1 次。").wait_for()


# --- Points ---------------------------------------------------------------------------------------


def test_points_page_shows_balance_ledger_in_words_hours_and_the_rules(
    page, live_server, sign_in, assert_accessible, screenshot, world
):
    street = world.community.street
    PointsPolicyFactory(
        street=street, text="参加志愿服务按小时积分，积分可在居民区兑换奖励。", daily_cap=50
    )
    rule = PointsRuleFactory(street=street, name="通用规则", points_per_hour=10, is_default=True)
    served = PointsActivityFactory(community=world.community, title="重阳敬老", points_rule=rule)
    attendance = approved_attendance(
        served, world.resident, status=Attendance.Status.CHECKED_OUT, hours="2.00"
    )
    activity_services.attendance_approve(actor=world.worker, attendance=attendance)
    world.points(100, reason="社区表彰")
    sign_in(page, world.resident)

    page.goto(f"{live_server.url}/points/")

    page.locator("[data-role=balance] .balance").get_by_text("120").wait_for()
    ledger = page.locator("[data-role=ledger]")
    earned = ledger.locator("li", has_text="志愿服务：重阳敬老")
    earned.wait_for()
    assert earned.locator(".badge", has_text="服务获得").is_visible()
    assert "+20 分" in earned.inner_text()
    adjusted = ledger.locator("li", has_text="社区表彰")
    assert adjusted.locator(".badge", has_text="人工调整").is_visible()
    assert "余额 120 分" in adjusted.inner_text()
    assert page.get_by_text("已审核的服务共 2.00 小时，1 次。").is_visible()
    policy = page.locator("[data-role=policy]")
    policy.get_by_text("每服务 1 小时 10 分").wait_for()
    assert page.get_by_role("heading", name="积分管理办法及兑换细则").is_visible()
    assert "每人每天通过志愿服务最多获得 50 分" in policy.inner_text()
    assert_accessible(page)
    assert_fits_the_phone(page)
    screenshot(page, "resident-points")


# --- Rewards --------------------------------------------------------------------------------------


def test_a_resident_redeems_a_reward_and_cancels_the_order(
    page, live_server, sign_in, assert_accessible, screenshot, world
):
    account = world.points(100)
    bag = RewardFactory(community=world.community, name="环保袋", points_cost=30, stock=5)
    sign_in(page, world.resident)
    page.goto(f"{live_server.url}/rewards/")
    card = page.locator("[data-reward]", has_text="环保袋")
    card.get_by_text("库存 5 件").wait_for()
    page.locator("[data-role=balance-value]").get_by_text("100").wait_for()

    card.get_by_role("button", name="兑换“环保袋”").click()
    panel = card.locator("form.confirm-panel")
    assert panel.is_visible()
    panel.get_by_label("数量").fill("2")
    assert "共需 60 积分，兑换后余额 40 分" in panel.inner_text()
    assert not Redemption.objects.exists()  # nothing is spent before the confirmation
    assert_accessible(page)
    assert_fits_the_phone(page)
    screenshot(page, "resident-rewards")
    panel.get_by_role("button", name="确认兑换").click()

    card.get_by_text("兑换成功！用去 60 积分").wait_for()
    assert card.get_by_text("库存 3 件").is_visible()
    page.locator("[data-role=balance-value]").get_by_text("40").wait_for()
    order = page.locator("[data-role=orders] li", has_text="环保袋 × 2")
    order.wait_for()
    assert order.locator(".badge", has_text="待领取").is_visible()
    account.refresh_from_db()
    bag.refresh_from_db()
    assert (account.balance, bag.stock) == (40, 3)
    redemption = Redemption.objects.get()
    assert (redemption.user, redemption.quantity, redemption.points) == (world.resident, 2, 60)

    order.get_by_role("button", name="取消兑换").click()
    order.get_by_role("button", name="确定取消，退回积分").click()
    page.get_by_text("已取消兑换，积分已退回。").first.wait_for()
    page.locator("[data-role=balance-value]").get_by_text("100").wait_for()
    page.locator("[data-role=orders] li .badge", has_text="已取消").wait_for()
    account.refresh_from_db()
    bag.refresh_from_db()
    assert (account.balance, bag.stock) == (100, 5)
    assert PointsEntry.objects.filter(account=account, kind="refund", points=60).count() == 1


def test_too_few_points_is_said_in_words_and_nothing_is_spent(page, live_server, sign_in, world):
    account = world.points(10)
    RewardFactory(community=world.community, name="理发券", points_cost=30, stock=5)
    sign_in(page, world.resident)
    page.goto(f"{live_server.url}/rewards/")
    card = page.locator("[data-reward]", has_text="理发券")

    card.get_by_role("button", name="兑换“理发券”").click()
    panel = card.locator("form.confirm-panel")
    assert "还差 20 分" in panel.inner_text()
    panel.get_by_role("button", name="确认兑换").click()

    alert = panel.locator("[data-role=form-error]")
    alert.get_by_text("积分不足：余额 10，需要 30。").wait_for()
    assert alert.get_attribute("role") == "alert"
    assert panel.get_by_label("数量").input_value() == "1"
    assert panel.is_visible()
    account.refresh_from_db()
    assert account.balance == 10
    assert Reward.objects.get(name="理发券").stock == 5
    assert not Redemption.objects.exists()
