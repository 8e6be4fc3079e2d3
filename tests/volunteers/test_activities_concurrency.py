"""The last places under simultaneous sign-ups (PostgreSQL row locks)."""

import threading

import pytest
import time_machine
from django.db import connection

from core.exceptions import ApplicationError
from tests.factories.proposals import verified_resident
from tests.factories.volunteers import ActivityFactory
from volunteers.models import SignUp
from volunteers.services import activities as services


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_signups_for_five_places(org):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SELECT … FOR UPDATE row locks; SQLite serialises writers")
    activity = ActivityFactory(community=org.community, capacity=5)
    people = [verified_resident(org.community, real_name=f"居民{i}") for i in range(20)]
    barrier = threading.Barrier(len(people))
    outcomes = []

    def sign_up(person):
        try:
            barrier.wait()
            outcomes.append(services.signup_create(actor=person, activity=activity).status)
        except ApplicationError as exc:
            outcomes.append(exc.code)
        except Exception as exc:  # pragma: no cover - reported below
            outcomes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_up, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["confirmed"] * 5 + ["waitlisted"] * 15
    counts = {
        status: SignUp.objects.filter(activity=activity, status=status).count()
        for status in ("confirmed", "waitlisted")
    }
    assert counts == {"confirmed": 5, "waitlisted": 15}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_cancellations_promote_each_waiter_once(org):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SELECT … FOR UPDATE row locks; SQLite serialises writers")
    activity = ActivityFactory(community=org.community, capacity=5)
    people = [verified_resident(org.community, real_name=f"居民{i}") for i in range(10)]
    for person in people:
        services.signup_create(actor=person, activity=activity)
    leaving = people[:5]
    barrier = threading.Barrier(len(leaving))
    errors = []

    def cancel(person):
        try:
            barrier.wait()
            services.signup_cancel(actor=person, activity=activity)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=cancel, args=(p,)) for p in leaving]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    confirmed = set(
        SignUp.objects.filter(activity=activity, status="confirmed").values_list(
            "user_id", flat=True
        )
    )
    assert confirmed == {p.pk for p in people[5:]}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_approvals_earn_once(org, actors):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SELECT … FOR UPDATE row locks; SQLite serialises writers")
    pytest.importorskip("volunteers.services.points", reason="the points module is not there yet")
    from volunteers.models import Attendance, PointsEntry, PointsRule

    PointsRule.objects.create(
        street=org.street, name="每次5分", points_per_attendance=5, is_default=True
    )
    activity = ActivityFactory(community=org.community)
    person = verified_resident(org.community)
    services.signup_create(actor=person, activity=activity)
    with time_machine.travel(activity.starts_at, tick=False):
        services.attendance_check_in(actor=actors.worker, activity=activity, user=person)
    with time_machine.travel(activity.ends_at, tick=False):
        attendance = services.attendance_check_out(
            actor=actors.worker, activity=activity, user=person
        )
    barrier = threading.Barrier(5)
    outcomes = []

    def approve():
        try:
            barrier.wait()
            services.attendance_approve(actor=actors.worker, attendance=attendance)
            outcomes.append("ok")
        except ApplicationError as exc:
            outcomes.append(exc.code)
        except Exception as exc:  # pragma: no cover - reported below
            outcomes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=approve) for _i in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict"] * 4 + ["ok"]
    assert Attendance.objects.get().status == "approved"
    assert PointsEntry.objects.filter(attendance=attendance).count() == 1
