"""The workers' admin: the walk from adoption to a closed project with the stage buttons,
money columns from one query, refusals shown as messages, fund pools for street admins."""

from decimal import Decimal

import pytest

from notifications import clocks
from projects import services
from projects.models import FundPool, Project
from tests.factories.projects import adoptable_topic, adopted_project
from tests.projects.conftest import DAY

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/projects/project/"


def change_url(project, suffix="change/"):
    return f"/admin/projects/project/{project.pk}/{suffix}"


def test_admin_walk_to_a_closed_evaluated_project(
    client, org, actors, resident, neighbour, pool, time_machine
):
    time_machine.move_to("2027-03-01 09:00 +0800", tick=False)
    topic = adoptable_topic(worker=actors.worker, community=org.community)
    # The proposals admin's adopt button calls this service.
    project = services.project_adopt(
        actor=actors.worker, topic=topic, title="加装扶手", lead=resident.resident
    )
    services.budget_line_add(
        actor=actors.worker,
        project=project,
        source="special_fund",
        amount=Decimal("2000"),
        pool=pool,
        description="扶手",
    )
    client.force_login(actors.worker)

    page = client.get(change_url(project)).content.decode()
    assert change_url(project, "start/") in page and change_url(project, "publish/") not in page

    # A refused move is a message, not an error page.
    response = client.post(
        change_url(project, "publish/"), {"results": "完成", "review_days": 7}, follow=True
    )
    assert "不能公示" in response.content.decode()
    assert Project.objects.get(pk=project.pk).stage == "planning"

    client.post(change_url(project, "start/"), {"note": "施工队进场"})
    assert Project.objects.get(pk=project.pk).stage == "in_progress"
    form = client.get(change_url(project, "publish/"))
    assert form.status_code == 200 and "review_days" in form.content.decode()
    client.post(change_url(project, "publish/"), {"results": "扶手装好了", "review_days": 3})
    project.refresh_from_db()
    assert project.stage == "published" and project.review_days == 3

    services.evaluation_submit(actor=resident, project=project, rating=5, comment="很好")
    services.evaluation_submit(actor=neighbour, project=project, rating=2, comment="慢")
    response = client.post(change_url(project, "close/"), {}, follow=True)
    assert "评价期尚未结束" in response.content.decode()

    time_machine.move_to(project.review_closes_at + DAY, tick=False)
    client.post(change_url(project, "close/"), {})
    project.refresh_from_db()
    assert project.stage == "closed" and project.satisfaction_score == Decimal("3.50")
    # The clock finds nothing left to close.
    assert clocks.reminders_sweep()["sent"] == 0

    listing = client.get(CHANGELIST).content.decode()
    assert "加装扶手" in listing and "2000.00" in listing
    assert client.get("/admin/projects/evaluation/").status_code == 200


def test_admin_cancel_with_reason(client, actors, project):
    client.force_login(actors.worker)
    client.post(change_url(project, "cancel/"), {"reason": ""})
    assert Project.objects.get(pk=project.pk).stage == "planning"
    client.post(change_url(project, "cancel/"), {"reason": "居民另有方案"})
    project.refresh_from_db()
    assert project.stage == "cancelled" and project.cancelled_reason == "居民另有方案"


def test_admin_plan_edit_goes_through_the_service(client, actors, project):
    client.force_login(actors.worker)
    response = client.post(
        change_url(project),
        {
            "title": "新名称",
            "summary": "",
            "plan": "新方案",
            "lead": project.lead_id,
            **{
                f"{prefix}-{k}": v
                for prefix in ("budget_lines", "expenses", "milestones", "members", "updates")
                for k, v in (("TOTAL_FORMS", 0), ("INITIAL_FORMS", 0))
            },
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    project.refresh_from_db()
    assert project.title == "新名称"
    assert project.events.filter(verb="plan_updated").exists()


def test_admin_list_queries_constant(client, org, actors, pool, django_assert_max_num_queries):
    for i in range(30):
        adopted_project(worker=actors.worker, community=org.community, title=f"项目{i}")
    client.force_login(actors.worker)
    with django_assert_max_num_queries(15):
        assert client.get(CHANGELIST).status_code == 200


@pytest.mark.parametrize("who, status", [("district_leader", 200), ("other_worker", 302)])
def test_admin_out_of_scope_project(client, actors, project, who, status):
    client.force_login(getattr(actors, who))
    # district leaders hold no PEOPLE scope: the row does not exist for them either
    response = client.get(change_url(project))
    assert response.status_code in (302, 403)
    response = client.post(change_url(project, "start/"), {})
    assert response.status_code in (403, 404)
    assert Project.objects.get(pk=project.pk).stage == "planning"


def test_fund_pool_admin(client, org, actors, project, pool):
    services.budget_line_add(
        actor=actors.worker,
        project=project,
        source="special_fund",
        amount=Decimal("2500"),
        pool=pool,
        description="专项",
    )
    client.force_login(actors.street_admin)
    listing = client.get("/admin/projects/fundpool/").content.decode()
    assert "2500.00" in listing and "7500.00" in listing
    # Lowering the pool below what is allocated is refused on the form.
    response = client.post(
        f"/admin/projects/fundpool/{pool.pk}/change/", {"amount": "2000", "note": ""}
    )
    assert response.status_code == 200 and "已分配" in response.content.decode()
    assert FundPool.objects.get(pk=pool.pk).amount == Decimal("10000.00")
    response = client.post(
        "/admin/projects/fundpool/add/",
        {"community": org.community.pk, "year": 2027, "amount": "800"},
    )
    assert response.status_code == 302
    assert FundPool.objects.get(year=2027).amount == Decimal("800")
    # Workers read balances but do not set pools.
    client.force_login(actors.worker)
    assert client.get("/admin/projects/fundpool/").status_code == 200
    assert client.get("/admin/projects/fundpool/add/").status_code == 403
