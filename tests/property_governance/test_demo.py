"""The demo's property governance (core.demo.property_governance), built through the real
services on top of a small demo."""

import datetime

import pytest
import time_machine
from django.utils import timezone

import core.demo.property_governance as demo_property
from core.demo.builder import DemoBuilder
from notifications.clocks import reminders_sweep
from notifications.models import Notification
from property_governance.models import (
    Ballot,
    Election,
    Merge,
    OwnersCommittee,
    PropertyContract,
    PropertySelection,
)

pytestmark = pytest.mark.django_db

SEED = 20260101


@pytest.fixture
def extra(monkeypatch):
    real = demo_property.build_property_governance
    # If the builder already calls it, build the rest first and this part here.
    monkeypatch.setattr(demo_property, "build_property_governance", lambda built, *, seed: {})
    built = DemoBuilder(residents=300, seed=SEED).build()
    monkeypatch.undo()
    return real(built, seed=SEED)


def test_the_demo_property_governance(extra):
    assert extra["property_companies"] == 3
    assert set(extra["property_elections"]) == {
        "draft",
        "candidates_published",
        "voting",
        "counted",
        "cancelled",
    }
    assert set(extra["property_committees"]) >= {"serving", "ended", "merged"}
    assert extra["property_contracts"]["ended"] >= 1 and extra["property_contracts"]["current"] >= 3
    assert extra["property_merges"] == 2 and extra["property_selections"] == 1
    assert extra["property_ballots"] > 5
    assert any("业委会选举" in line for line in demo_property.summary_lines(extra))

    counted = Election.objects.get(status="counted")
    assert counted.ballots_counted and counted.eligible_households >= counted.ballots_counted
    assert counted.committee.status == "serving"
    assert counted.committee.members.filter(role="director").count() == 1
    assert Ballot.objects.filter(election=counted, channel="paper").exists()
    assert not Ballot.objects.filter(election=counted, cast_at__gt=counted.closes_at).exists()
    assert Election.objects.get(status="cancelled").cancel_reason
    merge = Merge.objects.get(kind="committee")
    assert merge.before_committees.count() == 2
    assert set(
        OwnersCommittee.objects.filter(ended_by_merge=merge).values_list("status", flat=True)
    ) == {"merged"}
    selection = PropertySelection.objects.get()
    assert selection.status == "decided" and selection.contract.chosen_by == "selection"
    assert selection.consultation.one_per == "household"
    assert PropertyContract.objects.filter(status="ended", end_reason__gt="").exists()

    # The term-end reminder shows for the committees ending within 90 days.
    soon = OwnersCommittee.objects.filter(
        status="serving", term_ends_on__lte=timezone.localdate() + datetime.timedelta(days=90)
    )
    assert soon.values("area__community").distinct().count() == 2
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=1)):
        reminders_sweep()
    assert Notification.objects.filter(
        kind="property_governance.committee.term_end.90_days"
    ).exists()

    from core.demo.reset import delete_demo

    assert delete_demo()
    assert not Election.objects.exists() and not OwnersCommittee.objects.exists()
