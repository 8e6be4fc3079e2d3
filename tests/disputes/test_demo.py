"""The demo's disputes (core.demo.disputes): built through the real services on a small demo."""

import pytest

import core.demo.disputes as demo_disputes
from core.demo.builder import DemoBuilder
from disputes.models import DisputeCase, DisputeSweep
from notifications import clocks

pytestmark = pytest.mark.django_db

SEED = 20260101


@pytest.fixture
def extra(monkeypatch):
    real = demo_disputes.build_disputes
    # If the builder already calls build_disputes, build the rest first and disputes here,
    # so the returned counts are this call's.
    monkeypatch.setattr(demo_disputes, "build_disputes", lambda built, *, seed: {})
    built = DemoBuilder(residents=300, seed=SEED).build()
    monkeypatch.undo()
    return real(built, seed=SEED)


def test_the_demo_disputes(extra):
    assert set(extra["dispute_cases"]) == set(DisputeCase.Status.values)
    assert extra["dispute_sweeps"] > extra["dispute_sweeps_nothing_found"] > 0
    assert extra["dispute_reception_days"] >= 5 and extra["dispute_reception_records"] >= 3
    assert extra["dispute_agreements"] >= 1
    assert extra["dispute_followups_overdue"] >= 1 and extra["dispute_followups_due_soon"] >= 1
    lines = demo_disputes.summary_lines(extra)
    assert any("矛盾纠纷" in line for line in lines)
    cases = DisputeCase.objects.all()
    # The past is consistent: outcome after intake, every worked case has an owner.
    for case in cases.exclude(outcome_at=None):
        assert case.outcome_at > case.created_at and case.owner_id
    assert cases.filter(outcome="agreement").exclude(agreement_file="").exists()
    assert cases.filter(outcome="referred", referred_to_kind="court").exists()
    assert DisputeSweep.objects.filter(found_count=0).exists()
    assert cases.filter(followup_on_time=False).exists()
    # The reminder sweep picks the due ones up (once).
    sent = clocks.reminders_sweep()["sent"]
    assert sent >= 2
    assert clocks.reminders_sweep()["sent"] == 0
    from core.demo.reset import delete_demo

    assert delete_demo()
    assert not DisputeCase.objects.exists() and not DisputeSweep.objects.exists()
