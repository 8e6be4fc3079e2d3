"""The one scope mechanism: every role sees exactly its part of the tree, and no more."""

import pytest

from accounts.scope import Level, actor_scope
from grids.models import Community, District, MicroGrid, Street
from residents.models import Resident
from tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db


def names(qs):
    return {str(o) for o in qs}


def visible(user, model, level):
    return names(actor_scope(user).filter(model.objects.all(), level))


@pytest.fixture
def people(org):
    return {
        "in_grid": ResidentFactory(community=org.community, grid=org.grid, name="格内居民"),
        "sibling_grid": ResidentFactory(
            community=org.community, grid=org.sibling_grid, name="邻格居民"
        ),
        "no_grid": ResidentFactory(community=org.community, name="未分格居民"),
        "sibling_community": ResidentFactory(community=org.sibling_community, name="二居居民"),
        "other_street": ResidentFactory(community=org.sibling_street_community, name="三居居民"),
        "foreign": ResidentFactory(community=org.foreign_community, name="四居居民"),
    }


def test_community_worker_sees_only_their_communitys_residents(actors, people):
    assert visible(actors.worker, Resident, Level.PEOPLE) == {"格内居民", "邻格居民", "未分格居民"}


def test_grid_leader_sees_only_their_grids_residents(actors, people):
    assert visible(actors.grid_leader, Resident, Level.PEOPLE) == {"格内居民"}


def test_street_admin_sees_the_whole_street_and_nothing_beyond(actors, people):
    assert visible(actors.street_admin, Resident, Level.PEOPLE) == {
        "格内居民",
        "邻格居民",
        "未分格居民",
        "二居居民",
    }


def test_district_leader_sees_no_resident_at_all(actors, people):
    assert visible(actors.district_leader, Resident, Level.PEOPLE) == set()


def test_plain_resident_and_foreign_admin_see_no_resident_of_this_street(actors, people):
    assert visible(actors.resident, Resident, Level.PEOPLE) == set()
    assert visible(actors.foreign_admin, Resident, Level.PEOPLE) == {"四居居民"}


def test_superuser_sees_everyone(actors, people):
    assert len(visible(actors.superuser, Resident, Level.PEOPLE)) == 6


def test_district_leader_sees_the_organisation_of_the_district(actors, org):
    assert visible(actors.district_leader, Street, Level.ORG) == {"甲一街道", "甲二街道"}
    assert visible(actors.district_leader, District, Level.ORG) == {"甲区"}
    assert visible(actors.district_leader, Community, Level.ORG) == {"一居", "二居", "三居"}


def test_grid_leader_sees_ancestors_but_not_sibling_grids(actors, org):
    assert visible(actors.grid_leader, MicroGrid, Level.ORG) == {"一格"}
    assert visible(actors.grid_leader, Community, Level.ORG) == {"一居"}
    assert visible(actors.grid_leader, Street, Level.ORG) == {"甲一街道"}


def test_covers_agrees_with_filter(actors, people):
    scope = actor_scope(actors.grid_leader)
    assert scope.covers(people["in_grid"], Level.PEOPLE)
    assert not scope.covers(people["sibling_grid"], Level.PEOPLE)
    assert not actor_scope(actors.district_leader).covers(people["in_grid"], Level.PEOPLE)


def test_resident_public_scope_is_their_claimed_community(actors, org):
    assert visible(actors.resident, Community, Level.PUBLIC) == {"一居"}
    assert visible(actors.resident, Community, Level.ORG) == set()


def test_expired_role_gives_no_scope(actors, org, people):
    import datetime

    from accounts.models import RoleAssignment
    from accounts.scope import forget_scope

    RoleAssignment.objects.filter(user=actors.worker).update(
        starts_on=datetime.date(2020, 1, 1), ends_on=datetime.date(2021, 1, 1)
    )
    forget_scope(actors.worker)
    assert visible(actors.worker, Resident, Level.PEOPLE) == set()
