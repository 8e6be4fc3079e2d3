"""The round's workflow: every legal move, every forbidden one, who may make it, bad input."""

import datetime

import pytest
from django.utils import timezone

from cadres import services
from cadres.models import Body, Cadre, ReviewRound, ReviewRoundEvent, ScoreTally
from core.exceptions import ApplicationError
from tests.factories.cadres import ReviewRoundFactory

from .conftest import vote_all

pytestmark = pytest.mark.django_db
Status = ReviewRound.Status


def _window():
    now = timezone.now()
    return {"opens_at": now, "closes_at": now + datetime.timedelta(days=10)}


# -- create -------------------------------------------------------------------------------------


def test_worker_creates_a_draft_with_a_default_title(org, actors):
    r = services.round_create(actor=actors.worker, community=org.community, year=2026, **_window())
    assert r.status == Status.DRAFT and r.title == "2026年度一居两委干部测评"
    assert ReviewRoundEvent.objects.filter(round=r, verb="create").exists()


def test_one_round_per_community_and_year(org, actors):
    services.round_create(actor=actors.worker, community=org.community, year=2026, **_window())
    with pytest.raises(ApplicationError) as exc:
        services.round_create(actor=actors.worker, community=org.community, year=2026, **_window())
    assert exc.value.fields == {"year": ["该居民区本年度已有测评。"]}
    assert ReviewRound.objects.count() == 1


@pytest.mark.parametrize(
    "who", ["district_leader", "grid_leader", "other_worker", "foreign_admin", "resident"]
)
def test_who_may_not_create(org, actors, who):
    with pytest.raises(ApplicationError) as exc:
        services.round_create(
            actor=getattr(actors, who), community=org.community, year=2026, **_window()
        )
    assert exc.value.code == "forbidden"
    assert not ReviewRound.objects.exists()


def test_create_over_the_api(api, org, actors):
    api.force_authenticate(actors.street_admin)
    body = {"community": org.community.pk, "year": 2026, **_window()}
    response = api.post("/api/v1/cadre-rounds/", body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["status"] == "draft" and "add_cadre" in data["actions"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"year": "abc"}, "year"),
        ({"year": 1999}, "year"),
        ({"community": 999999}, "community"),
        ({"closes_at": "2020-01-01T00:00:00Z"}, "closes_at"),
        ({"title": "x" * 101}, "title"),
        ({"opens_at": None}, "opens_at"),
    ],
)
def test_create_bad_input(api, org, actors, change, field):
    api.force_authenticate(actors.worker)
    body = {"community": org.community.pk, "year": 2026, **_window(), **change}
    response = api.post("/api/v1/cadre-rounds/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert not ReviewRound.objects.exists()


def test_create_refused_over_the_api(api, org, actors):
    api.force_authenticate(actors.district_leader)
    body = {"community": org.community.pk, "year": 2026, **_window()}
    assert api.post("/api/v1/cadre-rounds/", body, format="json").status_code == 403
    api.force_authenticate(actors.resident)
    assert api.post("/api/v1/cadre-rounds/", body, format="json").status_code == 403


# -- cadres -------------------------------------------------------------------------------------


def test_cadres_are_listed_and_removed_on_a_draft(api, draft, actors):
    api.force_authenticate(actors.worker)
    url = f"/api/v1/cadre-rounds/{draft.pk}/cadres/"
    response = api.post(url, {"name": "赵委员", "body": "party_branch", "post": "委员"})
    assert response.status_code == 201
    assert [c["name"] for c in response.json()["cadres"]][-1] == "赵委员"
    added = Cadre.objects.get(name="赵委员")
    assert added.position == 4
    response = api.delete(f"{url}{added.pk}/")
    assert response.status_code == 200
    assert not Cadre.objects.filter(pk=added.pk).exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "", "body": "party_branch", "post": "委员"}, "name"),
        ({"name": "甲", "body": "owners", "post": "委员"}, "body"),
        ({"name": "甲", "body": "party_branch", "post": ""}, "post"),
        ({"name": "张书记", "body": "party_branch", "post": "书记"}, "name"),  # already listed
    ],
)
def test_cadre_bad_input(api, draft, actors, body, field):
    api.force_authenticate(actors.worker)
    response = api.post(f"/api/v1/cadre-rounds/{draft.pk}/cadres/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert draft.cadres.count() == 3


def test_one_person_on_both_bodies_is_listed_twice(draft, actors):
    services.cadre_add(
        actor=actors.worker,
        round=draft,
        name="张书记",
        body=Body.NEIGHBOURHOOD_COMMITTEE,
        post="主任",
    )
    assert draft.cadres.filter(name="张书记").count() == 2


def test_cadre_list_is_fixed_once_open(open_round, actors):
    with pytest.raises(ApplicationError) as exc:
        services.cadre_add(
            actor=actors.worker, round=open_round, name="新", body="party_branch", post="委员"
        )
    assert exc.value.code == "conflict"
    with pytest.raises(ApplicationError):
        services.cadre_remove(actor=actors.worker, cadre=open_round.cadres.first())
    assert open_round.cadres.count() == 3


def test_cadres_refused_to_others(api, draft, actors):
    for who in (actors.district_leader, actors.grid_leader):
        api.force_authenticate(who)
        response = api.post(
            f"/api/v1/cadre-rounds/{draft.pk}/cadres/",
            {"name": "甲", "body": "party_branch", "post": "委员"},
        )
        assert response.status_code == 403
    api.force_authenticate(actors.other_worker)  # another community: not even visible
    response = api.post(
        f"/api/v1/cadre-rounds/{draft.pk}/cadres/",
        {"name": "甲", "body": "party_branch", "post": "委员"},
    )
    assert response.status_code == 404
    assert draft.cadres.count() == 3


# -- the moves ----------------------------------------------------------------------------------


def test_open_makes_zero_counters_for_every_cadre_and_grade(open_round):
    assert open_round.status == Status.OPEN and open_round.opened_at
    assert ScoreTally.objects.filter(round=open_round).count() == 9
    assert set(ScoreTally.objects.values_list("count", flat=True)) == {0}


def test_open_needs_cadres_and_a_future_deadline(org, actors):
    empty = ReviewRoundFactory(community=org.community)
    with pytest.raises(ApplicationError) as exc:
        services.round_open(actor=actors.worker, round=empty)
    assert "cadres" in exc.value.fields
    past = ReviewRoundFactory(
        community=org.sibling_community,
        opens_at=timezone.now() - datetime.timedelta(days=9),
        closes_at=timezone.now() - datetime.timedelta(days=1),
    )
    services.cadre_add(
        actor=actors.street_admin, round=past, name="甲", body="party_branch", post="书记"
    )
    with pytest.raises(ApplicationError) as exc:
        services.round_open(actor=actors.street_admin, round=past)
    assert "closes_at" in exc.value.fields


def test_full_path_over_the_api(api, draft, actors, voters):
    api.force_authenticate(actors.worker)
    base = f"/api/v1/cadre-rounds/{draft.pk}/"
    assert api.post(f"{base}open/").json()["status"] == "open"
    vote_all(draft, voters[:5])
    data = api.post(f"{base}close/").json()
    assert data["status"] == "closed"
    assert data["participant_count"] == 5 and data["eligible_count"] == 6
    # Publishing the results is the street admin's step.
    assert api.post(f"{base}publish-results/").status_code == 403
    api.force_authenticate(actors.street_admin)
    data = api.post(f"{base}publish-results/").json()
    assert data["status"] == "published"
    verbs = [e["verb"] for e in data["events"]]
    assert verbs == ["create", "open", "close", "publish"] or verbs[-3:] == [
        "open",
        "close",
        "publish",
    ]


def test_cancel_from_draft_and_open_with_a_reason(api, draft, org, actors):
    api.force_authenticate(actors.worker)
    response = api.post(f"/api/v1/cadre-rounds/{draft.pk}/cancel/", {"reason": ""})
    assert response.status_code == 400 and "reason" in response.json()["fields"]
    response = api.post(f"/api/v1/cadre-rounds/{draft.pk}/cancel/", {"reason": "换届推迟"})
    assert response.json()["status"] == "cancelled"
    assert response.json()["cancel_reason"] == "换届推迟"
    other = ReviewRoundFactory(community=org.community, year=2020)
    services.cadre_add(
        actor=actors.worker, round=other, name="甲", body="party_branch", post="书记"
    )
    services.round_open(actor=actors.worker, round=other)
    services.round_cancel(actor=actors.worker, round=other, reason="重新组织")
    other.refresh_from_db()
    assert other.status == Status.CANCELLED


FORBIDDEN = [
    # (state reached, move)
    ("draft", "close"),
    ("draft", "publish"),
    ("open", "open"),
    ("open", "publish"),
    ("closed", "open"),
    ("closed", "close"),
    ("closed", "cancel"),
    ("published", "open"),
    ("published", "close"),
    ("published", "publish"),
    ("published", "cancel"),
    ("cancelled", "open"),
    ("cancelled", "close"),
    ("cancelled", "publish"),
    ("cancelled", "cancel"),
]


def _reach(r, state, actors):
    if state in ("open", "closed", "published"):
        services.round_open(actor=actors.worker, round=r)
    if state in ("closed", "published"):
        services.round_close(actor=actors.worker, round=r)
    if state == "published":
        services.round_publish_results(actor=actors.street_admin, round=r)
    if state == "cancelled":
        services.round_cancel(actor=actors.worker, round=r, reason="取消")


def _move(r, move, actors):
    if move == "open":
        services.round_open(actor=actors.worker, round=r)
    elif move == "close":
        services.round_close(actor=actors.worker, round=r)
    elif move == "publish":
        services.round_publish_results(actor=actors.street_admin, round=r)
    else:
        services.round_cancel(actor=actors.worker, round=r, reason="取消")


@pytest.mark.parametrize(("state", "move"), FORBIDDEN)
def test_forbidden_moves(draft, actors, state, move):
    _reach(draft, state, actors)
    draft.refresh_from_db()
    with pytest.raises(ApplicationError) as exc:
        _move(draft, move, actors)
    assert exc.value.code == "conflict"
    draft.refresh_from_db()
    assert draft.status == state


@pytest.mark.parametrize(
    ("move", "who"),
    [
        ("open", "district_leader"),
        ("open", "grid_leader"),
        ("open", "resident"),
        ("close", "district_leader"),
        ("close", "grid_leader"),
        ("cancel", "grid_leader"),
        ("cancel", "district_leader"),
    ],
)
def test_moves_refused_to_readers(api, draft, actors, move, who):
    if move == "close":
        services.round_open(actor=actors.worker, round=draft)
    api.force_authenticate(getattr(actors, who))
    response = api.post(f"/api/v1/cadre-rounds/{draft.pk}/{move}/", {"reason": "x"})
    assert response.status_code in (403, 404)
    before = draft.status if move != "close" else "open"
    draft.refresh_from_db()
    assert draft.status == before


def test_moves_out_of_scope_are_404(api, draft, actors):
    for who in (actors.other_worker, actors.foreign_admin):
        api.force_authenticate(who)
        assert api.post(f"/api/v1/cadre-rounds/{draft.pk}/open/").status_code == 404
        assert api.get(f"/api/v1/cadre-rounds/{draft.pk}/").status_code == 404


def test_community_worker_may_not_publish_results(draft, actors, voters):
    _reach(draft, "closed", actors)
    with pytest.raises(ApplicationError) as exc:
        services.round_publish_results(actor=actors.worker, round=draft)
    assert exc.value.code == "forbidden"


def test_draft_update_only_while_draft(draft, actors):
    services.round_update(actor=actors.worker, round=draft, title="新标题")
    draft.refresh_from_db()
    assert draft.title == "新标题"
    with pytest.raises(ApplicationError):
        services.round_update(actor=actors.worker, round=draft, year=2000)
    with pytest.raises(ApplicationError) as exc:
        services.round_update(
            actor=actors.worker, round=draft, closes_at=draft.opens_at - datetime.timedelta(1)
        )
    assert "closes_at" in exc.value.fields
    services.round_open(actor=actors.worker, round=draft)
    with pytest.raises(ApplicationError) as exc:
        services.round_update(actor=actors.worker, round=draft, title="又改")
    assert exc.value.code == "conflict"


@pytest.mark.parametrize(
    ("query", "field"), [({"year": "abc"}, "year"), ({"status": "x"}, "status")]
)
def test_list_filters_bad_input(api, draft, actors, query, field):
    api.force_authenticate(actors.worker)
    response = api.get("/api/v1/cadre-rounds/", query)
    assert response.status_code == 400 and field in response.json()["fields"]


def test_list_filters(api, draft, org, actors):
    ReviewRoundFactory(community=org.sibling_community)
    api.force_authenticate(actors.street_admin)
    assert api.get("/api/v1/cadre-rounds/").json()["count"] == 2
    query = {"community": org.community.pk, "status": "draft"}
    rows = api.get("/api/v1/cadre-rounds/", query).json()["results"]
    assert [r["id"] for r in rows] == [draft.pk]
