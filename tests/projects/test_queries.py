"""List endpoints cost the same number of queries at 1 row and at 30."""

from decimal import Decimal

import pytest

from projects import services
from tests.factories.projects import adopted_project
from tests.projects.conftest import png_file, url

pytestmark = pytest.mark.django_db


def _make(n, *, org, actors, resident, pool):
    made = []
    for i in range(n):
        project = adopted_project(
            worker=actors.worker,
            community=org.community,
            grid=org.grid,
            title=f"项目{i}",
            lead=resident.resident,
        )
        services.budget_line_add(
            actor=actors.worker,
            project=project,
            source="special_fund",
            amount=Decimal("10"),
            pool=pool,
            description="专项",
        )
        made.append(project)
    return made


@pytest.mark.parametrize("n", [1, 30])
@pytest.mark.parametrize("who", ["worker", "resident"])
def test_project_list_queries_constant(
    api, org, actors, resident, pool, n, who, django_assert_max_num_queries
):
    _make(n, org=org, actors=actors, resident=resident, pool=pool)
    user = resident if who == "resident" else actors.worker
    api.force_authenticate(user)
    with django_assert_max_num_queries(6):
        params = {"page_size": 50, "stage": "planning"}
        if who == "resident":
            params["mine"] = "true"  # the lead of them all
        response = api.get("/api/v1/projects/", params)
    assert response.status_code == 200
    assert response.json()["count"] == n


@pytest.mark.parametrize("n", [1, 30])
def test_child_lists_queries_constant(
    api, org, actors, resident, project, n, django_assert_max_num_queries
):
    services.project_start(actor=actors.worker, project=project)
    for i in range(n):
        line = services.budget_line_add(
            actor=actors.worker,
            project=project,
            source="residents",
            amount=Decimal("10"),
            description=f"自筹{i}",
        )
        services.progress_post(
            actor=actors.worker, project=project, text=f"进展{i}", photos=[png_file()]
        )
        import datetime

        services.expense_record(
            actor=actors.worker,
            project=project,
            budget_line=line,
            amount=Decimal("1"),
            spent_on=datetime.date(2026, 1, 1),
            payee="店",
            description="灯",
        )
    api.force_authenticate(resident)
    for suffix in ("budget-lines/", "updates/", "expenses/", "members/", "timeline/"):
        with django_assert_max_num_queries(8):
            response = api.get(url(project, suffix), {"page_size": 50})
        assert response.status_code == 200, suffix
    with django_assert_max_num_queries(20):
        assert api.get(url(project)).status_code == 200


@pytest.mark.parametrize("n", [1, 30])
def test_fund_pool_list_queries_constant(api, org, actors, n, django_assert_max_num_queries):
    from tests.factories.projects import FundPoolFactory

    for i in range(n):
        FundPoolFactory(community=org.community, year=2000 + i)
    api.force_authenticate(actors.street_admin)
    with django_assert_max_num_queries(6):
        response = api.get("/api/v1/fund-pools/", {"page_size": 50})
    assert response.json()["count"] == n
