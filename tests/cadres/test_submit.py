"""Taking part: every cadre scored at once, once per resident, only while open, only for the
community's verified residents; bad input writes nothing."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from cadres import services
from cadres.models import Participation, ScoreTally
from core.exceptions import ApplicationError

from .conftest import sheet

pytestmark = pytest.mark.django_db


def _counts(round_):
    return {
        (t.cadre.name, t.value): t.count
        for t in ScoreTally.objects.filter(round=round_).select_related("cadre")
        if t.count
    }


def _nothing_written(round_):
    assert not Participation.objects.filter(round=round_).exists()
    assert set(ScoreTally.objects.filter(round=round_).values_list("count", flat=True)) == {0}


def test_resident_scores_every_cadre_once(api, open_round, voters):
    api.force_authenticate(voters[0])
    detail = api.get("/api/v1/cadre-rounds/current/").json()
    assert detail["id"] == open_round.pk
    assert detail["can_take_part"] is True and detail["has_taken_part"] is False
    assert [c["label"] for c in detail["choices"]] == ["满意", "基本满意", "不满意"]
    assert "submit" in detail["actions"]
    response = api.post(
        f"/api/v1/cadre-rounds/{open_round.pk}/submit/",
        {"scores": sheet(open_round, [3, 2, 1])},
        format="json",
    )
    assert response.status_code == 201
    assert response.json() == {"round": open_round.pk, "has_taken_part": True}
    assert _counts(open_round) == {("张书记", 3): 1, ("李主任", 2): 1, ("王委员", 1): 1}
    assert Participation.objects.get().user == voters[0]
    detail = api.get("/api/v1/cadre-rounds/current/").json()
    assert detail["has_taken_part"] is True and detail["can_take_part"] is False
    assert detail["reason_code"] == "taken_part" and "submit" not in detail["actions"]
    # A second time: 409, and nothing more counted.
    again = api.post(
        f"/api/v1/cadre-rounds/{open_round.pk}/submit/",
        {"scores": sheet(open_round)},
        format="json",
    )
    assert again.status_code == 409
    assert sum(_counts(open_round).values()) == 3


def _bad_sheets(round_):
    cadres = list(round_.cadres.order_by("position"))
    full = sheet(round_)
    return [
        (full[:2], f"scores.{cadres[2].pk}"),  # a cadre missing
        ([*full, {"cadre": 999999, "value": 3}], "scores"),  # unknown cadre
        ([*full[:2], {"cadre": cadres[2].pk, "value": 5}], f"scores.{cadres[2].pk}"),
        ([*full[:2], {"cadre": cadres[2].pk, "value": 0}], f"scores.{cadres[2].pk}"),
        ([*full, full[0]], f"scores.{cadres[0].pk}"),  # the same cadre twice
        ([], f"scores.{cadres[0].pk}"),
    ]


@pytest.mark.parametrize("n", range(6))
def test_bad_sheets_are_400_with_the_field_and_write_nothing(api, open_round, voters, n):
    scores, field = _bad_sheets(open_round)[n]
    api.force_authenticate(voters[0])
    response = api.post(
        f"/api/v1/cadre-rounds/{open_round.pk}/submit/", {"scores": scores}, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()["fields"]
    _nothing_written(open_round)


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"scores": "3"},
        {"scores": [{"cadre": "x", "value": 3}]},
        {"scores": [{"cadre": 1, "value": "很好"}]},
    ],
)
def test_malformed_bodies(api, open_round, voters, body):
    api.force_authenticate(voters[0])
    response = api.post(f"/api/v1/cadre-rounds/{open_round.pk}/submit/", body, format="json")
    assert response.status_code == 400
    assert "scores" in response.json()["fields"]
    _nothing_written(open_round)


def test_a_value_given_as_text_digit_counts(open_round, voters):
    scores = [{"cadre": s["cadre"], "value": "2"} for s in sheet(open_round)]
    services.round_submit(actor=voters[0], round=open_round, scores=scores)
    assert set(_counts(open_round)) == {(n, 2) for n in ("张书记", "李主任", "王委员")}


@pytest.mark.parametrize(
    ("who", "code", "reason"),
    [
        ("pending", 403, "not_verified"),
        ("outsider", 403, None),  # another community: the round is not even visible
        ("worker", 403, "not_verified"),  # staff account, no resident record
    ],
)
def test_who_may_not_take_part(api, open_round, actors, pending, outsider, who, code, reason):
    user = {"pending": pending, "outsider": outsider, "worker": actors.worker}[who]
    api.force_authenticate(user)
    response = api.post(
        f"/api/v1/cadre-rounds/{open_round.pk}/submit/",
        {"scores": sheet(open_round)},
        format="json",
    )
    assert response.status_code == (404 if who == "outsider" else code)
    if reason:
        detail = api.get(f"/api/v1/cadre-rounds/{open_round.pk}/").json()
        assert detail["can_take_part"] is False and detail["reason_code"] == reason
    _nothing_written(open_round)


def test_anonymous_is_refused(api, open_round):
    response = api.post(
        f"/api/v1/cadre-rounds/{open_round.pk}/submit/",
        {"scores": sheet(open_round)},
        format="json",
    )
    assert response.status_code in (401, 403)
    _nothing_written(open_round)


def test_not_before_the_window_nor_after_it(open_round, voters):
    with time_machine.travel(open_round.opens_at - datetime.timedelta(minutes=1), tick=False):
        with pytest.raises(ApplicationError) as exc:
            services.round_submit(actor=voters[0], round=open_round, scores=sheet(open_round))
        assert exc.value.code == "conflict" and "尚未开始" in exc.value.message
    with time_machine.travel(open_round.closes_at, tick=False):
        with pytest.raises(ApplicationError) as exc:
            services.round_submit(actor=voters[0], round=open_round, scores=sheet(open_round))
        assert exc.value.code == "conflict" and "截止" in exc.value.message
    with time_machine.travel(open_round.closes_at - datetime.timedelta(seconds=1), tick=False):
        services.round_submit(actor=voters[0], round=open_round, scores=sheet(open_round))
    assert Participation.objects.count() == 1


@pytest.mark.parametrize("state", ["draft", "closed", "cancelled"])
def test_not_in_other_states(draft, actors, voters, state):
    if state != "draft":
        services.round_open(actor=actors.worker, round=draft)
    if state == "closed":
        services.round_close(actor=actors.worker, round=draft)
    if state == "cancelled":
        services.round_cancel(actor=actors.worker, round=draft, reason="取消")
    with pytest.raises(ApplicationError) as exc:
        services.round_submit(actor=voters[0], round=draft, scores=sheet(draft))
    assert exc.value.code in ("conflict", "forbidden")
    assert not Participation.objects.exists()


def test_residents_never_see_a_draft(api, draft, voters):
    api.force_authenticate(voters[0])
    assert api.get(f"/api/v1/cadre-rounds/{draft.pk}/").status_code == 404
    assert api.get("/api/v1/cadre-rounds/current/").status_code == 404
    assert api.get("/api/v1/cadre-rounds/").json()["count"] == 0


def test_current_prefers_the_open_round(api, org, actors, open_round, voters):
    from tests.factories.cadres import ReviewRoundFactory, add_cadres

    last_year = ReviewRoundFactory(
        community=org.community,
        year=open_round.year - 1,
        opens_at=timezone.now() - datetime.timedelta(days=400),
        closes_at=timezone.now() + datetime.timedelta(days=1),
    )
    add_cadres(last_year)
    services.round_open(actor=actors.worker, round=last_year)
    services.round_close(actor=actors.worker, round=last_year)
    api.force_authenticate(voters[0])
    assert api.get("/api/v1/cadre-rounds/current/").json()["id"] == open_round.pk
    services.round_close(actor=actors.worker, round=open_round)
    assert api.get("/api/v1/cadre-rounds/current/").json()["id"] == open_round.pk
