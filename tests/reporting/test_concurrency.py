"""Simultaneous writes on one list (PostgreSQL: separate connections; the report row lock and
the unique constraints decide)."""

import threading

import pytest
from django.db import connection

from core.exceptions import ApplicationError
from reporting import services
from reporting.models import ReportItem
from tests.factories.reporting import mark, move

SKIP = "needs PostgreSQL: concurrent connections racing on row locks; SQLite serialises writers"


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
def test_the_same_topic_marked_at_once_is_listed_once(place, actors):
    if connection.vendor != "postgresql":
        pytest.skip(SKIP)
    outcomes = _race([lambda: mark(place.report, actors.street_admin, topic=place.topic)] * 6)
    assert outcomes == ["conflict"] * 5 + ["ok"]
    assert ReportItem.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_submit_and_mark_at_once(place, actors):
    """Marking waits for the report's lock: it lands before the submit or is refused after."""
    if connection.vendor != "postgresql":
        pytest.skip(SKIP)
    mark(place.report, actors.street_admin, topic=place.topic)
    outcomes = _race(
        [
            lambda: services.report_submit(actor=actors.street_admin, report=place.report),
            lambda: mark(place.report, actors.street_admin, topic=place.sibling_topic),
        ]
    )
    assert outcomes in (["ok", "ok"], ["conflict", "ok"])
    place.report.refresh_from_db()
    assert place.report.status == "submitted"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_status_move_wins(place, actors):
    if connection.vendor != "postgresql":
        pytest.skip(SKIP)
    item = mark(place.report, actors.street_admin, topic=place.topic)
    services.report_submit(actor=actors.street_admin, report=place.report)
    outcomes = _race(
        [
            lambda: move(item, actors.street_admin, "accepted"),
            lambda: move(item, actors.street_admin, "not_accepted"),
        ]
    )
    assert outcomes == ["conflict", "ok"]
    assert item.events.filter(verb="status").count() == 1
