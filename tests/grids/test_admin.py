"""Admin smoke tests: workers open the changelists and the weekly page within their scope,
and admin saves go through the services."""

import datetime

import pytest
from django.urls import reverse

from grids.models import GridRole, PatrolProblem, VisitRecord
from tests.factories.grids_work import (
    GridResourceFactory,
    PatrolProblemFactory,
    PatrolRecordFactory,
    VisitRecordFactory,
)

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "district",
    "street",
    "communitytype",
    "community",
    "microgrid",
    "building",
    "gridrole",
    "gridplace",
    "gridresource",
    "visitrecord",
    "diaryentry",
    "pairing",
    "practicaldeed",
    "patrolrecord",
    "patrolproblem",
    "weeklyvisitround",
]


@pytest.fixture
def admin_as(client):
    def _as(user):
        client.force_login(user)
        return client

    return _as


@pytest.mark.parametrize("who", ["worker", "grid_leader", "street_admin", "district_leader"])
def test_staff_open_every_changelist(admin_as, actors, org, who):
    client = admin_as(getattr(actors, who))
    for model in CHANGELISTS:
        response = client.get(reverse(f"admin:grids_{model}_changelist"))
        assert response.status_code == 200, (model, response.status_code)
    index = client.get(reverse("admin:index")).content.decode()
    assert "每周走访完成情况" in index


def test_worker_sees_only_their_communitys_grids(admin_as, actors, org):
    response = admin_as(actors.worker).get(reverse("admin:grids_microgrid_changelist"))
    names = {str(g) for g in response.context["cl"].result_list}
    assert names == {"一格", "二格"}
    other = admin_as(actors.worker).get(
        reverse("admin:grids_microgrid_change", args=[org.other_community_grid.pk])
    )
    assert other.status_code == 302  # the admin's "does not exist" redirect


def test_weekly_page_shows_done_and_not_done(admin_as, actors, org):
    VisitRecordFactory(grid=org.grid, visited_on=datetime.date(2024, 3, 5))
    response = admin_as(actors.worker).get(reverse("admin:grids_weeklyvisitround_changelist"))
    assert response.status_code == 200
    rows = {row["grid"].name: row["weeks"] for row in response.context["rows"]}
    assert set(rows) == {"一格", "二格"}
    assert rows["一格"][-1]["done"] and rows["一格"][-1]["visits"] == 1
    assert not rows["二格"][-1]["done"]
    html = response.content.decode()
    assert "✓ 已走访(1)" in html and "✗ 未走访" in html


def test_weekly_page_query_count_is_constant(admin_as, actors, org, django_assert_max_num_queries):
    VisitRecordFactory(grid=org.grid, visited_on=datetime.date(2024, 3, 5))
    client = admin_as(actors.worker)
    client.get(reverse("admin:grids_weeklyvisitround_changelist"))
    with django_assert_max_num_queries(14):
        client.get(reverse("admin:grids_weeklyvisitround_changelist"))


def test_resident_cannot_enter_the_admin(admin_as, actors):
    response = admin_as(actors.resident).get(reverse("admin:grids_visitrecord_changelist"))
    assert response.status_code == 302


def test_admin_add_visit_goes_through_the_service(admin_as, actors, org):
    client = admin_as(actors.grid_leader)
    url = reverse("admin:grids_visitrecord_add")
    ok = client.post(url, {"grid": org.grid.pk, "visited_on": "2024-03-05", "summary": "走访"})
    assert ok.status_code == 302, ok.context["adminform"].form.errors
    visit = VisitRecord.objects.get()
    assert visit.visitor == actors.grid_leader
    # A date in the future is refused by the service and shown on the form.
    bad = client.post(url, {"grid": org.grid.pk, "visited_on": "2024-03-09", "summary": "走访"})
    assert bad.status_code == 200
    assert "visited_on" in bad.context["adminform"].form.errors
    assert VisitRecord.objects.count() == 1


def test_admin_grid_role_inline_appoints_through_the_service(admin_as, actors, org, building):
    GridRole.objects.create(
        grid=org.grid, kind="grid_leader", name="老网格长", starts_on=datetime.date(2024, 1, 1)
    )
    client = admin_as(actors.worker)
    url = reverse("admin:grids_microgrid_change", args=[org.grid.pk])
    form = {
        "community": org.community.pk,
        "name": org.grid.name,
        "code": org.grid.code,
        "boundary": "",
        "buildings-TOTAL_FORMS": "1",
        "buildings-INITIAL_FORMS": "1",
        "buildings-MIN_NUM_FORMS": "0",
        "buildings-MAX_NUM_FORMS": "1000",
        "buildings-0-id": building.pk,
        "buildings-0-grid": org.grid.pk,
        "buildings-0-name": building.name,
        "roles-TOTAL_FORMS": "2",
        "roles-INITIAL_FORMS": "1",
        "roles-MIN_NUM_FORMS": "0",
        "roles-MAX_NUM_FORMS": "1000",
        "roles-0-id": GridRole.objects.get().pk,
        "roles-0-grid": org.grid.pk,
        "roles-0-kind": "grid_leader",
        "roles-0-name": "老网格长",
        "roles-0-starts_on": "2024-01-01",
        "roles-1-grid": org.grid.pk,
        "roles-1-kind": "building_leader",
        "roles-1-name": "王阿姨",
        "roles-1-building": building.pk,
        "roles-1-starts_on": "2024-03-01",
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.context and [
        f.errors for fs in response.context["inline_admin_formsets"] for f in fs.formset.forms
    ]
    assert GridRole.objects.filter(
        kind="building_leader", building=building, name="王阿姨"
    ).exists()


def test_admin_clears_a_problem_through_the_service(admin_as, actors, org):
    problem = PatrolProblemFactory(patrol=PatrolRecordFactory(grid=org.grid))
    client = admin_as(actors.worker)
    url = reverse("admin:grids_patrolproblem_change", args=[problem.pk])
    bad = client.post(url, {"action": "route", "route_to": "", "note": ""})
    assert bad.status_code == 200
    assert "route_to" in bad.context["adminform"].form.errors
    ok = client.post(url, {"action": "clear", "note": "已清理"})
    assert ok.status_code == 302
    problem.refresh_from_db()
    assert problem.status == PatrolProblem.Status.CLEARED
    assert problem.cleared_by == actors.worker


def test_district_leader_cannot_add_in_the_admin(admin_as, actors, org):
    client = admin_as(actors.district_leader)
    response = client.post(
        reverse("admin:grids_visitrecord_add"),
        {"grid": org.grid.pk, "visited_on": "2024-03-05", "summary": "x"},
    )
    assert response.status_code == 403
    assert not VisitRecord.objects.exists()


def test_grid_leader_sees_linked_resources_in_the_admin(admin_as, actors, org):
    GridResourceFactory(community=org.community, name="一小", grids=[org.grid])
    GridResourceFactory(community=org.community, name="二小", grids=[org.sibling_grid])
    response = admin_as(actors.grid_leader).get(reverse("admin:grids_gridresource_changelist"))
    assert {r.name for r in response.context["cl"].result_list} == {"一小"}


def test_admin_inline_conflict_shows_on_the_form_and_writes_nothing(
    admin_as, actors, org, building
):
    GridRole.objects.create(
        grid=org.grid,
        building=building,
        kind="building_leader",
        name="王阿姨",
        starts_on=datetime.date(2024, 1, 1),
    )
    url = reverse("admin:grids_microgrid_change", args=[org.grid.pk])
    form = {
        "community": org.community.pk,
        "name": org.grid.name,
        "code": org.grid.code,
        "buildings-TOTAL_FORMS": "0",
        "buildings-INITIAL_FORMS": "0",
        "buildings-MIN_NUM_FORMS": "0",
        "buildings-MAX_NUM_FORMS": "1000",
        "roles-TOTAL_FORMS": "1",
        "roles-INITIAL_FORMS": "0",
        "roles-MIN_NUM_FORMS": "0",
        "roles-MAX_NUM_FORMS": "1000",
        "roles-0-grid": org.grid.pk,
        "roles-0-kind": "building_leader",
        "roles-0-name": "李伯伯",
        "roles-0-building": building.pk,
        "roles-0-starts_on": "2024-03-01",
    }
    response = admin_as(actors.worker).post(url, form)
    assert response.status_code == 200
    errors = [
        f.errors for fs in response.context["inline_admin_formsets"] for f in fs.formset.forms
    ]
    assert any(errors)
    assert GridRole.objects.count() == 1
