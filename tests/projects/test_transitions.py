"""Every move not in the transition table is refused with 409 and changes nothing."""

import pytest

from projects import services
from projects.models import Evaluation, Project, ProjectEvent
from tests.projects.conftest import DAY, url

pytestmark = pytest.mark.django_db


def _events(project):
    return ProjectEvent.objects.filter(project=project).count()


@pytest.mark.parametrize(
    "stage, move, body",
    [
        ("planning", "publish", {"results": "完成"}),
        ("planning", "close", {}),
        ("in_progress", "start", {}),
        ("in_progress", "close", {}),
        ("published", "start", {}),
        ("published", "publish", {"results": "再次公示"}),
        ("published", "cancel", {"reason": "不做了"}),
        ("closed", "start", {}),
        ("closed", "cancel", {"reason": "不做了"}),
        ("cancelled", "start", {}),
        ("cancelled", "publish", {"results": "完成"}),
    ],
)
def test_forbidden_moves_are_409(api, actors, project, time_machine, stage, move, body):
    if stage in ("in_progress", "published", "closed"):
        services.project_start(actor=actors.worker, project=project)
    if stage in ("published", "closed"):
        services.project_publish(actor=actors.worker, project=project, results="完成")
    if stage == "closed":
        time_machine.move_to(Project.objects.get(pk=project.pk).review_closes_at + DAY)
        services.project_close(actor=actors.worker, project=project)
    if stage == "cancelled":
        services.project_cancel(actor=actors.worker, project=project, reason="经费不足")
    before = _events(project)
    api.force_authenticate(actors.worker)
    response = api.post(url(project, f"{move}/"), body, format="json")
    assert response.status_code == 409, response.json()
    assert Project.objects.get(pk=project.pk).stage == stage
    assert _events(project) == before


def test_close_before_the_window_ends_is_409(api, actors, published, time_machine):
    time_machine.move_to(published.review_closes_at - DAY)
    api.force_authenticate(actors.worker)
    assert api.post(url(published, "close/"), {}, format="json").status_code == 409
    time_machine.move_to(published.review_closes_at)
    response = api.post(url(published, "close/"), {}, format="json")
    assert response.status_code == 200 and response.json()["stage"] == "closed"


def test_evaluate_after_the_window_or_close_is_refused(
    api, resident, published, actors, time_machine
):
    api.force_authenticate(resident)
    time_machine.move_to(published.review_closes_at)
    assert api.post(url(published, "evaluations/"), {"rating": 5}, format="json").status_code == 409
    services.project_close(actor=actors.worker, project=published)
    assert api.post(url(published, "evaluations/"), {"rating": 5}, format="json").status_code == 409
    assert not Evaluation.objects.exists()


def test_evaluate_twice_is_409(api, resident, published):
    api.force_authenticate(resident)
    assert api.post(url(published, "evaluations/"), {"rating": 4}, format="json").status_code == 201
    response = api.post(url(published, "evaluations/"), {"rating": 1}, format="json")
    assert response.status_code == 409
    assert list(Evaluation.objects.values_list("rating", flat=True)) == [4]


def test_evaluate_before_publication_is_409(api, resident, project):
    api.force_authenticate(resident)
    assert api.post(url(project, "evaluations/"), {"rating": 4}, format="json").status_code == 409


def test_cancel_needs_a_reason_and_is_public(api, actors, project, resident):
    api.force_authenticate(actors.worker)
    response = api.post(url(project, "cancel/"), {"reason": "  "}, format="json")
    assert response.status_code == 400 and "reason" in response.json()["fields"]
    response = api.post(url(project, "cancel/"), {"reason": "居民意见不一致"}, format="json")
    assert response.status_code == 200 and response.json()["stage"] == "cancelled"
    api.force_authenticate(resident)
    timeline = api.get(url(project, "timeline/")).json()["results"]
    assert timeline[-1]["verb"] == "cancelled" and timeline[-1]["note"] == "居民意见不一致"


def test_join_twice_is_409(api, neighbour, project):
    api.force_authenticate(neighbour)
    assert (
        api.post(url(project, "members/"), {"role": "volunteer"}, format="json").status_code == 201
    )
    assert api.post(url(project, "members/"), {"role": "team"}, format="json").status_code == 409


def test_adopting_a_topic_twice_is_409(api, actors, project):
    api.force_authenticate(actors.worker)
    response = api.post(
        "/api/v1/projects/adopt/", {"topic": project.topic_id, "title": "再立项"}, format="json"
    )
    assert response.status_code == 409
    assert Project.objects.count() == 1
