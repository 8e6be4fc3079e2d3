"""Once per resident, and every count exact, under simultaneous submissions (PostgreSQL:
separate connections; the round's row lock and the unique (round, user) decide)."""

import threading

import pytest
from django.db import connection
from django.db.models import Sum

from cadres import services
from cadres.models import Participation, ScoreTally
from core.exceptions import ApplicationError
from tests.factories.board import board_resident
from tests.factories.cadres import ReviewRoundFactory, add_cadres

from .conftest import sheet

SKIP = (
    "needs PostgreSQL: concurrent connections racing on the row lock and the unique "
    "constraint; SQLite serialises writers"
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


def _opened(org, actors):
    r = ReviewRoundFactory(community=org.community)
    add_cadres(r)
    services.round_open(actor=actors.worker, round=r)
    return r


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_resident_submits_ten_times_at_once(org, actors):
    if connection.vendor != "postgresql":
        pytest.skip(SKIP)
    r = _opened(org, actors)
    user = board_resident(org.community)
    scores = sheet(r)
    outcomes = _race([lambda: services.round_submit(actor=user, round=r, scores=scores)] * 10)
    assert outcomes == ["conflict"] * 9 + ["ok"]
    assert Participation.objects.filter(round=r, user=user).count() == 1
    assert ScoreTally.objects.filter(round=r).aggregate(n=Sum("count"))["n"] == 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_residents_at_once_are_all_counted(org, actors):
    if connection.vendor != "postgresql":
        pytest.skip(SKIP)
    r = _opened(org, actors)
    users = [board_resident(org.community) for _ in range(10)]
    scores = sheet(r, [3, 2, 1])

    def call(user):
        return lambda: services.round_submit(actor=user, round=r, scores=scores)

    assert _race([call(u) for u in users]) == ["ok"] * 10
    assert Participation.objects.filter(round=r).count() == 10
    counts = dict(
        ScoreTally.objects.filter(round=r, count__gt=0).values_list("cadre__name", "count")
    )
    assert counts == {"张书记": 10, "李主任": 10, "王委员": 10}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_close_racing_submissions_counts_what_it_reports(org, actors):
    if connection.vendor != "postgresql":
        pytest.skip(SKIP)
    r = _opened(org, actors)
    users = [board_resident(org.community) for _ in range(6)]
    scores = sheet(r)
    calls = [lambda u=u: services.round_submit(actor=u, round=r, scores=scores) for u in users]
    calls.append(lambda: services.round_close(actor=actors.worker, round=r))
    _race(calls)
    r.refresh_from_db()
    taken = Participation.objects.filter(round=r).count()
    assert r.participant_count == taken
    assert ScoreTally.objects.filter(round=r).aggregate(n=Sum("count"))["n"] == 3 * taken


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_row_versions_do_not_single_out_a_grade(org, actors):
    """On PostgreSQL a row's xmin is the id of the transaction that last wrote it, and the
    participation row's is that transaction's (or its savepoint's, next to it): every counter
    of the round is rewritten by each submission, so all carry the same xmin and none tells
    which grade the last voter gave."""
    if connection.vendor != "postgresql":
        pytest.skip(SKIP)
    r = _opened(org, actors)
    for values in ([3, 2, 1], [1, 1, 3]):
        services.round_submit(actor=board_resident(org.community), round=r, scores=sheet(r, values))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT xmin::text FROM cadres_scoretally WHERE round_id = %s", [r.pk]
        )
        tally_versions = {row[0] for row in cursor.fetchall()}
    # One version for all nine counters: the last submission wrote every one of them.
    assert len(tally_versions) == 1
