"""One signature per household under simultaneous submissions (PostgreSQL: separate
connections race on the unique (version, household))."""

import threading

import pytest
from django.db import connection

from core.exceptions import ApplicationError
from covenants import services
from covenants.models import Signature
from tests.factories import BuildingFactory, HouseholdFactory
from tests.factories.board import board_resident, offline_resident
from tests.factories.covenants import CovenantFactory, to_state

SKIP = (
    "needs PostgreSQL: concurrent connections racing on the unique constraint; "
    "SQLite serialises writers"
)


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
def test_ten_members_of_one_household_sign_at_once(org, actors):
    if connection.vendor != "postgresql":
        pytest.skip(SKIP)
    covenant = to_state(CovenantFactory(community=org.community), actors.worker, "signing")
    home = HouseholdFactory(building=BuildingFactory(grid=org.grid))
    family = [
        board_resident(org.community, building=home.building, household=home, real_name=f"家人{i}")
        for i in range(10)
    ]
    outcomes = _race(
        [(lambda p=p: services.covenant_sign(actor=p, covenant=covenant)) for p in family]
    )
    assert outcomes == ["conflict"] * 9 + ["ok"]
    assert Signature.objects.filter(household=home).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_phone_and_a_paper_entry_for_one_household_at_once(org, actors):
    if connection.vendor != "postgresql":
        pytest.skip(SKIP)
    covenant = to_state(CovenantFactory(community=org.community), actors.worker, "signing")
    home = HouseholdFactory(building=BuildingFactory(grid=org.grid))
    phone = board_resident(org.community, building=home.building, household=home)
    grandma = offline_resident(org.community, building=home.building, household=home)
    outcomes = _race(
        [
            lambda: services.covenant_sign(actor=phone, covenant=covenant),
            lambda: services.covenant_paper_sign(
                actor=actors.worker, covenant=covenant, resident=grandma
            ),
        ]
    )
    assert outcomes == ["conflict", "ok"]
    assert Signature.objects.filter(household=home).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_signatures_racing_the_decision_are_counted_or_refused(org, actors):
    if connection.vendor != "postgresql":
        pytest.skip(SKIP)
    from covenants.models import CovenantVersion

    covenant = to_state(CovenantFactory(community=org.community), actors.worker, "signing")
    building = BuildingFactory(grid=org.grid)
    signers = []
    for i in range(8):
        home = HouseholdFactory(building=building, room=f"{i + 1}01")
        signers.append(board_resident(org.community, building=building, household=home))
    calls = [(lambda p=p: services.covenant_sign(actor=p, covenant=covenant)) for p in signers]
    calls.append(lambda: services.covenant_decide(actor=actors.worker, covenant=covenant))
    outcomes = _race(calls)
    assert set(outcomes) <= {"ok", "conflict"}
    version = CovenantVersion.objects.get(covenant=covenant)
    # The stored count is exactly the signatures stored: none slipped in after the count.
    assert version.yes_count == Signature.objects.filter(version=version).count()
    assert outcomes.count("ok") == version.yes_count + 1  # the signers who got in, and decide
