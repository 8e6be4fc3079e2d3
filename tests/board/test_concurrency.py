"""One answer per resident or household under simultaneous submissions (PostgreSQL: separate
connections, the unique constraint on (consultation, voter_key) decides)."""

import threading

import pytest
from django.db import connection

from board import services
from board.models import Answer, Response
from core.exceptions import ApplicationError
from tests.factories import BuildingFactory, HouseholdFactory
from tests.factories.board import ConsultationFactory, add_questions, board_resident

from .conftest import answers

SKIP = (
    "needs PostgreSQL: concurrent connections racing on the unique constraint; "
    "SQLite serialises writers"
)


def _published(org, actors, **fields):
    c = ConsultationFactory(community=org.community, **fields)
    c.single, c.multiple, c.text = add_questions(c)
    services.consultation_publish(actor=actors.worker, consultation=c)
    return c


def _race(calls):
    barrier = threading.Barrier(len(calls))
    outcomes = []

    def run(call):
        try:
            barrier.wait()
            call()
            outcomes.append("ok")
        except ApplicationError as exc:
            outcomes.append(exc.code)
        except Exception as exc:  # pragma: no cover - reported below
            outcomes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(outcomes)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_members_of_one_household_answer_at_once(org, actors):
    if connection.vendor != "postgresql":
        pytest.skip(SKIP)
    c = _published(org, actors, one_per="household")
    home = HouseholdFactory(building=BuildingFactory(grid=org.grid))
    family = [
        board_resident(org.community, building=home.building, household=home, real_name=f"家人{i}")
        for i in range(10)
    ]
    outcomes = _race(
        [
            (lambda p=p: services.consultation_respond(actor=p, consultation=c, answers=answers(c)))
            for p in family
        ]
    )
    assert outcomes == ["conflict"] * 9 + ["ok"]
    assert Response.objects.filter(consultation=c).count() == 1
    # The losers' answers were never kept: one sheet's two answers only.
    assert Answer.objects.filter(response__consultation=c).count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_phone_and_a_paper_entry_for_one_resident_at_once(org, actors):
    if connection.vendor != "postgresql":
        pytest.skip(SKIP)
    c = _published(org, actors)
    building = BuildingFactory(grid=org.grid)
    person = board_resident(org.community, building=building, real_name="王阿姨")
    resident = person.resident
    calls = [
        lambda: services.consultation_respond(actor=person, consultation=c, answers=answers(c)),
        lambda: services.consultation_paper_response(
            actor=actors.worker, consultation=c, resident=resident, answers=answers(c)
        ),
    ] * 3
    outcomes = _race(calls)
    assert outcomes == ["conflict"] * 5 + ["ok"]
    assert Response.objects.filter(consultation=c).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_many_residents_at_once_all_count(org, actors):
    if connection.vendor != "postgresql":
        pytest.skip(SKIP)
    c = _published(org, actors)
    building = BuildingFactory(grid=org.grid)
    people = [
        board_resident(org.community, building=building, real_name=f"居民{i}") for i in range(12)
    ]
    calls = [
        (lambda p=p: services.consultation_respond(actor=p, consultation=c, answers=answers(c)))
        for p in people
    ]
    # Each resident twice: every resident once in, every second sheet refused.
    outcomes = _race(calls + calls)
    assert outcomes == ["conflict"] * 12 + ["ok"] * 12
    assert Response.objects.filter(consultation=c).count() == 12
