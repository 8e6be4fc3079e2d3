"""Money: bad input is a 400 naming the field with nothing written; a pool is never overdrawn,
not even by concurrent allocations; spending never exceeds its line."""

import threading
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models import Sum

from core.exceptions import ApplicationError
from projects import services
from projects.models import BudgetLine, Evaluation, Expense, FundPool, ProgressUpdate
from tests.factories.projects import FundPoolFactory, adopted_project
from tests.projects.conftest import url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "body, field",
    [
        ({"source": "crowdfunding", "amount": "0", "description": "众筹"}, "amount"),
        ({"source": "crowdfunding", "amount": "-5", "description": "众筹"}, "amount"),
        ({"source": "crowdfunding", "amount": "1.234", "description": "众筹"}, "amount"),
        ({"source": "special_fund", "amount": "100", "description": "专项"}, "pool"),
        ({"source": "lottery", "amount": "100", "description": "?"}, "source"),
        ({"source": "crowdfunding", "amount": "100", "description": ""}, "description"),
    ],
)
def test_bad_budget_lines(api, actors, project, body, field):
    api.force_authenticate(actors.worker)
    response = api.post(url(project, "budget-lines/"), body, format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()["fields"]
    assert not BudgetLine.objects.exists()


def test_non_fund_line_with_a_pool_is_400(api, actors, project, pool):
    api.force_authenticate(actors.worker)
    response = api.post(
        url(project, "budget-lines/"),
        {
            "source": "crowdfunding",
            "amount": "10",
            "pool": pool.pk,
            "description": "众筹",
        },
        format="json",
    )
    assert response.status_code == 400 and "pool" in response.json()["fields"]


def test_another_communitys_pool_is_refused(api, actors, org, project):
    other = FundPoolFactory(community=org.sibling_community, amount=Decimal("1000"))
    api.force_authenticate(actors.worker)
    response = api.post(
        url(project, "budget-lines/"),
        {
            "source": "special_fund",
            "amount": "10",
            "pool": other.pk,
            "description": "专项",
        },
        format="json",
    )
    assert response.status_code == 400 and "pool" in response.json()["fields"]
    assert not BudgetLine.objects.exists()


def test_overdraw_is_409_with_the_remaining_balance(api, actors, project, pool):
    api.force_authenticate(actors.worker)
    ok = api.post(
        url(project, "budget-lines/"),
        {
            "source": "special_fund",
            "amount": "9000",
            "pool": pool.pk,
            "description": "一期",
        },
        format="json",
    )
    assert ok.status_code == 201
    response = api.post(
        url(project, "budget-lines/"),
        {
            "source": "special_fund",
            "amount": "1000.01",
            "pool": pool.pk,
            "description": "二期",
        },
        format="json",
    )
    assert response.status_code == 409
    assert "1000.00" in response.json()["detail"] and "amount" in response.json()["fields"]
    assert BudgetLine.objects.count() == 1


def test_pool_cannot_be_set_below_allocated(api, actors, org, project, pool):
    services.budget_line_add(
        actor=actors.worker,
        project=project,
        source="special_fund",
        amount=Decimal("4000"),
        pool=pool,
        description="一期",
    )
    api.force_authenticate(actors.street_admin)
    body = {"community": org.community.pk, "year": 2026, "amount": "3999.99"}
    response = api.post("/api/v1/fund-pools/", body, format="json")
    assert response.status_code == 409 and "amount" in response.json()["fields"]
    assert FundPool.objects.get().amount == Decimal("10000.00")
    response = api.post("/api/v1/fund-pools/", {**body, "amount": "4000"}, format="json")
    assert response.status_code == 200 and response.json()["remaining"] == "0.00"
    response = api.post("/api/v1/fund-pools/", {**body, "amount": "-1"}, format="json")
    assert response.status_code == 400 and "amount" in response.json()["fields"]
    new = api.post("/api/v1/fund-pools/", {**body, "year": 2027, "amount": "500"}, format="json")
    assert new.status_code == 200 and new.json()["allocated"] == "0.00"


@pytest.fixture
def line(actors, project):
    services.project_start(actor=actors.worker, project=project)
    return services.budget_line_add(
        actor=actors.worker,
        project=project,
        source="residents",
        amount=Decimal("300"),
        description="居民自筹",
    )


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"amount": "0"}, "amount"),
        ({"amount": "-1"}, "amount"),
        ({"amount": "300.01"}, "amount"),  # above the line
        ({"payee": ""}, "payee"),
        ({"spent_on": "2999-01-01"}, "spent_on"),
        ({"receipt": SimpleUploadedFile("x.exe", b"MZ", "application/octet-stream")}, "receipt"),
        ({"receipt": SimpleUploadedFile("x.pdf", b"not a pdf", "application/pdf")}, "receipt"),
        ({"receipt": SimpleUploadedFile("x.png", b"not an image", "image/png")}, "receipt"),
    ],
)
def test_bad_expenses(api, actors, project, line, changes, field):
    body = {
        "budget_line": line.pk,
        "amount": "100",
        "spent_on": "2026-01-02",
        "payee": "五金店",
        "description": "灯具",
        **changes,
    }
    api.force_authenticate(actors.worker)
    response = api.post(url(project, "expenses/"), body, format="multipart")
    assert response.status_code == 400, response.json()
    assert field in response.json()["fields"]
    assert not Expense.objects.exists()


def test_spending_adds_up_to_the_line_and_no_further(actors, project, line):
    import datetime

    day = datetime.date(2026, 1, 2)
    for amount in ("100", "200"):
        services.expense_record(
            actor=actors.worker,
            project=project,
            budget_line=line,
            amount=Decimal(amount),
            spent_on=day,
            payee="店",
            description="灯",
        )
    with pytest.raises(ApplicationError) as exc:
        services.expense_record(
            actor=actors.worker,
            project=project,
            budget_line=line,
            amount=Decimal("0.01"),
            spent_on=day,
            payee="店",
            description="灯",
        )
    assert exc.value.fields.keys() == {"amount"}


def test_other_projects_line_is_refused(api, actors, org, project, line):
    other = adopted_project(worker=actors.worker, community=org.community, title="另一项目")
    api.force_authenticate(actors.worker)
    response = api.post(
        url(other, "expenses/"),
        {
            "budget_line": line.pk,
            "amount": "1",
            "spent_on": "2026-01-02",
            "payee": "店",
            "description": "灯",
        },
        format="multipart",
    )
    assert response.status_code == 400 and "budget_line" in response.json()["fields"]


@pytest.mark.parametrize("rating", [0, 6, -1, "五"])
def test_bad_ratings(api, resident, published, rating):
    api.force_authenticate(resident)
    response = api.post(url(published, "evaluations/"), {"rating": rating}, format="json")
    assert response.status_code == 400 and "rating" in response.json()["fields"]
    assert not Evaluation.objects.exists()


def test_bad_photo_is_400(api, project, resident):
    api.force_authenticate(resident)
    response = api.post(
        url(project, "updates/"),
        {
            "text": "进展",
            "photos": [SimpleUploadedFile("a.png", b"nope", "image/png")],
        },
        format="multipart",
    )
    assert response.status_code == 400 and "photos" in response.json()["fields"]
    assert not ProgressUpdate.objects.exists()


def test_publish_review_days_out_of_range_is_400(api, actors, project):
    services.project_start(actor=actors.worker, project=project)
    api.force_authenticate(actors.worker)
    response = api.post(
        url(project, "publish/"), {"results": "完成", "review_days": 0}, format="json"
    )
    assert response.status_code == 400 and "review_days" in response.json()["fields"]
    response = api.post(url(project, "publish/"), {"results": ""}, format="json")
    assert response.status_code == 400 and "results" in response.json()["fields"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_allocations_never_overdraw_the_pool(org, actors):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SELECT … FOR UPDATE row locks; SQLite serialises writers")
    pool = FundPoolFactory(community=org.community, amount=Decimal("10000.00"))
    projects = [
        adopted_project(worker=actors.worker, community=org.community, title=f"项目{i}")
        for i in range(10)
    ]
    barrier = threading.Barrier(10)
    outcomes = []

    def allocate(project):
        try:
            barrier.wait()
            services.budget_line_add(
                actor=actors.worker,
                project=project,
                source="special_fund",
                amount=Decimal("3000.00"),
                pool=pool,
                description="30%",
            )
            outcomes.append("ok")
        except ApplicationError as exc:
            outcomes.append(exc.code)
        except Exception as exc:  # pragma: no cover - reported below
            outcomes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=allocate, args=(p,)) for p in projects]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict"] * 7 + ["ok"] * 3
    total = BudgetLine.objects.filter(pool=pool).aggregate(t=Sum("amount"))["t"]
    assert total == Decimal("9000.00") <= pool.amount


def test_cancelling_a_project_returns_its_unspent_special_funds_to_the_pool(
    actors, org, project, pool, resident
):
    import datetime

    # given: 4,000 of a 10,000 pool allocated to the project, 1,500 of it spent
    services.project_start(actor=actors.worker, project=project)
    line = services.budget_line_add(
        actor=actors.worker,
        project=project,
        source="special_fund",
        amount=Decimal("4000"),
        pool=pool,
        description="专项",
    )
    services.expense_record(
        actor=actors.worker,
        project=project,
        budget_line=line,
        amount=Decimal("1500"),
        spent_on=datetime.date(2026, 1, 2),
        payee="五金店",
        description="灯具",
    )
    assert services.pool_allocated(pool) == Decimal("4000")

    # when
    services.project_cancel(actor=actors.worker, project=project, reason="居民意见变化")

    # then: only what was spent stays allocated; the public timeline says what went back
    assert services.pool_allocated(pool) == Decimal("1500")
    event = project.events.get(verb="funds_released")
    assert event.data["amount"] == "2500.00"
    assert "2500" in event.note
    # and another project may now use the 8,500 left
    other = adopted_project(
        worker=actors.worker, community=org.community, grid=org.grid, lead=resident.resident
    )
    services.project_start(actor=actors.worker, project=other)
    services.budget_line_add(
        actor=actors.worker,
        project=other,
        source="special_fund",
        amount=Decimal("8500"),
        pool=pool,
        description="专项",
    )
    with pytest.raises(ApplicationError):
        services.budget_line_add(
            actor=actors.worker,
            project=other,
            source="special_fund",
            amount=Decimal("0.01"),
            pool=pool,
            description="专项",
        )
