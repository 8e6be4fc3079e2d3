"""Who may not act: refused with 403 (may see, may not act) or 404 (out of scope), and
nothing is written."""

import pytest

from projects.models import BudgetLine, Evaluation, Project, ProjectMember
from tests.factories.projects import adoptable_topic
from tests.projects.conftest import url

pytestmark = pytest.mark.django_db

STAFF_MOVES = [
    ("start/", {}),
    ("cancel/", {"reason": "不做了"}),
    ("budget-lines/", {"source": "crowdfunding", "amount": "10", "description": "众筹"}),
]


def _user(actors, request, who):
    return getattr(actors, who) if hasattr(actors, who) else request.getfixturevalue(who)


@pytest.mark.parametrize(
    "who, expected",
    [
        ("resident", 403),  # the project's own lead: a resident, not staff
        ("unverified", 403),
        ("district_leader", 403),  # leaders read aggregates; they do not run projects
        ("outsider", 404),  # resident of another community
        ("other_worker", 404),  # worker of another community
        ("foreign_admin", 404),
    ],
)
@pytest.mark.parametrize("suffix, body", STAFF_MOVES)
def test_staff_moves_refused(api, actors, request, project, who, expected, suffix, body):
    api.force_authenticate(_user(actors, request, who))
    response = api.post(url(project, suffix), body, format="json")
    assert response.status_code == expected, response.json()
    assert Project.objects.get(pk=project.pk).stage == "planning"
    assert not BudgetLine.objects.exists()


@pytest.mark.parametrize("who", ["worker", "grid_leader", "street_admin", "superuser"])
def test_staff_in_scope_may_start(api, actors, project, who):
    api.force_authenticate(getattr(actors, who))
    assert api.post(url(project, "start/"), {}, format="json").status_code == 200


@pytest.mark.parametrize(
    "who, expected",
    [
        ("unverified", 403),
        ("worker", 403),  # staff do not sign up as residents
        ("district_leader", 403),
        ("outsider", 404),
        ("other_worker", 404),
    ],
)
def test_sign_up_refused(api, actors, request, project, who, expected):
    api.force_authenticate(_user(actors, request, who))
    response = api.post(url(project, "members/"), {"role": "volunteer"}, format="json")
    assert response.status_code == expected
    assert ProjectMember.objects.filter(project=project).count() == 1  # the lead only


@pytest.mark.parametrize(
    "who, expected",
    [
        ("unverified", 403),
        ("worker", 403),
        ("district_leader", 403),
        ("outsider", 404),
        ("other_worker", 404),
    ],
)
def test_evaluate_refused(api, actors, request, published, who, expected):
    api.force_authenticate(_user(actors, request, who))
    response = api.post(url(published, "evaluations/"), {"rating": 5}, format="json")
    assert response.status_code == expected
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize(
    "who, expected",
    [
        ("outsider", 404),
        ("other_worker", 404),
        ("foreign_admin", 404),
        ("resident", 200),
        ("unverified", 200),
        ("district_leader", 200),
    ],
)
def test_who_sees_the_project(api, actors, request, project, who, expected):
    api.force_authenticate(_user(actors, request, who))
    assert api.get(url(project)).status_code == expected
    listed = api.get("/api/v1/projects/").json()["count"]
    assert listed == (1 if expected == 200 else 0)


def test_progress_updates_by_lead_but_not_plain_member(api, project, resident, neighbour):
    api.force_authenticate(neighbour)
    api.post(url(project, "members/"), {"role": "participant"}, format="json")
    assert api.post(url(project, "updates/"), {"text": "进展"}, format="json").status_code == 403
    api.force_authenticate(resident)
    assert api.post(url(project, "updates/"), {"text": "进展"}, format="json").status_code == 201


def test_internal_detail_is_not_shown_to_residents(api, actors, project, resident):
    api.force_authenticate(resident)
    actions = api.get(url(project)).json()["actions"]
    assert "start" not in actions and "add_budget_line" not in actions


@pytest.mark.parametrize(
    "who, expected",
    [("resident", 403), ("district_leader", 403), ("outsider", 403), ("other_worker", 404)],
)
def test_adopt_refused(api, actors, request, org, who, expected):
    topic = adoptable_topic(worker=actors.worker, community=org.community)
    api.force_authenticate(_user(actors, request, who))
    response = api.post(
        "/api/v1/projects/adopt/", {"topic": topic.pk, "title": "立项"}, format="json"
    )
    # A topic outside the caller's scope is an unknown id: 400 on the field, like a missing one.
    if expected == 404:
        assert response.status_code == 400 and "topic" in response.json()["fields"]
    else:
        assert response.status_code == expected
    assert not Project.objects.exists()


@pytest.mark.parametrize(
    "who, expected",
    [("worker", 403), ("resident", 403), ("district_leader", 403), ("foreign_admin", 400)],
)
def test_fund_pool_set_refused(api, actors, request, org, who, expected):
    api.force_authenticate(_user(actors, request, who))
    response = api.post(
        "/api/v1/fund-pools/",
        {"community": org.community.pk, "year": 2026, "amount": "100"},
        format="json",
    )
    assert response.status_code == expected
