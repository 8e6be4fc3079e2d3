"""The demo's cadres' review (core.demo.cadres): built through the real services on top of
what the demo already builds."""

import pytest
from django.utils import timezone

import core.demo.cadres as demo_cadres
from cadres.models import MIN_PARTICIPANTS, Participation, ReviewRound, ScoreTally
from cadres.selectors import body_aggregates, results_withheld
from core.demo.builder import DemoBuilder

pytestmark = pytest.mark.django_db

SEED = 20260101


@pytest.fixture
def extra(monkeypatch):
    # If the builder already calls build_cadres, build the rest first and the rounds here.
    monkeypatch.setattr(demo_cadres, "build_cadres", lambda built, *, seed: {}, raising=True)
    built = DemoBuilder(residents=300, seed=SEED).build()
    monkeypatch.undo()
    return demo_cadres.build_cadres(built, seed=SEED)


def test_the_demo_rounds(extra):
    assert extra["cadre_rounds"] == {"published": 2, "open": 2, "draft": 1, "cancelled": 1}
    assert extra["cadre_participations"] > 10 and extra["cadre_scores"] > 50
    lines = demo_cadres.summary_lines(extra)
    assert any("两委测评" in line for line in lines)

    year = timezone.now().year
    for last in ReviewRound.objects.filter(year=year - 1):
        assert last.status == "published" and last.closes_at.year == year - 1
        assert last.participant_count >= MIN_PARTICIPANTS and results_withheld(last) is None
        assert body_aggregates(last)["overall"]["total"] == (
            last.participant_count * last.cadres.count()
        )
        assert not Participation.objects.filter(round=last, at__gt=last.closes_at).exists()
    for current in ReviewRound.objects.filter(year=year, status="open"):
        assert current.opens_at < timezone.now() < current.closes_at
        assert Participation.objects.filter(round=current).exists()
        assert ScoreTally.objects.filter(round=current, count__gt=0).exists()
    assert ReviewRound.objects.get(status="cancelled").cancel_reason
    assert ReviewRound.objects.get(status="draft").cadres.exists()

    from core.demo.reset import delete_demo

    assert delete_demo()
    assert not ReviewRound.objects.exists() and not Participation.objects.exists()
