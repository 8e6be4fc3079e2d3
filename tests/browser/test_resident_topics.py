"""Topics on a resident's phone: raise one with a photo, a worker answers it in the admin, the
resident sees the answer and the timeline; neighbours raise hands until it is adoptable; the
board with its filters; errors said in words with the input kept."""

import datetime
import io
import re

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from accounts.models import Role, User
from proposals import services
from proposals.models import Topic
from proposals.selectors import topic_actions
from tests.factories import CommunityFactory, MicroGridFactory, StreetFactory, UserFactory, grant
from tests.factories.proposals import CategoryFactory, verified_resident

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Pass-word-123"  # tests.factories.accounts.UserFactory's


def png(color=(200, 40, 40), size=(64, 48)) -> dict:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return {"name": "lamp.png", "mimeType": "image/png", "buffer": buffer.getvalue()}


class World:
    pass


@pytest.fixture
def world(db):
    w = World()
    street = StreetFactory(name="甲一街道")
    w.community = CommunityFactory(street=street, name="一居")
    w.grid = MicroGridFactory(community=w.community, name="一格")
    w.category = CategoryFactory(street=street, name="环境卫生")
    w.other_category = CategoryFactory(street=street, name="设施维修")
    w.resident = verified_resident(
        w.community, grid=w.grid, phone="13900000001", real_name="王阿姨"
    )
    w.worker = grant(
        UserFactory(username="worker", real_name="张社工"), Role.COMMUNITY_WORKER, w.community
    )
    return w


@pytest.fixture
def js_errors(page):
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def raise_topic(world, title="楼道灯坏了", *, by=None, category=None):
    return services.topic_raise(
        actor=by or world.resident,
        title=title,
        body="3号楼2单元楼道灯坏了一周，晚上看不见。",
        category=category or world.category,
    )


def test_raise_with_photo_answered_in_admin_seen_on_the_phone(
    page, desktop_page, live_server, world, sign_in, js_errors, assert_accessible, screenshot
):
    # The resident signs in through the sign-in page.
    page.goto(f"{live_server.url}/login/?next=/topics/new/")
    page.get_by_label("手机号").fill("13900000001")
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/topics/new/")

    # Raise a topic with a photo from the gallery (the camera input takes the same path).
    expect(page.get_by_role("button", name="提交议题")).to_be_enabled()
    page.get_by_label("标题").fill("3号楼楼道灯坏了")
    page.get_by_label("类别").select_option(label="环境卫生")
    page.get_by_label("具体情况").fill("2单元楼道灯坏了一周，老人晚上下楼看不见。")
    assert page.locator("[data-role=photo-camera]").get_attribute("capture") == "environment"
    page.locator("[data-role=photo-gallery]").set_input_files(png())
    expect(page.locator("[data-role=photo-list] img")).to_have_count(1)
    expect(page.locator("[data-role=photo-status]")).to_contain_text("已选 1 张")
    assert_accessible(page)
    screenshot(page, "resident-new-topic")
    page.get_by_role("button", name="提交议题").click()

    expect(page).to_have_url(re.compile(r"/topics/\d+/\?new=1$"))
    topic = Topic.objects.get(title="3号楼楼道灯坏了")
    assert topic.raised_by == world.resident and topic.photos.count() == 1
    expect(page.locator("[data-role=flash]")).to_contain_text("议题已提交")
    expect(page.locator("[data-role=topic-badges]")).to_contain_text("待回应")
    expect(page.locator("[data-role=responses]")).to_contain_text("社区还没有回应")

    # A worker answers it in the admin: the topic's change page, the 回应 action.
    sign_in(desktop_page, world.worker)
    desktop_page.goto(f"{live_server.url}/admin/proposals/topic/{topic.pk}/change/")
    desktop_page.get_by_role("link", name="回应", exact=True).click()
    desktop_page.get_by_label("回应内容").fill("已报修，电工明天上午来换灯。")
    desktop_page.get_by_role("button", name="提交").click()
    expect(desktop_page.locator(".messagelist")).to_contain_text("已完成：回应")

    # The resident sees the answer, its time and the timeline.
    page.goto(f"{live_server.url}/topics/{topic.pk}/")
    responses = page.locator("[data-role=responses]")
    expect(responses).to_contain_text("已报修，电工明天上午来换灯。")
    expect(page.locator("[data-role=topic-badges]")).to_contain_text("已回应")
    expect(page.locator("[data-role=topic-badges]")).to_contain_text("4小时内已回应")
    timeline = page.locator("[data-role=timeline] > li")
    expect(timeline).to_have_count(2)
    expect(timeline.nth(0)).to_contain_text("提出议题")
    expect(timeline.nth(1)).to_contain_text("社区回应")
    # One photo (the test server keeps uploads in memory and cannot show them: the page says so).
    expect(page.locator("[data-role=topic-photos] > li")).to_have_count(1)
    assert_accessible(page)
    screenshot(page, "resident-topic")
    assert js_errors == []


def test_residents_raise_hands_until_adoptable(
    browser, browser_context_args, live_server, world, sign_in, assert_accessible
):
    topic = raise_topic(world, "小区加装休息座椅")
    services.topic_open_for_hands(
        actor=world.worker,
        topic=topic,
        threshold=3,
        deadline=timezone.now() + datetime.timedelta(days=7),
    )
    neighbours = [world.resident] + [verified_resident(world.community) for _ in range(2)]
    pages = []
    for n, neighbour in enumerate(neighbours, 1):
        context = browser.new_context(**browser_context_args)
        page = sign_in(context.new_page(), neighbour)
        page.set_default_timeout(10_000)
        page.goto(f"{live_server.url}/topics/{topic.pk}/")
        expect(page.locator("[data-role=hand-count]")).to_have_text(
            f"已有 {n - 1} 人举手，需要 3 人"
        )
        if n == 1:
            assert_accessible(page)
            # Change of mind: raise, withdraw, raise again; each click says what it did.
            button = page.locator("[data-role=hand-button]")
            button.click()
            expect(button).to_contain_text("撤回我的举手")
            expect(page.locator("[data-role=hand-count]")).to_have_text("已有 1 人举手，需要 3 人")
            button.click()
            expect(page.locator("[data-role=hand-flash]")).to_contain_text("已撤回举手")
            expect(page.locator("[data-role=hand-count]")).to_have_text("已有 0 人举手，需要 3 人")
        page.get_by_role("button", name="我要举手支持").click()
        expect(page.locator("[data-role=hand-count]")).to_have_text(f"已有 {n} 人举手，需要 3 人")
        expect(page.locator("[data-role=hand-flash]")).to_contain_text("举手成功")
        pages.append(page)

    last = pages[-1]
    expect(last.locator("[data-role=hand-adoptable]")).to_contain_text("举手人数已达到立项标准")
    expect(last.locator("[data-role=topic-badges]")).to_contain_text("举手中")
    expect(last.locator("[data-role=timeline]")).to_contain_text("举手人数达到立项标准")

    # The first resident's page catches up without a reload (the poll, run now by a return
    # to the tab instead of waiting 15 s).
    first = pages[0]
    first.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    expect(first.locator("[data-role=hand-count]")).to_have_text("已有 3 人举手，需要 3 人")
    expect(first.locator("[data-role=hand-adoptable]")).to_be_visible()

    # The API agrees: the worker may adopt it now.
    topic.refresh_from_db()
    assert topic.hand_count == 3 and topic.state == Topic.State.OPEN_FOR_HANDS
    assert "adopt" in topic_actions(world.worker, topic)
    for page in pages:
        page.context.close()


def test_unverified_resident_reads_but_cannot_act(page, live_server, world, sign_in, js_errors):
    topic = raise_topic(world)
    services.topic_open_for_hands(actor=world.worker, topic=topic, threshold=5)
    pending = UserFactory(
        claimed_community=world.community, verification_status=User.Verification.PENDING
    )
    sign_in(page, pending)
    page.goto(f"{live_server.url}/topics/{topic.pk}/")
    expect(page.locator("[data-role=hand-count]")).to_have_text("已有 0 人举手，需要 5 人")
    expect(page.locator("[data-role=hand-button]")).to_be_hidden()
    expect(page.locator("[data-role=hand-why]")).to_contain_text("实名核验通过")
    expect(page.locator("[data-role=comment-form]")).to_be_hidden()

    page.goto(f"{live_server.url}/topics/new/")
    expect(page.locator("[data-role=cannot-act]")).to_contain_text("还在核实中")
    expect(page.get_by_role("button", name="提交议题")).to_be_disabled()
    assert js_errors == []


def test_new_topic_errors_are_said_in_words_and_the_text_is_kept(
    page, live_server, world, sign_in, js_errors, assert_accessible
):
    sign_in(page, world.resident)
    page.goto(f"{live_server.url}/topics/new/")
    page.get_by_label("具体情况").fill("垃圾桶满了没人清。")
    page.locator("[data-role=photo-gallery]").set_input_files(
        [png(), {"name": "broken.png", "mimeType": "image/png", "buffer": b"not an image"}]
    )
    expect(page.locator("[data-role=photo-list] img")).to_have_count(2)
    page.get_by_role("button", name="提交议题").click()

    error = page.locator("[data-role=form-error]")
    expect(error).to_contain_text("输入有误")
    expect(page.locator("[data-error-for=title]")).to_contain_text("不能为空")
    expect(page.locator("[data-error-for=category]")).to_contain_text("请选择类别")
    expect(page.get_by_label("标题")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("具体情况")).to_have_value("垃圾桶满了没人清。")
    assert "{" not in error.inner_text()
    assert_accessible(page)

    # With the fields filled the service judges the photos: the bad one is named by the field.
    page.get_by_label("标题").fill("垃圾桶满了")
    page.get_by_label("类别").select_option(label="环境卫生")
    page.get_by_role("button", name="提交议题").click()
    expect(page.locator("[data-error-for=photos]")).to_contain_text("无法识别的图片文件")
    expect(page.get_by_label("标题")).to_have_value("垃圾桶满了")

    # Remove the bad photo and send again.
    page.get_by_role("button", name="删除第2张照片").click()
    expect(page.locator("[data-role=photo-list] img")).to_have_count(1)
    page.get_by_role("button", name="提交议题").click()
    expect(page).to_have_url(re.compile(r"/topics/\d+/\?new=1$"))
    assert Topic.objects.get(title="垃圾桶满了").photos.count() == 1
    assert js_errors == []


def test_big_photos_are_shrunk_before_upload(page, live_server, world, sign_in):
    sign_in(page, world.resident)
    page.goto(f"{live_server.url}/topics/new/")
    # Too many pixels (redrawn at 1600 px on the long side) and too many bytes (a noisy PNG
    # over 1 MB, re-encoded as a JPEG): both leave the phone as small JPEGs.
    wide = io.BytesIO()
    Image.linear_gradient("L").resize((2400, 1800)).convert("RGB").save(wide, format="PNG")
    heavy = io.BytesIO()
    Image.effect_noise((900, 700), 64).convert("RGB").save(heavy, format="PNG")
    assert len(heavy.getvalue()) > 1_200_000
    page.locator("[data-role=photo-gallery]").set_input_files(
        [
            {"name": "wide.png", "mimeType": "image/png", "buffer": wide.getvalue()},
            {"name": "heavy.png", "mimeType": "image/png", "buffer": heavy.getvalue()},
        ]
    )
    expect(page.locator("[data-role=photo-list] img")).to_have_count(2)
    page.get_by_label("标题").fill("路灯不亮")
    page.get_by_label("类别").select_option(label="设施维修")
    page.get_by_label("具体情况").fill("小区门口路灯不亮。")
    page.get_by_role("button", name="提交议题").click()
    expect(page).to_have_url(re.compile(r"/topics/\d+/\?new=1$"))
    wide_photo, heavy_photo = Topic.objects.get(title="路灯不亮").photos.order_by("pk")
    with Image.open(wide_photo.image) as image:
        assert image.format == "JPEG" and image.size == (1600, 1200)
    with Image.open(heavy_photo.image) as image:
        assert image.format == "JPEG" and image.size == (900, 700)
    assert heavy_photo.image.size < len(heavy.getvalue()) / 2


def test_board_filters_and_states(
    page, live_server, world, sign_in, js_errors, assert_accessible, screenshot
):
    neighbour = verified_resident(world.community)
    mine_answered = raise_topic(world, "健身苑器材松动")
    services.topic_answer(actor=world.worker, topic=mine_answered, text="已通知物业检修。")
    raise_topic(world, "电梯经常停运", by=neighbour, category=world.other_category)
    declined = raise_topic(world, "希望开通公交线路", by=neighbour)
    services.topic_decline(actor=world.worker, topic=declined, reason="不属于社区事务，已转交。")
    for n in range(22):  # more than a page (20)
        raise_topic(world, f"停车位不够用{n}", by=neighbour, category=world.other_category)

    sign_in(page, world.resident)
    page.goto(f"{live_server.url}/topics/")
    items = page.locator("[data-role=topic-list] > li")
    expect(items).to_have_count(20)
    expect(page.locator("[data-role=topic-count]")).to_have_text("共 25 条议题")
    page.get_by_role("button", name="加载更多").click()
    expect(items).to_have_count(25)
    answered = items.filter(has_text="健身苑器材松动")
    expect(answered).to_contain_text("已回应")
    expect(answered).to_contain_text("4小时内已回应")
    expect(answered).to_contain_text("我提的")
    expect(items.filter(has_text="希望开通公交线路")).to_contain_text("不予采纳")
    expect(items.filter(has_text="电梯经常停运")).to_contain_text("等待回应，还剩")
    assert_accessible(page)

    page.get_by_label("状态").select_option(label="待回应")
    expect(page.locator("[data-role=topic-count]")).to_have_text("共 23 条议题")
    page.get_by_label("类别").select_option(label="设施维修")
    expect(page.locator("[data-role=topic-count]")).to_have_text("共 23 条议题")
    page.get_by_label("状态").select_option(label="全部状态")
    page.get_by_label("类别").select_option(label="全部类别")
    page.get_by_label("只看我提的").check()
    expect(items).to_have_count(1)
    expect(items.first).to_contain_text("健身苑器材松动")
    # The filters are in the address: a reload keeps them.
    page.reload()
    expect(page.get_by_label("只看我提的")).to_be_checked()
    expect(items).to_have_count(1)

    page.get_by_label("只看我提的").uncheck()
    expect(items).to_have_count(20)
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "resident-board", full_page=False)
    assert js_errors == []


def test_comment_on_a_topic(page, live_server, world, sign_in, js_errors):
    topic = raise_topic(world)
    sign_in(page, verified_resident(world.community, real_name="李大爷"))
    page.goto(f"{live_server.url}/topics/{topic.pk}/")
    expect(page.locator("[data-role=comments]").locator("..")).to_contain_text("还没有评论")

    page.get_by_role("button", name="发表评论").click()
    expect(page.locator("[data-role=comment-form] [data-error-for=body]")).not_to_be_empty()

    page.get_by_label("写评论").fill("我家楼道也一样，支持！")
    page.get_by_role("button", name="发表评论").click()
    comments = page.locator("[data-role=comments] > li")
    expect(comments).to_have_count(1)
    expect(comments.first).to_contain_text("我家楼道也一样，支持！")
    expect(comments.first).to_contain_text("我的评论")
    expect(page.get_by_label("写评论")).to_have_value("")
    page.reload()
    expect(comments).to_have_count(1)
    assert js_errors == []
