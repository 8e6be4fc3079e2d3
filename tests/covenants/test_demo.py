"""The demo's covenants (core.demo.covenants): built through the real services on a small
demo, on top of what the existing demo builds (compounds from the board's demo)."""

from decimal import Decimal

import pytest

import core.demo.covenants as demo_covenants
from core.demo.builder import DemoBuilder
from covenants.models import Covenant, CovenantVersion, FundEntry, Signature
from covenants.selectors import fund_totals

pytestmark = pytest.mark.django_db

SEED = 20260101


@pytest.fixture
def extra(monkeypatch):
    real = demo_covenants.build_covenants
    # If the builder already calls build_covenants, build the rest first and covenants here.
    monkeypatch.setattr(demo_covenants, "build_covenants", lambda built, *, seed: {})
    built = DemoBuilder(residents=300, seed=SEED).build()
    monkeypatch.undo()
    return real(built, seed=SEED)


def test_the_demo_covenants(extra):
    assert set(extra["covenants"]) == {
        "draft",
        "discussion",
        "signing",
        "in_force",
        "not_adopted",
        "repealed",
        "cancelled",
    }
    assert extra["covenant_signatures"] > 5 and extra["covenant_paper_signatures"] >= 1
    assert extra["covenant_comments"] >= 3
    fund = Covenant.objects.get(collects_funds=True)
    assert fund.status == "in_force"
    assert fund_totals(fund)["received"] == Decimal("320000.00")
    assert FundEntry.objects.filter(kind="reversal").count() == 1
    amended = Covenant.objects.get(title="小区公共收益使用公约")
    states = list(
        CovenantVersion.objects.filter(covenant=amended)
        .order_by("number")
        .values_list("state", flat=True)
    )
    assert states == ["superseded", "in_force"]
    signing = Covenant.objects.get(status="signing")
    assert signing.current_version.signing_closes_at > signing.current_version.signing_opens_at
    # Moved into the past consistently: nothing signed before its window opened.
    for signature in Signature.objects.select_related("version"):
        assert signature.signed_at >= signature.version.signing_opens_at
    lines = demo_covenants.summary_lines(extra)
    assert any("规约" in line for line in lines)
    # The demo reset finds every covenant row through scope_paths.
    from core.demo.reset import delete_demo

    assert delete_demo()
    assert not Covenant.objects.exists() and not FundEntry.objects.exists()
