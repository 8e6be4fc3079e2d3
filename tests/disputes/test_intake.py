"""Sweeps (recorded even when nothing is found) and the reception roster, over the API."""

import datetime

import pytest
from django.urls import reverse

from disputes.models import DisputeSweep, ReceptionDay

pytestmark = pytest.mark.django_db


def test_a_sweep_that_found_nothing_is_recorded(api, org, actors):
    api.force_authenticate(actors.grid_leader)
    response = api.post(
        reverse("dispute-sweep-list"),
        {"grid": org.grid.pk, "swept_on": "2026-01-05", "found_count": 0, "note": "未发现"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["found_count"] == 0 and response.json()["case_count"] == 0
    sweep = DisputeSweep.objects.get()
    assert sweep.community == org.community and sweep.swept_by == actors.grid_leader


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"swept_on": "2026-01-05", "found_count": 0}, "grid"),
        ({"grid": "GRID", "swept_on": "2099-01-05", "found_count": 0}, "swept_on"),
        ({"grid": "GRID", "swept_on": "2026-01-05", "found_count": -1}, "found_count"),
    ],
)
def test_bad_sweeps(api, org, actors, data, field):
    data = {k: (org.grid.pk if v == "GRID" else v) for k, v in data.items()}
    api.force_authenticate(actors.worker)
    response = api.post(reverse("dispute-sweep-list"), data, format="json")
    assert response.status_code == 400 and field in response.json()["fields"]
    assert not DisputeSweep.objects.exists()


def test_who_sweeps_which_grid(api, org, actors):
    data = {"grid": org.sibling_grid.pk, "swept_on": "2026-01-05", "found_count": 1}
    for user, code in (
        (actors.grid_leader, 403),  # not their grid
        (actors.district_leader, 403),
        (actors.other_worker, 403),
        (actors.worker, 201),
    ):
        api.force_authenticate(user)
        assert api.post(reverse("dispute-sweep-list"), data, format="json").status_code == code
    api.force_authenticate(actors.other_worker)
    assert api.get(reverse("dispute-sweep-list")).json()["count"] == 0
    api.force_authenticate(actors.district_leader)
    assert api.get(reverse("dispute-sweep-list")).status_code == 403


def test_the_reception_roster(api, org, actors, people):
    api.force_authenticate(actors.worker)
    data = {
        "community": org.community.pk,
        "day": "2026-02-03",
        "time_slot": "9:00-11:30",
        "place": "居委会",
        "receivers": [actors.worker.pk, people.owner.pk],
    }
    response = api.post(reverse("dispute-reception-day-list"), data, format="json")
    assert response.status_code == 201, response.json()
    assert len(response.json()["receivers"]) == 2
    again = api.post(reverse("dispute-reception-day-list"), data, format="json")
    assert again.status_code == 409
    for bad, field in (({"receivers": []}, "receivers"), ({"time_slot": ""}, "time_slot")):
        response = api.post(
            reverse("dispute-reception-day-list"),
            {**data, "day": "2026-02-04", **bad},
            format="json",
        )
        assert response.status_code == 400 and field in response.json()["fields"]
    api.force_authenticate(actors.other_worker)
    response = api.post(
        reverse("dispute-reception-day-list"), {**data, "day": "2026-03-01"}, format="json"
    )
    assert response.status_code == 400 and "community" in response.json()["fields"]
    assert ReceptionDay.objects.count() == 1
    assert datetime.date(2026, 2, 3) == ReceptionDay.objects.get().day


def _slot(actors, people, org, day="2026-01-05"):
    from disputes.services import reception_day_schedule

    return reception_day_schedule(
        actor=actors.worker,
        community=org.community,
        day=datetime.date.fromisoformat(day),
        time_slot="9:00-11:30",
        receivers=[people.owner],
    )


def test_reception_records(api, org, actors, people):
    from disputes.models import ReceptionRecord

    slot = _slot(actors, people, org)
    url = reverse("dispute-reception-record-list", args=[slot.pk])
    api.force_authenticate(people.owner)  # a receiver of the slot
    response = api.post(url, {"resident": people.zhang.pk, "matter": "反映楼上漏水"}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["visitor"] == "张三丰"
    for data, field in (
        ({"matter": "x"}, "visitor"),
        ({"visitor": "来访人", "matter": ""}, "matter"),
        ({"resident": people.outsider.pk, "matter": "x"}, "resident"),
    ):
        response = api.post(url, data, format="json")
        assert response.status_code == 400 and field in response.json()["fields"], response.json()
    future = _slot(actors, people, org, day="2099-01-01")
    response = api.post(
        reverse("dispute-reception-record-list", args=[future.pk]),
        {"visitor": "某人", "matter": "x"},
        format="json",
    )
    assert response.status_code == 400 and "reception" in response.json()["fields"]
    assert ReceptionRecord.objects.count() == 1
    for user, code in ((actors.other_worker, 404), (actors.district_leader, 403)):
        api.force_authenticate(user)
        assert api.get(url).status_code == code
        assert api.post(url, {"visitor": "x", "matter": "x"}, format="json").status_code == code
    api.force_authenticate(actors.grid_leader)  # sees the community's roster? no: grid scope
    assert api.get(url).status_code == 404
    api.force_authenticate(actors.street_admin)
    body = api.get(url).json()
    assert body["count"] == 1
    roster = api.get(reverse("dispute-reception-day-list")).json()["results"]
    assert {r["id"]: r["record_count"] for r in roster}[slot.pk] == 1
    assert ReceptionRecord.objects.count() == 1
