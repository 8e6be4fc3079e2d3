"""Row locks: two workers clearing the same problem at once clear it exactly once."""

import threading

import pytest
from django.db import connection, connections

from core.exceptions import ApplicationError
from grids import services
from grids.models import PatrolProblem
from tests.factories.grids_work import PatrolProblemFactory, PatrolRecordFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_clears_clear_once(actors, org):
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) need PostgreSQL; SQLite locks the whole file")
    problem = PatrolProblemFactory(patrol=PatrolRecordFactory(grid=org.grid))
    barrier = threading.Barrier(2)
    outcomes = []

    def clear(user):
        try:
            barrier.wait()
            services.patrol_problem_clear(actor=user, problem=problem)
            outcomes.append("cleared")
        except ApplicationError as exc:
            outcomes.append(exc.code)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=clear, args=(u,)) for u in (actors.worker, actors.grid_leader)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(outcomes) == ["cleared", "conflict"]
    assert PatrolProblem.objects.get().status == PatrolProblem.Status.CLEARED
