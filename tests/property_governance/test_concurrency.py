"""One ballot per household under simultaneous submissions (PostgreSQL: separate
connections; the unique constraint on (election, household) decides)."""

import threading

import pytest
from django.db import connection

from core.exceptions import ApplicationError
from property_governance import services
from property_governance.models import Ballot, BallotChoice
from tests.factories import BuildingFactory, HouseholdFactory
from tests.factories.board import CompoundFactory, board_resident
from tests.factories.property_governance import ElectionFactory, PropertyAreaFactory

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
def test_ten_members_of_one_household_vote_at_once(org, actors):
    if connection.vendor != "postgresql":
        pytest.skip(SKIP)
    compound = CompoundFactory(community=org.community)
    building = BuildingFactory(grid=org.grid, compound=compound)
    home = HouseholdFactory(building=building)
    family = [
        board_resident(org.community, building=building, household=home, real_name=f"家人{i}")
        for i in range(10)
    ]
    election = ElectionFactory(
        area=PropertyAreaFactory(community=org.community, compounds=[compound]), seats=1
    )
    services.election_candidate_add(
        actor=actors.worker, election=election, resident=family[0].resident
    )
    services.election_publish_candidates(actor=actors.worker, election=election)
    services.election_open_voting(actor=actors.worker, election=election)
    pick = [election.candidates.get().pk]
    outcomes = _race(
        [
            (lambda p=p: services.election_vote(actor=p, election=election, candidates=pick))
            for p in family
        ]
        + [
            lambda: services.election_paper_ballot(
                actor=actors.worker,
                election=election,
                resident=family[1].resident,
                candidates=pick,
            )
        ]
    )
    assert outcomes == ["conflict"] * 10 + ["ok"]
    assert Ballot.objects.filter(election=election).count() == 1
    assert BallotChoice.objects.filter(ballot__election=election).count() == 1
