"""Simultaneous moves on one case and simultaneous reminder sweeps (PostgreSQL: separate
connections; the row lock and the reminder ledger decide)."""

import threading

import pytest
from django.db import connection

from core.exceptions import ApplicationError
from disputes import services
from disputes.models import DisputeCase, DisputeCaseEvent
from notifications import clocks
from notifications.models import Notification
from tests.factories.disputes import case_in

SKIP = "needs PostgreSQL: concurrent connections racing on row locks; SQLite serialises writers"
S = DisputeCase.Status


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
def test_two_followups_at_once_make_one(org, actors, people):
    if connection.vendor != "postgresql":
        pytest.skip(SKIP)
    case = case_in(S.RESOLVED, actor=actors.worker, owner=people.owner, community=org.community)
    outcomes = _race(
        [
            lambda u=u: services.case_record_followup(
                actor=u, case=DisputeCase.objects.get(pk=case.pk), note="回访"
            )
            for u in (actors.worker, people.owner, actors.street_admin)
        ]
    )
    assert outcomes == ["conflict", "conflict", "ok"]
    assert DisputeCaseEvent.objects.filter(case=case, verb="record_followup").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_double_beat_reminds_once(org, actors, people, time_machine):
    if connection.vendor != "postgresql":
        pytest.skip(SKIP)
    time_machine.move_to("2026-03-01 10:00 +0800", tick=False)
    case_in(S.RESOLVED, actor=actors.worker, owner=people.owner, community=org.community)
    time_machine.move_to("2026-03-20 10:00 +0800", tick=False)
    outcomes = _race([clocks.reminders_sweep for _ in range(4)])
    assert outcomes == ["ok"] * 4
    kinds = list(
        Notification.objects.filter(kind__startswith="disputes.case.followup")
        .order_by("recipient__username")
        .values_list("kind", "recipient__username")
    )
    assert kinds == [
        ("disputes.case.followup.overdue", "owner"),
        ("disputes.case.followup.overdue", "worker"),
    ]
