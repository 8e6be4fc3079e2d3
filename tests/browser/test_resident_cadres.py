"""The cadres' review page at a phone's size: the round with every cadre's three grades as big
choices, a sheet with a cadre left out refused by the server (nothing stored), the inline
confirmation, "已参与" after, and the aggregates once the round is closed and published."""

import pytest
from django.db.models import Sum

from cadres import services
from cadres.models import Participation, ScoreTally
from tests.factories.board import board_resident
from tests.factories.cadres import ReviewRoundFactory, add_cadres

from .test_resident_volunteers import assert_fits_the_phone

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(org, actors):
    class World:
        pass

    w = World()
    w.round = ReviewRoundFactory(community=org.community, title="2026年度一居两委干部测评")
    w.cadres = add_cadres(w.round)
    services.round_open(actor=actors.worker, round=w.round)
    w.resident = board_resident(org.community, real_name="王阿姨")
    w.neighbours = [board_resident(org.community, real_name=f"邻居{n}") for n in range(5)]
    w.actors = actors
    return w


def test_score_the_cadres(page, live_server, sign_in, assert_accessible, world):
    sign_in(page, world.resident)
    page.goto(f"{live_server.url}/cadre-review/")
    page.get_by_role("heading", name="2026年度一居两委干部测评").wait_for()
    assert page.get_by_role("group", name="张书记").is_visible()
    assert_accessible(page)
    assert_fits_the_phone(page)

    # Two of three scored: the server names the one left out; nothing is stored.
    page.get_by_role("group", name="张书记").get_by_label("满意", exact=True).check()
    page.get_by_role("group", name="李主任").get_by_label("基本满意").check()
    page.get_by_role("button", name="提交评价").click()
    page.get_by_text("请为这位干部选择评价。").wait_for()
    assert not Participation.objects.exists()
    assert_accessible(page)

    page.get_by_role("group", name="王委员").get_by_label("不满意").check()
    page.get_by_role("button", name="提交评价").click()
    page.get_by_text("提交后不能修改").wait_for()
    page.get_by_role("button", name="再看看").click()
    assert not Participation.objects.exists()
    page.get_by_role("button", name="提交评价").click()
    page.get_by_role("button", name="确定提交").click()
    page.get_by_text("已参与：谢谢您的评价！").wait_for()
    assert page.get_by_role("button", name="提交评价").is_hidden()
    assert Participation.objects.filter(user=world.resident).count() == 1
    assert ScoreTally.objects.aggregate(n=Sum("count"))["n"] == 3
    assert_accessible(page)


def test_aggregates_after_publication(page, live_server, sign_in, assert_accessible, world):
    for user in [world.resident, *world.neighbours]:
        services.round_submit(
            actor=user,
            round=world.round,
            scores=[{"cadre": c.pk, "value": 3} for c in world.cadres],
        )
    services.round_close(actor=world.actors.worker, round=world.round)
    sign_in(page, world.resident)
    page.goto(f"{live_server.url}/cadre-review/")
    page.get_by_text("结果待街道公布").wait_for()
    services.round_publish_results(actor=world.actors.street_admin, round=world.round)
    page.reload()
    page.get_by_text("共 6 位居民参与。").wait_for()
    page.get_by_role("heading", name="两委整体").wait_for()
    assert page.get_by_text("满意 18 人次").is_visible()
    assert page.get_by_text("已参与").first.is_visible()
    assert_accessible(page)
    assert_fits_the_phone(page)


def test_an_unverified_account_is_told_why(page, live_server, sign_in, org, world):
    pending = board_resident(org.community, verified=False, real_name="赵先生")
    sign_in(page, pending)
    page.goto(f"{live_server.url}/cadre-review/")
    page.get_by_text("实名核验通过后才能参与测评。").wait_for()
    assert page.get_by_role("button", name="提交评价").is_hidden()
