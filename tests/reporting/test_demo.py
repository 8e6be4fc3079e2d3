"""The demo's lists sent upward (core.demo.reporting): built through the real services."""

import pytest

import core.demo.reporting as demo_reporting
from core.demo.builder import DemoBuilder
from reporting.models import ReportItem, UpwardReport

pytestmark = pytest.mark.django_db

SEED = 20260101


@pytest.fixture
def extra(monkeypatch):
    real = demo_reporting.build_reporting
    # If the builder already calls build_reporting, build the rest first and it here.
    monkeypatch.setattr(demo_reporting, "build_reporting", lambda built, *, seed: {})
    built = DemoBuilder(residents=300, seed=SEED).build()
    monkeypatch.undo()
    return real(built, seed=SEED)


def test_the_demo_lists(extra):
    assert extra["reporting_reports"] == {"draft": 1, "submitted": 1, "closed": 1}
    assert set(extra["reporting_items"]) == set(ReportItem.Status.values)
    submitted = UpwardReport.objects.get(status="submitted")
    assert submitted.kind == "practical_projects" and submitted.submitted_at
    assert UpwardReport.objects.get(status="draft").kind == "opinion_report"
    assert ReportItem.objects.filter(topic__isnull=False).exists()
    assert ReportItem.objects.filter(grid_event__isnull=False).exists()
    declined = ReportItem.objects.get(status="not_accepted")
    assert declined.status_reason and declined.events.filter(verb="status").exists()
    assert all(i.result_note for i in ReportItem.objects.filter(status="done"))
    lines = demo_reporting.summary_lines(extra)
    assert any("上报清单" in line for line in lines) and any("已采纳" in line for line in lines)

    from core.demo.reset import delete_demo

    assert delete_demo()
    assert not UpwardReport.objects.exists() and not ReportItem.objects.exists()
