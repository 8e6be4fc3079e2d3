"""Who may read which unit's figures: whole units of the reader's ORG scope, nothing else."""

import pytest

from accounts.models import Role
from tests.factories import UserFactory, grant

# Every endpoint goes through the same unit lookup; one read and one export are enough here
# (the refused callers below are tried on all of them).
PATHS = ["summary/", "ranking/export/"]
ALL_PATHS = [
    "summary/",
    "trend/",
    "ranking/",
    "summary/export/",
    "trend/export/",
    "ranking/export/",
]


def _get(api, user, path, unit=None):
    if user is not None:
        api.force_authenticate(user)
    url = f"/api/v1/dashboard/{path}"
    params = {"unit": unit} if unit else {}
    if path.endswith("export/"):
        params["format"] = "csv"
    return api.get(url, params)


def _unit(org, name):
    level, attr = name.split(":")
    return f"{level}:{getattr(org, attr).pk}"


# (actor, unit) → status. Units by fixture attribute of `org`.
MATRIX = [
    ("street_admin", "street:street", 200),
    ("street_admin", "community:community", 200),
    ("street_admin", "community:sibling_community", 200),
    ("street_admin", "grid:other_community_grid", 200),
    ("street_admin", "street:sibling_street", 404),
    ("street_admin", "street:foreign_street", 404),
    ("street_admin", "community:sibling_street_community", 404),
    # Part of the district only: its figures would include the sibling street.
    ("street_admin", "district:district", 404),
    ("district_leader", "district:district", 200),
    ("district_leader", "street:street", 200),
    ("district_leader", "street:sibling_street", 200),
    ("district_leader", "community:sibling_street_community", 200),
    ("district_leader", "grid:grid", 200),
    ("district_leader", "district:other_district", 404),
    ("district_leader", "street:foreign_street", 404),
    ("district_leader", "community:foreign_community", 404),
    ("worker", "community:community", 200),
    ("worker", "grid:sibling_grid", 200),
    ("worker", "community:sibling_community", 404),
    ("worker", "grid:other_community_grid", 404),
    ("worker", "street:street", 404),
    ("foreign_admin", "street:street", 404),
    ("foreign_admin", "street:foreign_street", 200),
    ("superuser", "district:other_district", 200),
    ("superuser", "community:foreign_community", 200),
]


@pytest.mark.parametrize(("who", "unit", "status"), MATRIX)
@pytest.mark.parametrize("path", PATHS)
def test_scope_matrix(api, org, actors, who, unit, status, path):
    response = _get(api, getattr(actors, who), path, _unit(org, unit))
    assert response.status_code == status, (who, unit, path, response.content[:200])


@pytest.mark.parametrize("who", ["resident", "grid_leader"])
@pytest.mark.parametrize("path", [*ALL_PATHS, "units/"])
def test_residents_and_grid_leaders_are_refused(api, org, actors, who, path):
    response = _get(api, getattr(actors, who), path, f"community:{org.community.pk}")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


@pytest.mark.parametrize("path", [*ALL_PATHS, "units/"])
def test_anonymous_is_refused(api, org, path):
    response = _get(api, None, path, f"community:{org.community.pk}")
    assert response.status_code in (401, 403)
    assert response.json()["code"] == "not_authenticated"


def test_a_missing_unit_is_404(api, actors):
    assert _get(api, actors.superuser, "summary/", "street:999999").status_code == 404


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("street_admin", "street:street"),
        ("district_leader", "district:district"),
        ("worker", "community:community"),
    ],
)
def test_without_a_unit_the_reader_gets_their_own(api, org, actors, who, expected):
    body = _get(api, getattr(actors, who), "summary/").json()
    assert body["unit"]["ref"] == _unit(org, expected)


def test_a_role_that_ended_no_longer_opens_the_dashboard(api, org):
    import datetime

    from accounts.models import RoleAssignment

    user = grant(UserFactory(), Role.STREET_ADMIN, org.street)
    RoleAssignment.objects.filter(user=user).update(
        starts_on=datetime.date(2025, 1, 1), ends_on=datetime.date(2025, 6, 30)
    )
    assert _get(api, user, "summary/", f"street:{org.street.pk}").status_code == 403


def test_roots_and_drill_down(api, org, actors):
    body = _get(api, actors.district_leader, "units/").json()
    assert body["parent"] is None
    assert [u["ref"] for u in body["units"]] == [f"district:{org.district.pk}"]

    street = _unit(org, "street:street")
    api.force_authenticate(actors.street_admin)
    body = api.get("/api/v1/dashboard/units/", {"parent": street}).json()
    assert body["parent"]["ref"] == street
    assert [u["name"] for u in body["units"]] == ["一居", "二居"]
    assert [u["has_children"] for u in body["units"]] == [True, True]
    assert [u["ref"] for u in body["breadcrumb"]] == [street]

    grid = _unit(org, "grid:grid")
    body = api.get("/api/v1/dashboard/units/", {"parent": grid}).json()
    # A street admin's breadcrumb starts at their street: the district is not theirs.
    assert [u["level"] for u in body["breadcrumb"]] == ["street", "community", "grid"]
    assert body["units"] == []

    api.force_authenticate(actors.district_leader)
    body = api.get("/api/v1/dashboard/units/", {"parent": grid}).json()
    assert [u["level"] for u in body["breadcrumb"]] == ["district", "street", "community", "grid"]

    api.force_authenticate(actors.street_admin)
    sibling = _unit(org, "street:sibling_street")
    assert api.get("/api/v1/dashboard/units/", {"parent": sibling}).status_code == 404


def test_a_leader_of_a_district_who_also_runs_a_street_starts_at_the_district(api, org, actors):
    grant(actors.district_leader, Role.STREET_ADMIN, org.street)
    body = _get(api, actors.district_leader, "units/").json()
    assert [u["ref"] for u in body["units"]] == [f"district:{org.district.pk}"]


def test_superuser_roots_are_every_district(api, org, actors):
    body = _get(api, actors.superuser, "units/").json()
    assert {u["name"] for u in body["units"]} == {"甲区", "乙区"}
