"""The portable median (window functions) against hand-worked values and, on PostgreSQL,
against the database's own percentile_cont."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from dashboards.periods import parse_period
from dashboards.selectors.median import median_by_unit
from dashboards.selectors.sources import topic_querysets
from proposals.models import Topic
from tests.factories.proposals import TopicFactory

SH = datetime.timezone(datetime.timedelta(hours=8))
START = datetime.datetime(2026, 12, 1, 9, tzinfo=SH)
NEEDS_PG = "percentile_cont is PostgreSQL's; SQLite has no ordered-set aggregates"


def _answered(community, minutes):
    for i, m in enumerate(minutes):
        raised = START + datetime.timedelta(days=i)
        TopicFactory(
            community=community,
            raised_at=raised,
            first_responded_at=raised + datetime.timedelta(minutes=m),
            responded_on_time=m <= 240,
            state=Topic.State.ANSWERED,
        )


def _medians(org):
    period = parse_period("month", "2026-12")
    responded = topic_querysets(period, timezone.now())["responded"]
    return median_by_unit(responded, where={"community__street": org.street.pk}, group="community")


def test_odd_even_single_and_empty(org):
    _answered(org.community, [50, 10, 30, 20, 40])  # odd: the middle one
    _answered(org.sibling_community, [90, 10, 60, 20])  # even: the mean of 20 and 60
    TopicFactory(community=org.sibling_street_community, raised_at=START)  # other street
    medians = _medians(org)
    assert medians == {
        org.community.pk: datetime.timedelta(minutes=30),
        org.sibling_community.pk: datetime.timedelta(minutes=40),
    }


def test_ties_and_one_topic(org):
    _answered(org.community, [15, 15, 15, 60])
    _answered(org.sibling_community, [7])
    medians = _medians(org)
    assert medians[org.community.pk] == datetime.timedelta(minutes=15)
    assert medians[org.sibling_community.pk] == datetime.timedelta(minutes=7)


@pytest.mark.postgres
def test_same_as_percentile_cont(org):
    if connection.vendor != "postgresql":
        pytest.skip(NEEDS_PG)
    _answered(org.community, [3, 500, 47, 47, 12, 999, 61, 5])
    _answered(org.sibling_community, [1, 2, 3, 4, 5, 6, 7])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT community_id, percentile_cont(0.5) WITHIN GROUP "
            "(ORDER BY first_responded_at - raised_at) FROM proposals_topic "
            "WHERE first_responded_at IS NOT NULL GROUP BY community_id"
        )
        expected = dict(cursor.fetchall())
    assert _medians(org) == expected
