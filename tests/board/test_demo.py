"""The demo's board (core.demo.board): built through the real services on a small demo."""

import time

import pytest
from django.db.models import F

import core.demo.board as demo_board
from board.models import Consultation, Notice, NoticeAck, Response
from board.selectors import consultation_results
from core.demo.builder import DemoBuilder
from grids.models import Building, Compound

pytestmark = pytest.mark.django_db

SEED = 20260101


@pytest.fixture
def extra(monkeypatch):
    real = demo_board.build_board
    # If the builder already calls build_board, build the rest first and the board here,
    # so the returned counts are this call's.
    monkeypatch.setattr(demo_board, "build_board", lambda built, *, seed: {})
    built = DemoBuilder(residents=300, seed=SEED).build()
    monkeypatch.undo()
    started = time.perf_counter()
    extra = real(built, seed=SEED)
    extra["seconds"] = time.perf_counter() - started
    return extra


def test_the_demo_board(extra):
    """One build (it takes a while), several checks."""
    _every_state(extra)
    _compounds_hold_their_own_communitys_buildings()
    _notices_and_consultations_are_consistent()
    _the_dashboard_counts_the_demo()
    _the_reset_removes_it()


def _every_state(extra):
    assert extra["board_compounds"] >= 5
    assert set(extra["board_notices"]) == {"draft", "scheduled", "live", "expired", "withdrawn"}
    assert set(extra["board_consultations"]) == {"draft", "upcoming", "open", "closed", "cancelled"}
    assert extra["board_responses"] > 10 and extra["board_paper_responses"] >= 2
    lines = demo_board.summary_lines(extra)
    assert any("意见征询" in line for line in lines)


def _compounds_hold_their_own_communitys_buildings():
    assert (
        not Building.objects.exclude(compound=None)
        .exclude(compound__community=F("community"))
        .exists()
    )
    # Villages' groups are not compounds.
    assert not Compound.objects.filter(community__kind="village").exists()
    assert Building.objects.exclude(compound=None).exists()


def _notices_and_consultations_are_consistent():
    gas = Notice.objects.get(title__contains="燃气安全入户检查")
    assert gas.requires_ack and NoticeAck.objects.filter(notice=gas).count() == 12
    withdrawn = Notice.objects.get(status="withdrawn")
    assert withdrawn.withdraw_reason
    household = Consultation.objects.filter(one_per="household", audience="compound").first()
    assert household is not None
    sheets = Response.objects.filter(consultation=household)
    assert sheets.count() == sheets.values("household").distinct().count()
    assert sheets.filter(channel="paper", entered_by__isnull=False).exists() or not sheets.exists()
    closed = Consultation.objects.closed().get()
    results = consultation_results(closed)
    assert results["turnout"]["responses"] > 0
    assert results["turnout"]["eligible"] >= results["turnout"]["responses"]
    assert not Response.objects.filter(
        consultation=closed, submitted_at__gt=closed.closes_at
    ).exists()
    assert Consultation.objects.get(status="cancelled").cancel_reason


def _the_dashboard_counts_the_demo():
    import datetime

    from django.utils import timezone

    from board.dashboard import figures_by_community
    from dashboards.periods import Period
    from grids.models import Community

    today = timezone.localdate()
    period = Period("custom", today - datetime.timedelta(days=60), today)
    closed = Consultation.objects.closed().get()
    figures = figures_by_community(
        communities=Community.objects.all(), period=period, now=timezone.now()
    )
    row = figures[closed.community_id]
    turnout = consultation_results(closed)["turnout"]
    assert row["consultations_closed"] == 1
    assert row["consultation_responses"] == turnout["responses"]
    assert row["consultation_eligible"] == turnout["eligible"]
    assert row["paper_responses"] == turnout["paper"]
    assert sum(r["notices_published"] for r in figures.values()) >= 3


def _the_reset_removes_it():
    from core.demo.reset import delete_demo

    assert delete_demo()
    assert not Compound.objects.exists()
    assert not Notice.objects.exists() and not Consultation.objects.exists()
    assert not Response.objects.exists()
