"""Row locks under simultaneous requests (PostgreSQL: separate connections): a meeting is held
once, and a resident joins a forum once, whoever clicks at the same moment."""

import threading

import pytest
from django.db import connection

from core.exceptions import ApplicationError
from forums import services
from forums.models import Attendance, ForumMember, MeetingEvent
from tests.factories import ResidentFactory

SKIP = "needs PostgreSQL: concurrent connections racing on row locks; SQLite serialises writers"


def _race(calls):
    barrier = threading.Barrier(len(calls))
    outcomes = []

    def run(call):
        try:
            barrier.wait()
            call()
            outcomes.append("ok")
        except ApplicationError as exc:
            outcomes.append(exc.code)
        except Exception as exc:  # pragma: no cover - reported below
            outcomes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(outcomes)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_meeting_is_held_once(org, actors, forum, meeting):
    if connection.vendor != "postgresql":
        pytest.skip(SKIP)

    def hold():
        services.meeting_hold(
            actor=actors.worker,
            meeting=meeting,
            minutes="纪要",
            present_members=[forum.chair],
            decisions=[{"text": "决定"}],
        )

    assert _race([hold] * 5) == ["conflict"] * 4 + ["ok"]
    assert Attendance.objects.filter(meeting=meeting).count() == 2
    assert MeetingEvent.objects.filter(meeting=meeting, verb="hold").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_resident_joins_once(org, actors, forum):
    if connection.vendor != "postgresql":
        pytest.skip(SKIP)
    resident = ResidentFactory(community=org.community)

    def join():
        services.forum_member_add(actor=actors.worker, forum=forum, resident=resident)

    assert _race([join] * 5) == ["invalid"] * 4 + ["ok"]
    assert ForumMember.objects.filter(forum=forum, resident=resident).count() == 1
