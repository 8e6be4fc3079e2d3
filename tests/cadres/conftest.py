"""A round of org.community with three cadres, opened by its worker; verified residents of the
community to score it, a pending one and one of another community."""

import pytest

from cadres import services
from cadres.models import Rating
from tests.factories.board import board_resident
from tests.factories.cadres import ReviewRoundFactory, add_cadres


@pytest.fixture
def draft(org):
    r = ReviewRoundFactory(community=org.community)
    r.cadre_list = add_cadres(r)
    return r


@pytest.fixture
def open_round(draft, actors):
    services.round_open(actor=actors.worker, round=draft)
    draft.refresh_from_db()
    return draft


@pytest.fixture
def voters(org):
    return [board_resident(org.community, real_name=f"居民{n}") for n in range(6)]


@pytest.fixture
def pending(org):
    return board_resident(org.community, verified=False, real_name="待核验")


@pytest.fixture
def outsider(org):
    return board_resident(org.sibling_community, real_name="外居民")


def sheet(round_, values=None):
    """A full score sheet: every cadre of `round_`, all satisfied unless `values` says."""
    cadres = list(round_.cadres.order_by("position"))
    values = values or [Rating.SATISFIED] * len(cadres)
    return [{"cadre": c.pk, "value": int(v)} for c, v in zip(cadres, values, strict=True)]


def vote_all(round_, users, values=None):
    for user in users:
        services.round_submit(actor=user, round=round_, scores=sheet(round_, values))
