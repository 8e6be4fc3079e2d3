"""List endpoints cost the same number of queries at 1 row and at 50."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from board import services
from board.models import Notice
from tests.factories.board import ConsultationFactory, NoticeFactory, add_questions, board_resident

from .conftest import answers

pytestmark = pytest.mark.django_db


def _count(api, path):
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(path, {"page_size": 50})
    assert response.status_code == 200, response.json()
    return len(ctx.captured_queries), response.json()["count"]


def _same_cost(api, path, grow):
    _count(api, path)  # warm the per-user caches (scope, home)
    queries_one, rows_one = _count(api, path)
    grow()
    queries_many, rows_many = _count(api, path)
    assert rows_many >= 50 > rows_one >= 1, (rows_one, rows_many)
    assert queries_many == queries_one, (queries_one, queries_many)


def _notices(org, place, n):
    kinds = [
        {"audience": "community", "community": org.community},
        {"audience": "compound", "community": org.community, "compound": place.compound_a},
        {"audience": "building", "community": org.community, "building": place.a1},
        {"audience": "street", "community": None, "street": org.street},
    ]
    made = [NoticeFactory(**kinds[i % 4], requires_ack=bool(i % 2)) for i in range(n)]
    Notice.objects.filter(pk__in=[n.pk for n in made]).update(
        status="published", publish_at="2026-01-01T00:00:00Z"
    )
    return made


@pytest.mark.parametrize("who", ["resident", "worker", "grid_leader", "district_leader"])
def test_notice_list(api, org, actors, place, who):
    user = place.alice if who == "resident" else getattr(actors, who)
    for notice in _notices(org, place, 1):
        services.notice_mark_read(actor=place.alice, notice=notice)
    api.force_authenticate(user)
    _same_cost(api, "/api/v1/notices/", lambda: _notices(org, place, 52))


def test_unacknowledged_list(api, org, actors, place):
    notice = NoticeFactory(community=org.community, requires_ack=True)
    services.notice_publish(actor=actors.worker, notice=notice)
    api.force_authenticate(actors.worker)
    path = f"/api/v1/notices/{notice.pk}/unacknowledged/"

    def grow():
        for i in range(50):
            board_resident(org.community, building=place.b1, real_name=f"居民{i}")

    _same_cost(api, path, grow)


def _consultations(org, actors, n):
    for _i in range(n):
        c = ConsultationFactory(community=org.community)
        add_questions(c)
        services.consultation_publish(actor=actors.worker, consultation=c)


@pytest.mark.parametrize("who", ["resident", "worker", "district_leader"])
def test_consultation_list(api, org, actors, place, who):
    user = place.alice if who == "resident" else getattr(actors, who)
    _consultations(org, actors, 1)
    api.force_authenticate(user)
    _same_cost(api, "/api/v1/consultations/", lambda: _consultations(org, actors, 50))


def test_responses_list_and_results(api, org, actors, place):
    c = ConsultationFactory(community=org.community)
    c.single, c.multiple, c.text = add_questions(c)
    services.consultation_publish(actor=actors.worker, consultation=c)
    services.consultation_respond(actor=place.alice, consultation=c, answers=answers(c))
    api.force_authenticate(actors.worker)
    path = f"/api/v1/consultations/{c.pk}/responses/"

    def grow():
        for i in range(50):
            person = board_resident(org.community, building=place.b1, real_name=f"居民{i}")
            services.consultation_respond(
                actor=person, consultation=c, answers=answers(c, single=i % 3, text=f"意见{i}")
            )

    _count(api, path)
    with CaptureQueriesContext(connection) as ctx:
        api.get(f"/api/v1/consultations/{c.pk}/results/")
    results_before = len(ctx.captured_queries)
    _same_cost(api, path, grow)
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(f"/api/v1/consultations/{c.pk}/results/")
    assert response.json()["turnout"]["responses"] == 51
    assert len(ctx.captured_queries) == results_before
    _queries, opinions = _count(api, f"/api/v1/consultations/{c.pk}/opinions/")
    assert opinions == 50
