"""The residents' project pages at a phone's size: the list with stage and money, one project's
budget against its spending line by line, joining and leaving, and the evaluation form that is
there only in the review window and only once.

Data comes from the factories and the real services (adoption, budget, expenses, publication),
so the pages show exactly what the API serves.
"""

import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from PIL import Image

from accounts.models import Role
from projects import services
from projects.models import Evaluation, ProjectMember
from tests.factories import CommunityFactory, MicroGridFactory, UserFactory, grant
from tests.factories.projects import FundPoolFactory, adopted_project
from tests.factories.proposals import verified_resident

pytestmark = pytest.mark.django_db(transaction=True)


def png_bytes(colour=(40, 120, 200)):
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def png_upload(name="photo.png"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def assert_fits_the_phone(page):
    """Nothing runs off a 360 px screen sideways (a resident should only ever scroll down),
    in the ordinary and in the elder (larger text) mode."""
    for elder in (False, True):
        page.evaluate("on => document.documentElement.classList.toggle('elder', on)", elder)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= page.viewport_size["width"], f"{width} px wide (elder mode: {elder})"
    page.evaluate("document.documentElement.classList.remove('elder')")


class World:
    """One community with a worker, a verified resident and a project with real accounts."""

    def __init__(self):
        self.community = CommunityFactory(name="梅园一居")
        self.grid = MicroGridFactory(community=self.community, name="第三网格")
        self.worker = grant(UserFactory(real_name="张社工"), Role.COMMUNITY_WORKER, self.community)
        self.resident = verified_resident(self.community, grid=self.grid, real_name="王阿姨")
        self.lead = verified_resident(self.community, real_name="李师傅")
        self.pool = FundPoolFactory(
            community=self.community, year=timezone.localdate().year, amount=Decimal("20000.00")
        )

    def project(self, *, title="楼道照明改造", stage="planning", money=True):
        project = adopted_project(
            worker=self.worker,
            community=self.community,
            grid=self.grid,
            title=title,
            lead=self.lead.resident,
        )
        if money:
            lamps = services.budget_line_add(
                actor=self.worker,
                project=project,
                source="special_fund",
                amount=Decimal("3000.00"),
                pool=self.pool,
                description="LED 楼道灯 40 盏",
            )
            services.budget_line_add(
                actor=self.worker,
                project=project,
                source="residents",
                amount=Decimal("500.00"),
                description="居民自筹：安装人工",
            )
        if stage in ("in_progress", "published"):
            services.project_start(actor=self.worker, project=project)
            if money:
                services.expense_record(
                    actor=self.worker,
                    project=project,
                    budget_line=lamps,
                    amount=Decimal("1280.50"),
                    spent_on=timezone.localdate() - datetime.timedelta(days=3),
                    payee="五金店",
                    description="购买灯具第一批",
                )
                services.progress_post(
                    actor=self.worker,
                    project=project,
                    text="第一批灯已装好，12 号楼晚上亮了。",
                    photos=[png_upload("lamp1.png"), png_upload("lamp2.png")],
                )
        if stage == "published":
            services.project_publish(
                actor=self.worker, project=project, results="40 盏灯全部换好。", review_days=7
            )
        project.refresh_from_db()
        return project


@pytest.fixture
def world(db):
    return World()


@pytest.fixture
def photos_served(page):
    """Uploaded files live in memory in tests (no /media/ server): serve every photo as a
    small PNG so that the page (and its screenshot) shows pictures, not broken images."""
    body = png_bytes()
    page.route(
        "**/media/**", lambda route: route.fulfill(status=200, content_type="image/png", body=body)
    )
    return page


def test_list_shows_stage_in_words_and_budget_against_spending(
    page, live_server, sign_in, assert_accessible, world
):
    world.project(title="楼道照明改造", stage="in_progress")
    world.project(title="小花园认养", money=False)
    sign_in(page, world.resident)

    page.goto(f"{live_server.url}/projects/")

    lights = page.locator(".item-list li", has_text="楼道照明改造")
    lights.wait_for()
    assert lights.locator(".badge", has_text="实施中").is_visible()
    assert "预算 ¥3,500.00，已支出 ¥1,280.50（37%）" in lights.inner_text()
    garden = page.locator(".item-list li", has_text="小花园认养")
    assert garden.locator(".badge", has_text="筹备中").is_visible()
    assert "还没有登记预算" in garden.inner_text()
    assert_accessible(page)
    assert_fits_the_phone(page)

    # Filtering by stage reloads the list from the API.
    page.get_by_label("阶段").select_option("planning")
    page.locator(".item-list li", has_text="楼道照明改造").wait_for(state="detached")
    page.locator(".item-list li", has_text="小花园认养").wait_for()
    assert "stage=planning" in page.url


def test_project_page_shows_budget_lines_against_spending_and_the_resident_evaluates(
    page, photos_served, live_server, sign_in, assert_accessible, screenshot, world
):
    project = world.project(stage="published")
    sign_in(page, world.resident)

    page.goto(f"{live_server.url}/projects/{project.pk}/")

    page.get_by_role("heading", name="楼道照明改造", level=1).wait_for()
    assert (
        page.locator("[data-role=stages] li[aria-current=step]").inner_text().startswith("公示评价")
    )
    money = page.locator("section", has=page.get_by_role("heading", name="资金公开：预算与支出"))
    totals = money.locator("[data-role=money-totals]").inner_text()
    assert "¥3,500.00" in totals and "¥1,280.50" in totals and "¥2,219.50" in totals
    lamps = money.locator("[data-role=budget-lines] > li", has_text="LED 楼道灯 40 盏")
    assert "预算 ¥3,000.00，已支出 ¥1,280.50，余 ¥1,719.50" in lamps.inner_text()
    assert "五金店" in lamps.locator(".expenses").inner_text()
    labour = money.locator("[data-role=budget-lines] > li", has_text="居民自筹：安装人工")
    assert "这笔预算还没有支出" in labour.inner_text()
    # Progress with photos, each with a text alternative.
    page.locator("[data-role=updates] img").first.wait_for()
    assert page.locator("[data-role=updates] img").count() == 2
    assert page.locator("[data-role=updates] img").first.get_attribute("alt")
    # The public timeline says what happened in words.
    timeline = page.locator("[data-role=timeline]").inner_text()
    assert "立项" in timeline and "登记支出" in timeline and "公示成果与账目" in timeline

    # The evaluation form is there in the review window.
    form = page.locator("[data-role=evaluate-form]")
    assert form.is_visible()
    assert_accessible(page)
    assert_fits_the_phone(page)
    form.get_by_label("4 分 满意").check()
    form.get_by_label("评价意见（可不填）").fill("灯很亮，晚上回家安心了。")
    screenshot(page, "resident-project")
    form.get_by_role("button", name="提交评价").click()

    page.get_by_text("谢谢您的评价！").wait_for()
    assert not form.is_visible()
    assert "您已经评价过这个项目了" in page.locator("[data-role=evaluate-status]").inner_text()
    assert (
        "已有 1 位居民评价，平均 4.00 分"
        in page.locator("[data-role=evaluation-summary]").inner_text()
    )
    page.locator("[data-role=evaluations] li", has_text="灯很亮").wait_for()
    evaluation = Evaluation.objects.get(project=project)
    assert (evaluation.user, evaluation.rating) == (world.resident, 4)
    assert evaluation.comment == "灯很亮，晚上回家安心了。"


def test_evaluation_refused_by_the_api_is_said_in_words_and_the_comment_is_kept(
    page, live_server, sign_in, world
):
    project = world.project(stage="published", money=False)
    sign_in(page, world.resident)
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    form = page.locator("[data-role=evaluate-form]")
    form.wait_for()

    # Meanwhile the same resident evaluated from another phone: the API refuses the second.
    services.evaluation_submit(actor=world.resident, project=project, rating=5)
    form.get_by_label("2 分 不满意").check()
    form.get_by_label("评价意见（可不填）").fill("晚上还是有点暗")
    form.get_by_role("button", name="提交评价").click()

    alert = form.locator("[data-role=form-error]")
    alert.get_by_text("您已评价过该项目。").wait_for()
    assert alert.get_attribute("role") == "alert"
    assert form.get_by_label("评价意见（可不填）").input_value() == "晚上还是有点暗"
    assert form.get_by_label("2 分 不满意").is_checked()
    assert Evaluation.objects.filter(project=project).count() == 1


def test_no_rating_chosen_is_said_next_to_the_choices(page, live_server, sign_in, world):
    project = world.project(stage="published", money=False)
    sign_in(page, world.resident)
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    form = page.locator("[data-role=evaluate-form]")
    form.get_by_label("评价意见（可不填）").fill("不错")

    form.get_by_role("button", name="提交评价").click()

    assert form.locator("[data-error-for=rating]").inner_text() == "请选择 1 到 5 分。"
    assert form.get_by_label("评价意见（可不填）").input_value() == "不错"
    assert not Evaluation.objects.exists()


def test_outside_the_review_window_the_page_says_why_there_is_no_form(
    page, live_server, sign_in, world
):
    project = world.project(stage="in_progress", money=False)
    sign_in(page, world.resident)

    page.goto(f"{live_server.url}/projects/{project.pk}/")

    status = page.locator("[data-role=evaluate-status]")
    status.get_by_text("项目完成并公示后才能评价。").wait_for()
    assert not page.locator("[data-role=evaluate-form]").is_visible()


def test_a_resident_joins_and_leaves_a_project(
    page, live_server, sign_in, assert_accessible, world
):
    project = world.project(money=False)
    sign_in(page, world.resident)
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    join = page.locator("[data-role=join-form]")

    join.get_by_label("我想作为").select_option("volunteer")
    join.get_by_role("button", name="报名参与").click()

    page.get_by_text("报名成功，您已参与本项目。").wait_for()
    member = ProjectMember.objects.get(project=project, user=world.resident)
    assert member.role == ProjectMember.Role.VOLUNTEER
    page.locator("[data-role=members] li", has_text=member.display_name).wait_for()
    assert page.locator("[data-role=badges]").get_by_text("我已参与").is_visible()
    assert_accessible(page)

    page.get_by_role("button", name="退出项目").click()
    page.get_by_text("您已退出本项目。").wait_for()
    assert not ProjectMember.objects.filter(project=project, user=world.resident).exists()
    assert join.is_visible()


def test_a_resident_waiting_for_verification_is_told_why_they_cannot_join(
    page, live_server, sign_in, world
):
    project = world.project(money=False)
    newcomer = UserFactory(claimed_community=world.community, real_name="新居民")
    sign_in(page, newcomer)

    page.goto(f"{live_server.url}/projects/{project.pk}/")

    # A pending account reads its claimed community's projects but may not act yet.
    page.get_by_text("您的实名信息正在核验，核验通过后才能参与。").first.wait_for()
    assert not page.locator("[data-role=join-form]").is_visible()
    assert not page.locator("[data-role=evaluate-form]").is_visible()
    assert not page.locator("[data-role=comment-form]").is_visible()


def test_a_resident_comments_on_a_project_and_an_empty_comment_is_refused_in_words(
    page, live_server, sign_in, world
):
    from proposals.models import Comment

    project = world.project(money=False)
    sign_in(page, world.resident)
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    form = page.locator("[data-role=comment-form]")

    form.get_by_label("写评论").fill("   ")
    form.get_by_role("button", name="发表评论").click()
    form.locator("[data-role=form-error]").get_by_text("输入有误，请检查后重试。").wait_for()
    assert form.locator("[data-error-for=body]").inner_text()  # the field's own reason
    assert not Comment.objects.filter(project=project).exists()

    form.get_by_label("写评论").fill("我家有梯子，可以借给施工队。")
    form.get_by_role("button", name="发表评论").click()
    page.get_by_text("评论已发表。").wait_for()
    page.locator("[data-role=comments] li", has_text="我家有梯子").wait_for()
    comment = Comment.objects.get(project=project)
    assert (comment.author, comment.body) == (world.resident, "我家有梯子，可以借给施工队。")
    assert form.get_by_label("写评论").input_value() == ""
