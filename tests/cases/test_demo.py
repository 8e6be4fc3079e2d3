"""The demo's grid events (core.demo.cases): built through the real services on a small demo."""

import pytest

import core.demo.cases as demo_cases
from accounts.models import User
from cases.models import Department, GridEvent
from core.demo.builder import DemoBuilder
from notifications import clocks

pytestmark = pytest.mark.django_db
SEED = 20260101


@pytest.fixture
def extra(monkeypatch):
    real = demo_cases.build_cases
    # If the builder already calls build_cases, build the rest first and the cases here, so
    # the returned counts are this call's.
    monkeypatch.setattr(demo_cases, "build_cases", lambda built, *, seed: {})
    built = DemoBuilder(residents=300, seed=SEED).build()
    monkeypatch.undo()
    return real(built, seed=SEED)


def test_the_demo_cases(extra):
    assert set(extra["cases_events"]) == set(GridEvent.State.values)
    assert extra["cases_overdue"] >= 2
    assert extra["cases_departments"] == Department.objects.count() == 5
    assert "dept_chengguan" in extra["cases_staff_logins"]
    lines = demo_cases.summary_lines(extra)
    assert any("dept_chengguan" in line for line in lines)
    assert any("网格事件" in line for line in lines)
    # The department logins work with the published password.
    assert User.objects.get(username="dept_wuye").check_password("Demo-2026!")
    # Nothing stamped in the future; on-time and 周周清 flags both ways.
    events = GridEvent.objects.all()
    assert GridEvent.objects.filter(handled_on_time=False).exists()
    assert GridEvent.objects.filter(handled_on_time=True).exists()
    assert GridEvent.objects.filter(reopened_count__gt=0).exists()
    for event in events:
        for step in event.steps.all():
            assert step.at <= event.updated_at or step.verb in ("overdue", "escalated")
    # The overdue ones remind their department when the sweep runs.
    assert clocks.reminders_sweep()["sent"] >= 2
