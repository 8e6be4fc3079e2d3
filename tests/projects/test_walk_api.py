"""The whole walk through the API: an adopted topic becomes a project, is carried out with
its money and people, published, evaluated and closed by the review-window clock."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from notifications import clocks
from notifications.models import Notification
from projects.models import Project, ProjectEvent
from proposals import services as proposal_services
from proposals.models import Topic
from tests.factories.projects import adoptable_topic
from tests.projects.conftest import DAY, png_file, url

pytestmark = pytest.mark.django_db


def test_topic_to_closed_evaluated_project(
    api, org, actors, resident, neighbour, pool, time_machine
):
    time_machine.move_to("2027-05-04 09:00 +0800", tick=False)
    topic = adoptable_topic(worker=actors.worker, community=org.community, grid=org.grid)
    proposal_services.topic_follow(actor=neighbour, topic=topic)

    # A worker adopts the topic as a project, with the resident as its lead.
    api.force_authenticate(actors.worker)
    response = api.post(
        "/api/v1/projects/adopt/",
        {
            "topic": topic.pk,
            "title": "楼道照明改造",
            "plan": "更换12号楼楼道灯",
            "lead": resident.resident.pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    project = Project.objects.get(pk=body["id"])
    assert body["stage"] == "planning" and body["lead"]["name"] == resident.resident.name
    assert Topic.objects.get(pk=topic.pk).state == Topic.State.ADOPTED
    assert {"start", "cancel", "add_budget_line"} <= set(body["actions"])

    # Money: a special-fund allocation and a crowdfunding pledge.
    response = api.post(
        url(project, "budget-lines/"),
        {
            "source": "special_fund",
            "amount": "3000.00",
            "pool": pool.pk,
            "description": "灯具",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    fund_line = response.json()["id"]
    assert (
        api.post(
            url(project, "budget-lines/"),
            {
                "source": "crowdfunding",
                "amount": "500",
                "description": "居民众筹",
            },
            format="json",
        ).status_code
        == 201
    )
    assert api.post(url(project, "start/"), {}, format="json").json()["stage"] == "in_progress"

    # Spending with a receipt, line by line.
    response = api.post(
        url(project, "expenses/"),
        {
            "budget_line": fund_line,
            "amount": "1200.50",
            "spent_on": "2027-05-04",
            "payee": "五金店",
            "description": "LED 灯 20 只",
            "receipt": SimpleUploadedFile("fapiao.pdf", b"%PDF-1.4 test", "application/pdf"),
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["receipt"]

    # Residents sign up; the lead posts progress with photos.
    api.force_authenticate(neighbour)
    response = api.post(url(project, "members/"), {"role": "volunteer"}, format="json")
    assert response.status_code == 201, response.json()
    api.force_authenticate(resident)
    response = api.post(
        url(project, "updates/"),
        {
            "text": "第一批灯已装好",
            "photos": [png_file("a.png"), png_file("b.png")],
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    assert len(response.json()["photos"]) == 2

    # Published for review; residents evaluate during the window.
    api.force_authenticate(actors.worker)
    response = api.post(
        url(project, "publish/"), {"results": "20 只灯全部换好", "review_days": 7}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["stage"] == "published"
    for user, rating in ((resident, 5), (neighbour, 4)):
        api.force_authenticate(user)
        response = api.post(
            url(project, "evaluations/"), {"rating": rating, "comment": "好"}, format="json"
        )
        assert response.status_code == 201, response.json()

    # Too early to close by hand.
    api.force_authenticate(actors.worker)
    assert api.post(url(project, "close/"), {}, format="json").status_code == 409

    # The window ends: the clock sweep closes it with the mean rating.
    time_machine.move_to("2027-05-11 09:00:01 +0800", tick=False)
    clocks.reminders_sweep()
    project.refresh_from_db()
    assert project.stage == Project.Stage.CLOSED
    assert project.satisfaction_score == Decimal("4.50")
    assert project.evaluations_count == 2

    detail = api.get(url(project)).json()
    assert detail["satisfaction_score"] == "4.50"
    assert detail["budget_total"] == "3500.00" and detail["spent_total"] == "1200.50"
    assert detail["fund_allocated"] == "3000.00"
    totals = {t["source"]: (t["budget"], t["spent"]) for t in detail["source_totals"]}
    assert totals == {"special_fund": ("3000.00", "1200.50"), "crowdfunding": ("500.00", "0.00")}
    assert detail["evaluation_summary"]["count"] == 2
    assert detail["evaluation_summary"]["per_rating"]["5"] == 1
    assert detail["members_count"] == 2
    assert len(detail["latest_updates"][0]["photos"]) == 2
    assert detail["actions"] == ["publish_covenant", "comment"]
    verbs = [e["verb"] for e in detail["timeline"]]
    assert verbs[0] == "adopted" and verbs[-1] == "closed"
    assert {
        "started",
        "published",
        "budget_line_added",
        "expense_recorded",
        "member_joined",
        "progress_posted",
    } <= set(verbs)
    assert ProjectEvent.objects.filter(project=project, verb="closed", actor=None).exists()

    # Evaluating after close is refused.
    api.force_authenticate(neighbour)
    assert api.post(url(project, "evaluations/"), {"rating": 3}, format="json").status_code == 409

    # The follower and the members heard of each stage change; the worker of the close.
    kinds = set(Notification.objects.filter(recipient=neighbour).values_list("kind", flat=True))
    assert {
        "projects.project.in_progress",
        "projects.project.published",
        "projects.project.closed",
    } <= kinds
    assert (
        Notification.objects.filter(
            recipient=actors.worker, kind="projects.project.review_window.ended"
        ).count()
        == 1
    )
    # The sweep fires once only.
    clocks.reminders_sweep()
    ended = Notification.objects.filter(kind="projects.project.review_window.ended")
    assert sorted(ended.values_list("recipient__username", flat=True)) == ["gridleader", "worker"]

    # Fund pool shows the allocation.
    api.force_authenticate(actors.street_admin)
    pools = api.get("/api/v1/fund-pools/").json()["results"]
    assert pools[0]["allocated"] == "3000.00" and pools[0]["remaining"] == "7000.00"


def test_score_is_null_when_nobody_evaluated(published, time_machine):
    time_machine.move_to(published.review_closes_at + DAY, tick=False)
    clocks.reminders_sweep()
    published.refresh_from_db()
    assert published.stage == Project.Stage.CLOSED
    assert published.satisfaction_score is None and published.evaluations_count == 0


def test_comments_on_a_project(api, project, resident, neighbour):
    api.force_authenticate(resident)
    response = api.post(url(project, "comments/"), {"body": "支持！"}, format="json")
    assert response.status_code == 201, response.json()
    api.force_authenticate(neighbour)
    listed = api.get(url(project, "comments/")).json()
    assert [c["body"] for c in listed["results"]] == ["支持！"]


def test_member_leaves_and_lead_cannot(api, project, resident, neighbour):
    api.force_authenticate(neighbour)
    assert (
        api.post(url(project, "members/"), {"role": "participant"}, format="json").status_code
        == 201
    )
    assert "leave" in api.get(url(project)).json()["actions"]
    assert api.delete(url(project, "members/me/")).status_code == 204
    assert api.delete(url(project, "members/me/")).status_code == 404
    api.force_authenticate(resident)
    assert api.delete(url(project, "members/me/")).status_code == 409
