"""Elections: every move and every forbidden one, eligibility (another compound, unverified,
no household), one ballot per household, paper ballots, the count with its tie rule, the
committee formed, the public timeline; the API's permission matrix and bad input."""

import datetime
import io

import pytest
import time_machine
from django.utils import timezone
from openpyxl import load_workbook

from core.exceptions import ApplicationError
from property_governance import services
from property_governance.models import (
    Ballot,
    BallotChoice,
    Candidate,
    CommitteeMember,
    Election,
    ElectionEvent,
    OwnersCommittee,
)
from property_governance.services.elections import TRANSITIONS

from .conftest import candidates

pytestmark = pytest.mark.django_db

URL = "/api/v1/property/elections/"
S = Election.Status


def url(e, suffix=""):
    return f"{URL}{e.pk}/{suffix}"


def after_close(election):
    return time_machine.travel(election.closes_at + datetime.timedelta(minutes=1), tick=False)


# ---------------------------------------------------------------------------------------------
# The moves


def test_the_whole_path_to_a_new_committee(place, actors, voting):
    c = candidates(voting)
    services.election_vote(actor=place.alice, election=voting, candidates=[c[0].pk, c[1].pk])
    services.election_vote(actor=place.erin, election=voting, candidates=[c[1].pk, c[3].pk])
    services.election_paper_ballot(
        actor=actors.worker, election=voting, resident=place.sun, candidates=[c[1].pk, c[0].pk]
    )
    old = OwnersCommittee.objects.get(area=place.area, status="serving")
    with after_close(voting):
        services.election_count(actor=actors.worker, election=voting)
    voting.refresh_from_db()
    assert voting.status == S.COUNTED and voting.counted_at
    assert voting.ballots_counted == 3
    assert voting.eligible_households == 3  # households 1, 2 and 4 live in compound A
    votes = {x.position: (x.votes, x.elected) for x in candidates(voting)}
    # Bob (position 3) has no vote: not elected even with a free seat.
    assert votes == {1: (2, True), 2: (3, True), 3: (0, False), 4: (1, True)}
    committee = voting.committee
    assert committee.status == "serving" and committee.term_number == 2
    assert committee.term_ends_on == voting.term_ends_on
    members = CommitteeMember.objects.filter(committee=committee)
    assert members.count() == 3 and all(m.election_id == voting.pk for m in members)
    old.refresh_from_db()
    assert old.status == "ended" and old.ended_on
    verbs = list(ElectionEvent.objects.filter(election=voting).values_list("verb", flat=True))
    assert verbs == [*["candidate_add"] * 4, "publish_candidates", "open_voting", "count"]


def test_tie_at_the_last_seat_goes_to_the_earlier_position(place, actors, election):
    election.seats = 1
    election.save()
    services.election_publish_candidates(actor=actors.worker, election=election)
    services.election_open_voting(actor=actors.worker, election=election)
    c = candidates(election)
    services.election_vote(actor=place.alice, election=election, candidates=[c[3].pk])
    services.election_vote(actor=place.erin, election=election, candidates=[c[1].pk])
    with after_close(election):
        services.election_count(actor=actors.worker, election=election)
    elected = Candidate.objects.filter(election=election, elected=True)
    assert [x.position for x in elected] == [2]


def test_a_preparing_committee_is_filled_by_the_count(place, actors):
    from tests.factories.property_governance import ElectionFactory

    today = timezone.localdate()
    prep = services.committee_create(
        actor=actors.worker,
        area=place.area_b,
        term_starts_on=today,
        term_ends_on=today + datetime.timedelta(days=1825),
        status="preparing",
    )
    e = ElectionFactory(area=place.area_b, seats=1)
    assert e.term_number == 2  # the factory's; the service takes the preparing one's
    e = services.election_create(
        actor=actors.worker,
        area=place.area_b,
        title="首届业委会选举",
        seats=1,
        closes_at=timezone.now() + datetime.timedelta(days=3),
        term_starts_on=today + datetime.timedelta(days=10),
        term_ends_on=today + datetime.timedelta(days=1835),
    )
    assert e.term_number == prep.term_number
    services.election_candidate_add(actor=actors.worker, election=e, resident=place.carol.resident)
    services.election_publish_candidates(actor=actors.worker, election=e)
    services.election_open_voting(actor=actors.worker, election=e)
    services.election_vote(actor=place.carol, election=e, candidates=[candidates(e)[0].pk])
    with after_close(e):
        services.election_count(actor=actors.worker, election=e)
    prep.refresh_from_db()
    assert prep.status == "serving" and prep.members.count() == 1
    e.refresh_from_db()
    assert e.committee_id == prep.pk


@pytest.mark.parametrize("start", [S.DRAFT, S.CANDIDATES_PUBLISHED, S.VOTING])
def test_cancel_with_a_reason_from_every_open_state(place, actors, election, start):
    if start != S.DRAFT:
        services.election_publish_candidates(actor=actors.worker, election=election)
    if start == S.VOTING:
        services.election_open_voting(actor=actors.worker, election=election)
    services.election_cancel(actor=actors.worker, election=election, reason="候选人资格有争议")
    election.refresh_from_db()
    assert election.status == S.CANCELLED and election.cancel_reason == "候选人资格有争议"
    event = ElectionEvent.objects.filter(election=election).last()
    assert (event.verb, event.from_state, event.note) == ("cancel", start, "候选人资格有争议")


def _reach(election, actors, status):
    w = actors.worker
    if status == S.DRAFT:
        return
    if status == S.CANCELLED:
        services.election_cancel(actor=w, election=election, reason="重新组织")
        return
    services.election_publish_candidates(actor=w, election=election)
    if status == S.CANDIDATES_PUBLISHED:
        return
    services.election_open_voting(actor=w, election=election)
    if status == S.COUNTED:
        with after_close(election):
            services.election_count(actor=w, election=election)


MOVES = {
    S.CANDIDATES_PUBLISHED: lambda w, e: services.election_publish_candidates(actor=w, election=e),
    S.VOTING: lambda w, e: services.election_open_voting(actor=w, election=e),
    S.COUNTED: lambda w, e: services.election_count(actor=w, election=e),
    S.CANCELLED: lambda w, e: services.election_cancel(actor=w, election=e, reason="理由"),
}


@pytest.mark.parametrize(
    ("start", "target"),
    [(a, b) for a in S for b in MOVES if b not in TRANSITIONS[a]],
)
def test_every_forbidden_move_is_a_conflict(place, actors, election, start, target):
    _reach(election, actors, start)
    election.refresh_from_db()
    with after_close(election), pytest.raises(ApplicationError) as err:
        MOVES[target](actors.worker, election)
    assert err.value.code == "conflict"
    election.refresh_from_db()
    assert election.status == start


def test_count_before_the_close_and_a_short_list_are_refused(place, actors, election):
    election.seats = 5
    election.save()
    with pytest.raises(ApplicationError) as err:
        services.election_publish_candidates(actor=actors.worker, election=election)
    assert err.value.code == "invalid" and "candidates" in err.value.fields
    election.seats = 3
    election.save()
    services.election_publish_candidates(actor=actors.worker, election=election)
    services.election_open_voting(actor=actors.worker, election=election)
    with pytest.raises(ApplicationError) as err:
        services.election_count(actor=actors.worker, election=election)
    assert err.value.code == "conflict"


def test_a_draft_candidate_can_be_withdrawn_and_the_list_stays_in_order(place, actors, election):
    services.election_candidate_remove(actor=actors.worker, candidate=candidates(election)[0])
    assert [c.position for c in candidates(election)] == [1, 2, 3]
    assert ElectionEvent.objects.filter(election=election, verb="candidate_remove").exists()


def test_the_candidate_list_is_fixed_once_published(place, actors, election):
    services.election_publish_candidates(actor=actors.worker, election=election)
    with pytest.raises(ApplicationError) as err:
        services.election_candidate_add(
            actor=actors.worker, election=election, resident=place.hank.resident
        )
    assert err.value.code == "conflict"


def test_a_candidate_must_live_in_the_area(place, actors, election):
    with pytest.raises(ApplicationError) as err:
        services.election_candidate_add(
            actor=actors.worker, election=election, resident=place.carol.resident
        )
    assert err.value.fields.keys() == {"resident"}


# ---------------------------------------------------------------------------------------------
# Ballots


def test_one_ballot_per_household(place, voting):
    c = candidates(voting)
    services.election_vote(actor=place.alice, election=voting, candidates=[c[0].pk])
    with pytest.raises(ApplicationError) as err:
        services.election_vote(actor=place.bob, election=voting, candidates=[c[1].pk])
    assert err.value.code == "conflict"
    assert Ballot.objects.filter(election=voting).count() == 1
    assert BallotChoice.objects.filter(ballot__election=voting).count() == 1


@pytest.mark.parametrize(
    ("who", "reason"),
    [
        ("carol", "仅限"),  # another compound
        ("dave", "实名"),  # not verified
        ("hank", "住户信息"),  # no household
        ("olga", "本区域"),  # another community
    ],
)
def test_who_may_not_vote(place, voting, who, reason):
    with pytest.raises(ApplicationError) as err:
        services.election_vote(
            actor=getattr(place, who), election=voting, candidates=[candidates(voting)[0].pk]
        )
    assert err.value.code == "forbidden" and reason in err.value.message
    assert not Ballot.objects.exists()


def test_no_ballot_outside_the_window(place, actors, election):
    c = candidates(election)
    with pytest.raises(ApplicationError) as err:
        services.election_vote(actor=place.alice, election=election, candidates=[c[0].pk])
    assert err.value.code == "conflict"
    services.election_publish_candidates(actor=actors.worker, election=election)
    services.election_open_voting(actor=actors.worker, election=election)
    with after_close(election), pytest.raises(ApplicationError) as err:
        services.election_vote(actor=place.alice, election=election, candidates=[c[0].pk])
    assert err.value.code == "conflict"


def test_paper_ballot_records_the_worker_and_counts_for_the_household(place, actors, voting):
    c = candidates(voting)
    ballot = services.election_paper_ballot(
        actor=actors.worker, election=voting, resident=place.sun, candidates=[c[0].pk], note="上门"
    )
    assert ballot.channel == "paper" and ballot.entered_by == actors.worker
    assert ballot.household_id == place.home_4.pk
    with pytest.raises(ApplicationError) as err:
        services.election_paper_ballot(
            actor=actors.worker, election=voting, resident=place.sun, candidates=[c[1].pk]
        )
    assert err.value.code == "conflict"
    with pytest.raises(ApplicationError) as err:
        services.election_paper_ballot(
            actor=actors.worker,
            election=voting,
            resident=place.carol.resident,
            candidates=[c[1].pk],
        )
    assert err.value.fields.keys() == {"resident"}


# ---------------------------------------------------------------------------------------------
# API


def test_resident_sees_the_household_voted_and_cannot_vote_again(api, place, voting):
    c = candidates(voting)
    api.force_authenticate(place.alice)
    response = api.post(url(voting, "vote/"), {"candidates": [c[0].pk, c[2].pk]}, format="json")
    assert response.status_code == 201, response.json()
    api.force_authenticate(place.bob)
    body = api.get(url(voting)).json()
    assert body["my_household_voted"] is True and body["can_vote"] is False
    assert "投过票" in body["cannot_vote_reason"]
    assert body["turnout"] == {"eligible_households": 3, "ballots": 1, "rate": 33.3}
    assert all(x["votes"] is None for x in body["candidates"])  # not before the count
    response = api.post(url(voting, "vote/"), {"candidates": [c[1].pk]}, format="json")
    assert response.status_code == 409
    api.force_authenticate(place.erin)
    body = api.get(url(voting)).json()
    assert body["can_vote"] is True and "vote" in body["actions"]
    listed = api.get(URL).json()["results"]
    assert [(x["id"], x["my_household_voted"]) for x in listed] == [(voting.pk, False)]


def test_results_once_counted(api, place, actors, voting):
    c = candidates(voting)
    services.election_vote(actor=place.alice, election=voting, candidates=[c[0].pk])
    with after_close(voting):
        services.election_count(actor=actors.worker, election=voting)
        api.force_authenticate(place.carol)  # same community, not a voter: still public
        body = api.get(url(voting)).json()
    assert body["counted"] is True and body["status"] == "counted"
    assert [x["votes"] for x in body["candidates"]] == [1, 0, 0, 0]
    assert [x["elected"] for x in body["candidates"]] == [True, False, False, False]
    assert body["tie_rule"] and [e["verb"] for e in body["events"]][-1] == "count"
    assert "投票" in body["cannot_vote_reason"] or body["cannot_vote_reason"]


def test_worker_moves_through_the_api(api, place, actors):
    api.force_authenticate(actors.worker)
    today = timezone.localdate()
    response = api.post(
        URL,
        {
            "area": place.area.pk,
            "title": "第一届业委会选举",
            "seats": 1,
            "closes_at": (timezone.now() + datetime.timedelta(days=5)).isoformat(),
            "term_starts_on": str(today + datetime.timedelta(days=10)),
            "term_ends_on": str(today + datetime.timedelta(days=1835)),
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    e = Election.objects.get()
    assert response.json()["actions"][:2] == ["add_candidate", "publish_candidates"]
    response = api.post(url(e, "candidates/"), {"resident": place.alice.resident.pk}, format="json")
    assert response.status_code == 200, response.json()
    assert api.post(url(e, "publish-candidates/")).status_code == 200
    assert api.post(url(e, "open-voting/")).json()["status"] == "voting"
    response = api.post(
        url(e, "paper-ballots/"),
        {"resident": place.sun.pk, "candidates": [candidates(e)[0].pk]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    with after_close(e):
        body = api.post(url(e, "count/")).json()
    assert body["status"] == "counted" and body["turnout"]["ballots"] == 1
    response = api.get(url(e, "export/"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["概况", "候选人", "投票户"]
    assert book["候选人"]["C2"].value == 1


def test_district_leader_exports_without_households(api, place, actors, voting):
    api.force_authenticate(actors.district_leader)
    response = api.get(url(voting, "export/"))
    assert response.status_code == 200
    assert load_workbook(io.BytesIO(response.content)).sheetnames == ["概况", "候选人"]


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 403),
        ("resident", 404),  # a resident never sees a draft
        ("grid_leader", 403),
        ("district_leader", 403),
        ("other_worker", 404),
        ("foreign_admin", 404),
    ],
)
def test_who_may_not_move_an_election(api, place, actors, election, who, expected):
    user = getattr(actors, who)
    if user is not None:
        api.force_authenticate(user)
    for suffix in ("publish-candidates/", "cancel/"):
        response = api.post(url(election, suffix), {"reason": "x"}, format="json")
        assert response.status_code in (expected, 401), (suffix, response.json())
    election.refresh_from_db()
    assert election.status == S.DRAFT


def test_residents_do_not_see_drafts_or_other_communities(api, place, actors, election):
    api.force_authenticate(place.alice)
    assert api.get(url(election)).status_code == 404
    services.election_publish_candidates(actor=actors.worker, election=election)
    assert api.get(url(election)).status_code == 200
    api.force_authenticate(place.olga)
    assert api.get(url(election)).status_code == 404
    api.force_authenticate(actors.other_worker)
    assert api.get(url(election)).status_code == 404


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"candidates": []}, "candidates"),
        ({"candidates": ["x"]}, "candidates"),
        ({"candidates": [999999]}, "candidates"),
        ({}, "candidates"),
    ],
)
def test_bad_ballots_are_400_and_write_nothing(api, place, voting, payload, field):
    api.force_authenticate(place.alice)
    response = api.post(url(voting, "vote/"), payload, format="json")
    assert response.status_code == 400
    body = response.json()
    assert field in (body.get("fields") or body)
    assert not Ballot.objects.exists()


def test_too_many_choices_and_duplicates_are_400(api, place, voting):
    c = [x.pk for x in candidates(voting)]
    api.force_authenticate(place.alice)
    for choice in (c, [c[0], c[0]]):
        response = api.post(url(voting, "vote/"), {"candidates": choice}, format="json")
        assert response.status_code == 400 and "candidates" in response.json()["fields"]
    assert not Ballot.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": ""}, "title"),
        ({"seats": 0}, "seats"),
        ({"closes_at": "yesterday"}, "closes_at"),
        ({"term_ends_on": "2020-01-01"}, "term_ends_on"),
        ({"area": 999999}, "area"),
    ],
)
def test_bad_election_drafts_are_400_and_write_nothing(api, place, actors, change, field):
    api.force_authenticate(actors.worker)
    today = timezone.localdate()
    payload = {
        "area": place.area.pk,
        "title": "选举",
        "seats": 3,
        "closes_at": (timezone.now() + datetime.timedelta(days=5)).isoformat(),
        "term_starts_on": str(today),
        "term_ends_on": str(today + datetime.timedelta(days=1800)),
        **change,
    }
    response = api.post(URL, payload, format="json")
    assert response.status_code == 400
    body = response.json()
    assert field in (body.get("fields") or body), body
    assert not Election.objects.exists()


def test_cancel_needs_a_reason(api, actors, election):
    api.force_authenticate(actors.worker)
    response = api.post(url(election, "cancel/"), {"reason": ""}, format="json")
    assert response.status_code == 400 and "reason" in str(response.json())
    election.refresh_from_db()
    assert election.status == S.DRAFT
