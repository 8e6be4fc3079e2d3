"""Who sees which results, and when: per cadre for the street's admins after close, per body
for staff after close and for the community once published; nothing for anyone below the
minimum of participants; nothing before close."""

import io

import pytest
from openpyxl import load_workbook

from cadres import services
from cadres.exports import result_columns
from cadres.models import MIN_PARTICIPANTS

from .conftest import vote_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(open_round, actors, voters):
    # Five residents: 3 satisfied with everyone, 1 basically, 1 unsatisfied with the director.
    vote_all(open_round, voters[:3], [3, 3, 3])
    vote_all(open_round, voters[3:4], [2, 2, 2])
    vote_all(open_round, voters[4:5], [3, 1, 3])
    services.round_close(actor=actors.worker, round=open_round)
    open_round.refresh_from_db()
    return open_round


def _get(api, user, round_, what):
    api.force_authenticate(user)
    return api.get(f"/api/v1/cadre-rounds/{round_.pk}/{what}/")


def test_street_admin_reads_per_cadre_results(api, closed, actors):
    data = _get(api, actors.street_admin, closed, "results").json()
    assert data["participants"] == 5
    director = next(c for c in data["cadres"] if c["name"] == "李主任")
    assert (director["satisfied"], director["basically_satisfied"], director["unsatisfied"]) == (
        3,
        1,
        1,
    )
    assert director["total"] == 5 and director["mean"] == 2.4
    assert director["satisfied_share"] == 60.0 and director["approval_share"] == 80.0
    branch = next(b for b in data["bodies"] if b["body"] == "party_branch")
    assert branch["satisfied"] == 4 and branch["total"] == 5
    assert data["overall"]["total"] == 15


@pytest.mark.parametrize("who", ["worker", "district_leader", "grid_leader", "superuser"])
def test_staff_read_aggregates_after_close(api, closed, actors, who):
    response = _get(api, getattr(actors, who), closed, "aggregates")
    assert response.status_code == 200
    data = response.json()
    assert "cadres" not in data
    committee = next(b for b in data["bodies"] if b["body"] == "neighbourhood_committee")
    assert committee["total"] == 10 and committee["satisfied"] == 7


@pytest.mark.parametrize("who", ["worker", "district_leader", "grid_leader", "resident"])
def test_per_cadre_results_refused_to_all_but_street_admins(api, closed, actors, who):
    assert _get(api, getattr(actors, who), closed, "results").status_code in (403, 404)
    assert _get(api, getattr(actors, who), closed, "export").status_code in (403, 404)


def test_other_streets_admin_gets_404(api, closed, actors):
    assert _get(api, actors.foreign_admin, closed, "results").status_code == 404


def test_residents_see_aggregates_once_published(api, closed, actors, voters, outsider):
    assert _get(api, voters[0], closed, "aggregates").status_code == 403
    assert _get(api, voters[0], closed, "results").status_code == 403
    services.round_publish_results(actor=actors.street_admin, round=closed)
    response = _get(api, voters[0], closed, "aggregates")
    assert response.status_code == 200 and response.json()["participants"] == 5
    assert _get(api, voters[0], closed, "results").status_code == 403
    assert "view_aggregates" in api.get("/api/v1/cadre-rounds/current/").json()["actions"]
    assert _get(api, outsider, closed, "aggregates").status_code == 404


def test_nothing_before_close(api, open_round, actors, voters):
    vote_all(open_round, voters[:5])
    for who, what in (
        (actors.street_admin, "results"),
        (actors.street_admin, "aggregates"),
        (actors.worker, "aggregates"),
        (actors.superuser, "results"),
    ):
        assert _get(api, who, open_round, what).status_code in (403, 409)


def test_nothing_below_the_minimum_for_anyone(api, open_round, actors, voters):
    vote_all(open_round, voters[: MIN_PARTICIPANTS - 1])
    services.round_close(actor=actors.worker, round=open_round)
    services.round_publish_results(actor=actors.street_admin, round=open_round)
    for who, what in (
        (actors.street_admin, "results"),
        (actors.street_admin, "export"),
        (actors.superuser, "results"),
        (actors.worker, "aggregates"),
        (voters[0], "aggregates"),
    ):
        response = _get(api, who, open_round, what)
        assert response.status_code == 409, (who, what)
        assert "少于" in response.json()["detail"]
    api.force_authenticate(actors.street_admin)
    detail = api.get(f"/api/v1/cadre-rounds/{open_round.pk}/").json()
    assert "少于" in detail["results_note"] and "view_results" not in detail["actions"]


def test_export_per_cadre_never_names_a_voter(api, closed, actors, voters):
    response = _get(api, actors.street_admin, closed, "export")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["概况", "结果"]
    rows = list(book["结果"].values)
    assert list(rows[0]) == result_columns()
    assert [r[2] for r in rows[1:4]] == ["张书记", "李主任", "王委员"]
    text = " ".join(str(v) for ws in book for row in ws.values for v in row if v is not None)
    for voter in voters:
        assert voter.real_name not in text and voter.username not in text
