"""The monthly musts 三必做: recording, the derived status (one grouped query), the table and
its export, the reminder before month end (exactly once per community-month)."""

import datetime
import io

import pytest
import time_machine
from openpyxl import load_workbook

from core.exceptions import ApplicationError
from forums import services
from forums.models import MustActivity
from forums.selectors import musts_status
from notifications.clocks import reminders_sweep
from notifications.models import Notification, Reminder
from tests.factories.forums import MeetingFactory
from tests.factories.proposals import TopicFactory
from tests.factories.volunteers import ActivityFactory

pytestmark = pytest.mark.django_db

# Noon in Shanghai, 20 November 2026.
NOV_20 = datetime.datetime(2026, 11, 20, 4, 0, tzinfo=datetime.UTC)
NOV_25 = datetime.datetime(2026, 11, 25, 2, 0, tzinfo=datetime.UTC)


def _record(actor, community, kind, day, **kw):
    return services.must_record(
        actor=actor, community=community, kind=kind, held_on=day, title="活动", **kw
    )


def _all_three(actor, community, month_day):
    for kind in ("moral_review", "deliberation", "policy_talk"):
        _record(actor, community, kind, month_day)


@time_machine.travel(NOV_20, tick=False)
def test_record_sets_the_month(org, actors):
    activity = _record(actors.worker, org.community, "moral_review", datetime.date(2026, 11, 3))
    assert activity.month == datetime.date(2026, 11, 1) and activity.recorded_by == actors.worker


@time_machine.travel(NOV_20, tick=False)
def test_status_and_missed(org, actors, django_assert_num_queries):
    # October: all three in the first community, one missing in the sibling; November running.
    _all_three(actors.worker, org.community, datetime.date(2026, 10, 9))
    _record(actors.street_admin, org.sibling_community, "moral_review", datetime.date(2026, 10, 2))
    _record(actors.street_admin, org.sibling_community, "policy_talk", datetime.date(2026, 10, 3))
    _record(actors.worker, org.community, "deliberation", datetime.date(2026, 11, 2))
    communities = [org.community, org.sibling_community]
    with django_assert_num_queries(1):
        statuses = musts_status(communities, ["2026-10", "2026-11"])
    assert statuses[(org.community.pk, "2026-10")].complete
    missed = statuses[(org.sibling_community.pk, "2026-10")]
    assert missed.missed and missed.missing == ["deliberation"]
    running = statuses[(org.community.pk, "2026-11")]
    assert not running.ended and not running.missed and len(running.missing) == 2
    assert statuses[(org.sibling_community.pk, "2026-11")].done == frozenset()


@time_machine.travel(NOV_20, tick=False)
def test_links_must_belong_to_the_community(org, actors, forum, meeting):
    day = datetime.date(2026, 11, 10)
    meeting.held_at = NOV_20 - datetime.timedelta(days=10)
    meeting.save(update_fields=["held_at"])
    with pytest.raises(ApplicationError) as exc:
        _record(actors.worker, org.community, "deliberation", day, meeting=meeting)
    assert "meeting" in exc.value.fields  # still scheduled
    services.meeting_hold(
        actor=actors.worker, meeting=meeting, minutes="纪要", present_members=[forum.chair]
    )
    linked = _record(actors.worker, org.community, "deliberation", day, meeting=meeting)
    assert linked.meeting == meeting
    other_forum_meeting = MeetingFactory(forum__community=org.sibling_community)
    for kwargs, field in (
        ({"meeting": other_forum_meeting}, "meeting"),
        ({"topic": TopicFactory(community=org.sibling_community)}, "topic"),
        ({"activity": ActivityFactory(community=org.sibling_community)}, "activity"),
    ):
        with pytest.raises(ApplicationError) as exc:
            _record(actors.worker, org.community, "deliberation", day, **kwargs)
        assert field in exc.value.fields
    assert MustActivity.objects.count() == 1


@time_machine.travel(NOV_20, tick=False)
@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"kind": "dance"}, "kind"),
        ({"held_on": datetime.date(2026, 12, 1)}, "held_on"),
        ({"held_on": None}, "held_on"),
        ({"title": ""}, "title"),
    ],
)
def test_record_bad_input(org, actors, kwargs, field):
    args = {"kind": "moral_review", "held_on": datetime.date(2026, 11, 1), "title": "t"}
    with pytest.raises(ApplicationError) as exc:
        services.must_record(actor=actors.worker, community=org.community, **{**args, **kwargs})
    assert field in exc.value.fields
    assert not MustActivity.objects.exists()


@pytest.mark.parametrize(
    "who", ["district_leader", "grid_leader", "other_worker", "foreign_admin", "resident"]
)
def test_record_refused(org, actors, who):
    with pytest.raises(ApplicationError) as exc:
        _record(getattr(actors, who), org.community, "moral_review", datetime.date(2026, 1, 1))
    assert exc.value.code == "forbidden"


# ---------------------------------------------------------------------------------------------
# API


@time_machine.travel(NOV_20, tick=False)
def test_api_record_and_table(api, org, actors):
    api.force_authenticate(actors.worker)
    body = {
        "community": org.community.pk,
        "kind": "moral_review",
        "held_on": "2026-10-08",
        "title": "好人好事评议",
    }
    created = api.post("/api/v1/monthly-musts/activities/", body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["month"] == "2026-10-01"
    listed = api.get("/api/v1/monthly-musts/activities/", {"month": "2026-10"}).json()
    assert listed["count"] == 1
    api.force_authenticate(actors.street_admin)
    table = api.get("/api/v1/monthly-musts/", {"month": "2026-10"}).json()
    rows = {r["community"]["id"]: r for r in table["results"]}
    assert set(rows) == {org.community.pk, org.sibling_community.pk}
    first = rows[org.community.pk]
    assert first["done"] == ["moral_review"] and first["missed"] and first["ended"]
    assert first["state_display"] == "缺项"
    running = api.get("/api/v1/monthly-musts/").json()["results"][0]
    assert running["month"] == "2026-11" and not running["missed"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"kind": "x"}, "kind"),
        ({"held_on": "yesterday"}, "held_on"),
        ({"community": 999999}, "community"),
        ({"title": ""}, "title"),
        ({"meeting": 999999}, "meeting"),
        ({"held_on": "2999-01-01"}, "held_on"),
    ],
)
def test_api_record_bad_input(api, org, actors, payload, field):
    api.force_authenticate(actors.worker)
    body = {"community": org.community.pk, "kind": "moral_review", "held_on": "2026-01-08"}
    body |= {"title": "t", **payload}
    response = api.post("/api/v1/monthly-musts/activities/", body, format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()["fields"]
    assert not MustActivity.objects.exists()


def test_api_table_bad_month(api, actors):
    api.force_authenticate(actors.street_admin)
    response = api.get("/api/v1/monthly-musts/", {"month": "2026-13"})
    assert response.status_code == 400 and "month" in response.json()["fields"]


@pytest.mark.parametrize("who", ["district_leader", "grid_leader", "resident"])
def test_api_record_refused(api, org, actors, who):
    api.force_authenticate(getattr(actors, who))
    body = {"community": org.community.pk, "kind": "moral_review", "held_on": "2026-01-08"}
    response = api.post("/api/v1/monthly-musts/activities/", body | {"title": "t"}, format="json")
    assert response.status_code in (400, 403)
    assert not MustActivity.objects.exists()


def test_api_table_refused_to_residents(api, actors):
    api.force_authenticate(actors.resident)
    assert api.get("/api/v1/monthly-musts/").status_code == 403
    assert api.get("/api/v1/monthly-musts/export/").status_code == 403


@time_machine.travel(NOV_20, tick=False)
def test_export(api, org, actors):
    _all_three(actors.worker, org.community, datetime.date(2026, 10, 9))
    api.force_authenticate(actors.street_admin)
    response = api.get(
        "/api/v1/monthly-musts/export/", {"street": org.street.pk, "month": "2026-10"}
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=5)]
    assert ["甲一街道", "一居", "✓", "✓", "✓", "已完成"] in rows
    assert ["甲一街道", "二居", "✗", "✗", "✗", "缺项"] in rows
    api.force_authenticate(actors.foreign_admin)
    other = api.get("/api/v1/monthly-musts/export/", {"street": org.street.pk})
    # Not theirs: their own street is exported instead, never this one.
    assert "甲一街道".encode() not in other.content


# ---------------------------------------------------------------------------------------------
# The reminder


def test_reminder_on_the_25th_once_per_community_month(org, actors):
    with time_machine.travel(NOV_20, tick=False):
        reminders_sweep()
        assert not Reminder.objects.filter(clock="forums.monthly_musts").exists()
        _all_three(actors.street_admin, org.sibling_community, datetime.date(2026, 11, 3))
        _record(actors.worker, org.community, "moral_review", datetime.date(2026, 11, 3))
    with time_machine.travel(NOV_25, tick=False):
        reminders_sweep()
        reminders_sweep()
    rows = Reminder.objects.filter(clock="forums.monthly_musts")
    community_rows = rows.filter(subject_id=org.community.pk)
    assert community_rows.count() == 1 and community_rows.get().level == "musts:2026-11"
    assert not rows.filter(subject_id=org.sibling_community.pk).exists()
    sent = Notification.objects.filter(
        recipient=actors.worker, kind="forums.monthly_musts.musts:2026-11"
    )
    assert sent.count() == 1
    assert "居民议事" in sent.get().body and "道德评议" not in sent.get().body
    # The next month is a new level: reminded again once.
    with time_machine.travel(NOV_25 + datetime.timedelta(days=30), tick=False):
        reminders_sweep()
    assert rows.filter(subject_id=org.community.pk).count() == 2
