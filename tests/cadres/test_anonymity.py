"""Nobody can learn who gave which score: the tables, the API, the admin and the export hold
no link between a participant and a score."""

import json

import pytest
from django.contrib import admin
from django.db import connection, models

from cadres.admin import ParticipationAdmin
from cadres.apis import serializers as apis
from cadres.exports import result_columns
from cadres.models import Participation, ScoreTally

from .conftest import vote_all

pytestmark = pytest.mark.django_db


def _related_models(model):
    return {f.related_model for f in model._meta.get_fields() if f.is_relation}


def test_a_score_counter_names_nobody_and_no_moment():
    from django.contrib.auth import get_user_model

    fields = {f.name: f for f in ScoreTally._meta.get_fields()}
    assert set(fields) == {"id", "round", "cadre", "value", "count"}
    related = _related_models(ScoreTally)
    assert get_user_model() not in related and Participation not in related
    assert not any(isinstance(f, models.DateField) for f in ScoreTally._meta.fields)


def test_participation_holds_no_score():
    fields = {f.name for f in Participation._meta.get_fields()}
    assert fields == {"id", "round", "user", "at"}
    assert ScoreTally not in _related_models(Participation)


def test_database_schema_has_no_foreign_key_from_scores_to_people():
    with connection.cursor() as cursor:
        relations = connection.introspection.get_relations(cursor, ScoreTally._meta.db_table)
    targets = {table for _column, table in relations.values()}
    assert targets == {"cadres_reviewround", "cadres_cadre"}


def test_counters_exist_before_the_first_vote(open_round, voters):
    """Their ids cannot follow the order in which residents voted."""
    before = sorted(ScoreTally.objects.filter(round=open_round).values_list("pk", flat=True))
    vote_all(open_round, voters[:3])
    after = sorted(ScoreTally.objects.filter(round=open_round).values_list("pk", flat=True))
    assert before == after


def test_no_serializer_puts_a_score_beside_a_person():
    people = {"user", "participant", "participants_list", "voter", "username", "real_name"}
    with_scores = [
        apis.CadreResultsOut,
        apis.CadreAggregatesOut,
        apis.CadreResultOut,
        apis.CadreBodySummaryOut,
    ]
    for serializer in with_scores:
        assert not people & set(serializer().fields), serializer
    # What says a person took part says nothing of scores.
    score_words = {"value", "score", "scores", "satisfied", "mean", "count_by_value"}
    for serializer in (apis.CadreRoundOut, apis.CadreRoundListOut, apis.CadreSubmittedOut):
        assert not score_words & set(serializer().fields), serializer


def test_admin_has_no_score_page_and_participation_shows_no_score():
    assert ScoreTally not in admin.site._registry
    assert set(ParticipationAdmin.list_display) == {"round", "participant", "at"}
    assert "value" not in ParticipationAdmin.fields


def test_export_columns_name_no_participant():
    assert not {"参与人", "居民", "姓名（参与人）", "账号", "参与时间"} & set(result_columns())


def test_no_api_response_joins_a_voter_to_a_score(api, open_round, actors, voters):
    vote_all(open_round, voters[:5], [3, 2, 1])
    from cadres import services

    services.round_close(actor=actors.worker, round=open_round)
    services.round_publish_results(actor=actors.street_admin, round=open_round)
    api.force_authenticate(actors.street_admin)
    base = f"/api/v1/cadre-rounds/{open_round.pk}/"
    bodies = [
        api.get(base).json(),
        api.get(f"{base}results/").json(),
        api.get(f"{base}aggregates/").json(),
        api.get("/api/v1/cadre-rounds/").json(),
    ]
    text = json.dumps(bodies, ensure_ascii=False)
    for voter in voters:
        assert voter.real_name not in text
        assert f'"user": {voter.pk}' not in text
