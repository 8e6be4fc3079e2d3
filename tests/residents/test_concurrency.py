"""Two workers entering the same person at the same moment: one record, one clear field error."""

import threading

import pytest
from django.db import connection

from core.exceptions import ApplicationError
from residents import services
from residents.models import Resident
from tests.factories.residents import unique_id_number


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_creates_with_one_id_number_leave_one_record(actors, org):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so there is no race to test")
    number = unique_id_number(4242)
    barrier = threading.Barrier(2)
    outcomes = []

    def enter(actor, name):
        try:
            barrier.wait()
            services.resident_create(
                actor=actor, community=org.community, name=name, id_number=number
            )
            outcomes.append("created")
        except ApplicationError as exc:
            outcomes.append(sorted(exc.fields))
        finally:
            connection.close()  # the thread's own connection

    threads = [
        threading.Thread(target=enter, args=(actors.worker, "甲")),
        threading.Thread(target=enter, args=(actors.street_admin, "乙")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes, key=str) == sorted(["created", ["id_number"]], key=str)
    assert Resident.objects.filter(id_number_index=services.id_number_index(number)).count() == 1
