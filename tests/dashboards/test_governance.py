"""The self-governance and casework figures on the dashboard: each app's raw counts per
community (its own `dashboard.py`, tested in its own tests) summed up to the unit asked for,
with the shares derived here; none for a micro-grid."""

from types import SimpleNamespace

import pytest

from dashboards import governance
from dashboards.figures import BY_KEY, KEYS

from .conftest import DECEMBER

pytestmark = pytest.mark.django_db

SUMMARY = "/api/v1/dashboard/summary/"
RANKING = "/api/v1/dashboard/ranking/"


def _source(rows):
    """A stand-in for an app's dashboard module: fixed counts per community."""

    def figures_by_community(*, communities, period, now):
        wanted = set(communities.values_list("pk", flat=True))
        return {pk: row for pk, row in rows.items() if pk in wanted}

    return SimpleNamespace(figures_by_community=figures_by_community)


@pytest.fixture
def sources(monkeypatch, org):
    c1, c2 = org.community.pk, org.sibling_community.pk
    board = _source(
        {
            c1: {
                "consultations_closed": 2,
                "consultation_responses": 30,
                "consultation_eligible": 40,
            },
            c2: {
                "consultations_closed": 1,
                "consultation_responses": 10,
                "consultation_eligible": 40,
            },
        }
    )
    cases = _source(
        {
            c1: {"events_filed": 4, "events_handled": 3, "events_handled_on_time": 3},
            c2: {"events_filed": 0, "events_handled": 1, "events_handled_on_time": 0},
        }
    )
    monkeypatch.setattr(governance, "_sources", lambda: [board, cases])
    return c1, c2


def test_every_governance_figure_is_defined_once_and_not_per_grid():
    for key in governance.KEYS:
        assert key in KEYS and not BY_KEY[key].per_grid and str(BY_KEY[key].help)
    assert len(set(governance.KEYS)) == len(governance.KEYS)
    for part, whole in [*governance.SHARES.values(), *governance.MEANS.values()]:
        assert part not in KEYS and whole not in {*KEYS} - {"events_filed", "disputes_resolved"}


def test_counts_are_summed_up_to_the_street_and_shares_derived(api, world, sources):
    admin, street = world.actors.street_admin, world.org.street
    api.force_authenticate(admin)

    body = api.get(SUMMARY, {"unit": f"street:{street.pk}", **DECEMBER}).json()

    figures = body["figures"]
    assert figures["consultations_closed"] == 3
    assert figures["consultation_turnout"] == 50.0  # (30 + 10) / (40 + 40)
    assert figures["events_filed"] == 4
    assert figures["events_on_time_share"] == 75.0  # 3 / 4
    assert figures["events_cleared_within_week_share"] == 0.0  # none reported cleared
    assert figures["cadre_participation"] is None  # nobody eligible: empty, not 0


def test_ranking_gives_each_community_its_own(api, world, sources):
    c1, c2 = sources
    api.force_authenticate(world.actors.street_admin)
    body = api.get(RANKING, {"unit": f"street:{world.org.street.pk}", **DECEMBER}).json()
    rows = {row["id"]: row["figures"] for row in body["rows"]}
    assert rows[c1]["consultation_turnout"] == 75.0
    assert rows[c2]["consultation_turnout"] == 25.0
    assert rows[c2]["events_on_time_share"] == 0.0


def test_a_micro_grid_has_none_of_them(api, world, sources):
    api.force_authenticate(world.actors.street_admin)
    body = api.get(SUMMARY, {"unit": f"grid:{world.org.grid.pk}", **DECEMBER}).json()
    assert all(body["figures"][key] is None for key in governance.KEYS)


def test_the_real_sources_answer_for_every_raw_count_they_are_summed_from(world):
    """Each share's numerator and denominator comes from one of the apps' modules."""
    raw_keys = set()
    for module in governance._sources():
        raw_keys |= {key for key, *_rest in module.FIGURES}
    for key in governance.KEYS:
        derived = governance.SHARES.get(key) or governance.MEANS.get(key)
        if derived:
            assert set(derived) <= raw_keys, key
        else:
            assert key in raw_keys, key


def test_the_mean_days_to_resolve_is_a_mean_not_a_share(api, world, monkeypatch):
    c1 = world.org.community.pk
    disputes = _source({c1: {"disputes_resolved": 4, "disputes_resolve_days_total": 30}})
    monkeypatch.setattr(governance, "_sources", lambda: [disputes])
    api.force_authenticate(world.actors.street_admin)
    body = api.get(SUMMARY, {"unit": f"street:{world.org.street.pk}", **DECEMBER}).json()
    assert body["figures"]["disputes_mean_resolve_days"] == 7.5
    assert body["figures"]["disputes_followups_on_time_share"] is None  # none due
