import datetime

import pytest
from django.contrib.auth import authenticate
from django.core.management.base import CommandError
from django.test import RequestFactory
from django.utils import timezone

from accounts.models import Role, RoleAssignment, User
from accounts.scope import Level, actor_scope
from core import crypto
from core.demo.builder import (
    DEMO_PASSWORD,
    DEMO_STREET_CODE,
    PENDING_RESIDENT_PHONE,
    VERIFIED_RESIDENT_PHONE,
    Plan,
    demo_logins,
)
from grids.models import (
    Building,
    Community,
    CommunityType,
    District,
    GridResource,
    GridRole,
    GridRoleKind,
    MicroGrid,
    Street,
    VisitRecord,
    iso_week_monday,
)
from residents.idcard import mask_id_number, validate_id_number
from residents.models import Household, Resident, Tag, TagFamily
from residents.services import ID_NUMBER_PURPOSE, id_number_index

from .conftest import SMALL, load_demo

MODELS = (
    District,
    Street,
    CommunityType,
    Community,
    MicroGrid,
    Building,
    Household,
    Resident,
    Tag,
    GridRole,
    GridResource,
    VisitRecord,
    RoleAssignment,
    User,
)


def counts():
    through = Resident.tags.through.objects.count()
    return {m.__name__: m.objects.count() for m in MODELS} | {"resident_tags": through}


def test_builds_the_demo_street(demo):
    street = Street.objects.get(code=DEMO_STREET_CODE)
    assert street.name == "临江街道"
    assert District.objects.get().name == "浦江区"
    communities = list(Community.objects.filter(street=street))
    assert len(communities) == 6
    assert {c.kind for c in communities} == {"neighbourhood", "village"}
    assert {c.community_type.name for c in communities} == {
        "新建商品房小区",
        "老旧小区",
        "动迁安置小区",
        "保障房小区",
        "村改居",
    }
    assert MicroGrid.objects.count() == 20
    assert Building.objects.count() >= 40
    assert Resident.objects.count() == 150
    assert Household.objects.count() > 40
    assert not Resident.objects.filter(household__isnull=True).exists()
    # Every household sits in one building of one grid of its community.
    for hh in Household.objects.select_related("building"):
        assert hh.building.grid_id == hh.grid_id and hh.building.community_id == hh.community_id
    assert {t.family for t in Tag.objects.all()} == set(TagFamily.values)
    assert Resident.tags.through.objects.count() > 100
    assert "居民 / residents" in demo and "Demo-2026!" in demo


def test_builds_grid_roles_resources_and_a_mix_of_visit_rounds(demo):
    for grid in MicroGrid.objects.all():
        assert GridRole.objects.filter(grid=grid, kind=GridRoleKind.GRID_LEADER).count() == 1
    for building in Building.objects.all():
        kinds = set(GridRole.objects.filter(building=building).values_list("kind", flat=True))
        assert kinds == {GridRoleKind.BUILDING_LEADER, GridRoleKind.SECOND_BUILDING_LEADER}
    assert GridRole.objects.get(kind=GridRoleKind.GRID_LEADER, user__username="grid_leader")
    assert GridResource.objects.count() == 30
    # The weekly visit round: done in some grid-weeks, not in others.
    monday = iso_week_monday(timezone.localdate())
    done = set(VisitRecord.objects.values_list("grid_id", "visited_on"))
    done_weeks = {(g, iso_week_monday(d)) for g, d in done}
    weeks = [monday - datetime.timedelta(weeks=w) for w in range(6)]
    all_cells = {(g, w) for g in MicroGrid.objects.values_list("pk", flat=True) for w in weeks}
    assert 0 < len(done_weeks) < len(all_cells)
    assert done_weeks <= all_cells


def test_id_numbers_are_valid_protected_and_masked(demo):
    for resident in Resident.objects.all()[:50]:
        number = crypto.decrypt(resident.id_number_encrypted, purpose=ID_NUMBER_PURPOSE)
        validate_id_number(number)
        assert number.startswith("310199") or number[2:6] == "9901"  # fictional areas
        assert resident.id_number_index == id_number_index(number)
        assert resident.id_number_masked == mask_id_number(number)
        assert resident.birth_date.strftime("%Y%m%d") == number[6:14]
        assert (int(number[16]) % 2 == 1) == (resident.gender == "male")


def test_second_run_changes_nothing(demo):
    before = counts()
    out = load_demo(*SMALL)
    assert counts() == before
    assert "未做改动" in out
    assert all(d.login in out for d in demo_logins())


def test_same_seed_builds_the_same_people(demo):
    def snapshot():
        rows = Resident.objects.order_by("pk").values_list(
            "name", "id_number_masked", "phone", "birth_date", "room", "community__name"
        )
        return list(rows[:100]), Household.objects.count(), GridRole.objects.count()

    first = snapshot()
    load_demo(*SMALL, "--reset")
    assert snapshot() == first
    assert first[0][0][0]  # a name


@pytest.mark.parametrize("login", [d.login for d in demo_logins()])
def test_every_demo_login_authenticates(demo, login):
    request = RequestFactory().post("/admin/login/")
    user = authenticate(request, username=login, password=DEMO_PASSWORD)
    assert user is not None and user.username == login
    assert authenticate(request, username=login, password="wrong-password-1") is None


def test_roles_and_resident_accounts(demo):
    first = Community.objects.filter(street__code=DEMO_STREET_CODE).order_by("code").first()
    roles = dict(RoleAssignment.objects.values_list("user__username", "role"))
    assert roles["district_leader"] == Role.DISTRICT_LEADER
    assert roles["street_admin"] == Role.STREET_ADMIN
    assert roles["worker"] == Role.COMMUNITY_WORKER
    assert roles["grid_leader"] == Role.GRID_LEADER
    assert User.objects.get(username="admin").is_superuser

    verified = User.objects.get(username=VERIFIED_RESIDENT_PHONE)
    assert verified.is_verified and verified.verified_by.username == "worker"
    assert verified.resident.community == first
    assert verified.resident.phone == VERIFIED_RESIDENT_PHONE
    assert verified.real_name == verified.resident.name

    pending = User.objects.get(username=PENDING_RESIDENT_PHONE)
    assert pending.verification_status == User.Verification.PENDING
    assert not Resident.objects.filter(account=pending).exists()
    # A worker can verify them: a record with the same name and phone exists.
    assert Resident.objects.filter(
        community=first, name=pending.real_name, phone=PENDING_RESIDENT_PHONE
    ).exists()


def test_worker_sees_only_their_community(demo):
    worker = User.objects.get(username="worker")
    community = RoleAssignment.objects.get(user=worker).community
    visible = actor_scope(worker).filter(Resident.objects.all(), Level.PEOPLE)
    assert visible.count() == Resident.objects.filter(community=community).count() > 0
    assert Resident.objects.exclude(community=community).exists()
    assert not visible.exclude(community=community).exists()

    grid_leader = User.objects.get(username="grid_leader")
    grid = RoleAssignment.objects.get(user=grid_leader).grid
    seen = actor_scope(grid_leader).filter(Resident.objects.all(), Level.PEOPLE)
    assert not seen.exclude(grid=grid).exists()

    leader = User.objects.get(username="district_leader")
    assert not actor_scope(leader).filter(Resident.objects.all(), Level.PEOPLE).exists()


def test_reset_leaves_no_demo_rows(demo):
    from core.demo.reset import delete_demo

    assert delete_demo() is True
    left = {k: v for k, v in counts().items() if v}
    assert left == {}
    assert delete_demo() is False


def test_refuses_bad_input_and_taken_usernames(db):
    from core.demo.reset import delete_demo

    delete_demo()  # in case another module's demo is around; rolled back after the test
    with pytest.raises(CommandError):
        load_demo("--scale", "0")
    with pytest.raises(CommandError):
        load_demo("--residents", "-1")
    User.objects.create_user(username="worker", password="x-Another-pass-1")
    with pytest.raises(CommandError, match="worker"):
        load_demo(*SMALL)
    assert not Street.objects.exists() and User.objects.count() == 1


def test_scale_grows_the_map_with_the_people():
    assert Plan.for_scale(1) == Plan(residents=2000, communities=6)
    assert Plan.for_scale(50) == Plan(residents=100_000, communities=300)
    assert Plan.for_scale(0.05) == Plan(residents=100, communities=6)
    assert Plan.for_scale(2, residents=10) == Plan(residents=10, communities=12)
