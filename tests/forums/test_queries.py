"""List endpoints cost the same number of queries at 1 row and at 50."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.scope import forget_scope
from forums import services
from forums.models import MustActivity
from tests.factories import CommunityFactory
from tests.factories.forums import ForumFactory, MeetingFactory, MemberFactory

pytestmark = pytest.mark.django_db


def _count(api, path, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(path, {"page_size": 60, **(params or {})})
    assert response.status_code == 200, response.json()
    return len(ctx.captured_queries), response.json()["count"]


def _same_cost(api, path, grow, params=None):
    _count(api, path, params)  # warm the per-user caches (scope, home)
    queries_one, rows_one = _count(api, path, params)
    grow()
    _count(api, path, params)
    queries_many, rows_many = _count(api, path, params)
    assert rows_many >= 50 > rows_one >= 1, (rows_one, rows_many)
    assert queries_many == queries_one, (queries_one, queries_many)


def _held(forum, actor, n):
    for _i in range(n):
        meeting = MeetingFactory(forum=forum)
        MemberFactory(forum=forum)
        services.meeting_hold(
            actor=actor,
            meeting=meeting,
            minutes="纪要",
            present_members=list(forum.members.all()[:1]),
            decisions=[{"text": "决定"}],
        )


@pytest.mark.parametrize("who", ["resident", "worker", "district_leader"])
def test_meeting_list(api, org, actors, forum, residents, who):
    user = residents.home if who == "resident" else getattr(actors, who)
    _held(forum, actors.worker, 1)
    api.force_authenticate(user)
    _same_cost(api, "/api/v1/forum-meetings/", lambda: _held(forum, actors.worker, 50))


@pytest.mark.parametrize("who", ["resident", "street_admin"])
def test_forum_list(api, org, actors, forum, residents, who):
    user = residents.home if who == "resident" else getattr(actors, who)
    api.force_authenticate(user)

    def grow():
        for _i in range(50):
            MemberFactory(forum=ForumFactory(community=org.community))

    _same_cost(api, "/api/v1/forums/", grow)


def test_must_activity_list(api, org, actors):
    today = timezone.localdate()

    def record(n):
        for _i in range(n):
            services.must_record(
                actor=actors.worker,
                community=org.community,
                kind="moral_review",
                held_on=today - datetime.timedelta(days=1),
                title="评议",
            )

    record(1)
    api.force_authenticate(actors.street_admin)
    _same_cost(api, "/api/v1/monthly-musts/activities/", lambda: record(50))


def test_musts_table(api, org, actors):
    api.force_authenticate(actors.street_admin)

    def grow():
        for community in [CommunityFactory(street=org.street) for _i in range(50)]:
            MustActivity.objects.create(
                community=community,
                kind="policy_talk",
                held_on=timezone.localdate(),
                month=timezone.localdate().replace(day=1),
                title="宣讲",
            )
        forget_scope(actors.street_admin)  # its communities are resolved once per request

    _same_cost(api, "/api/v1/monthly-musts/", grow)
