"""Builds the demo street: organisation map, tags, households and residents, accounts, grid work.

Deterministic: every random choice comes from `random.Random(seed)` streams drawn in a fixed
order, so one seed gives the same places, people, ID numbers and phones every time (only the
ciphertexts differ, AES-GCM takes a fresh nonce, and the grid-work dates follow today).

Small counts go through the apps' services (tags, role grants, verification, resources,
places, the four ones), as every writer should. What grows with the scale factor is written
in bulk: the organisation map and grid roles with `bulk_create`, households, residents and
their tags with the plain-row inserter in `bulk.py` (one service call per resident would take
many minutes at 100,000). Bulk writes bypass `save()`, so those rows have no
django-simple-history entry (they were never "changed" by anyone; acceptable for demo data),
and each invariant that `save()` or a service enforces is kept here by construction (a
building's community is its grid's; a household's grid and building agree; ID numbers are
checksum-valid, encrypted, indexed and masked exactly as residents.services does it).
"""

import math
import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from accounts import services as account_services
from accounts.models import Role, User
from core import crypto
from grids.models import Building, Community, CommunityType, District, MicroGrid, Street
from residents import services as resident_services
from residents.idcard import mask_id_number, validate_id_number
from residents.models import Household, Resident

from . import data
from .bulk import Inserter, reserve_ids
from .people import PeopleGenerator

DEFAULT_SEED = 20260101
BASE_RESIDENTS = 2000
BASE_COMMUNITIES = len(data.BASE_COMMUNITIES)
BATCH = 5000

DEMO_PASSWORD = "Demo-2026!"
DEMO_STREET_CODE = data.DISTRICT["code"] + "001"
VERIFIED_RESIDENT_PHONE = "13900000001"
PENDING_RESIDENT_PHONE = "13900000002"


@dataclass(frozen=True)
class DemoLogin:
    login: str
    role_zh: str
    role_en: str
    scope: str


def demo_logins():
    """The accounts `make run` prints and the README lists (one per role)."""
    first = data.BASE_COMMUNITIES[0][0]
    return [
        DemoLogin("admin", "超级管理员", "superuser", "全部"),
        DemoLogin("district_leader", "区领导", "district leader", data.DISTRICT["name"]),
        DemoLogin("street_admin", "街道管理员", "street admin", data.STREETS[0][0]),
        DemoLogin("worker", "社区工作者", "community worker", first),
        DemoLogin("grid_leader", "微网格长", "grid leader", f"{first} 第一微网格"),
        DemoLogin(VERIFIED_RESIDENT_PHONE, "居民(已实名)", "resident, verified", first),
        DemoLogin(PENDING_RESIDENT_PHONE, "居民(待核验)", "resident, pending", first),
    ]


@dataclass
class Plan:
    """Sizes derived from the scale factor."""

    residents: int
    communities: int

    @classmethod
    def for_scale(cls, scale: float, residents: int | None = None):
        if scale <= 0:
            raise ValueError("scale must be positive")
        # Below 1 only the residents shrink (tests want the whole map, but few people);
        # above 1 the map grows with them, so people per community stay realistic.
        communities = max(BASE_COMMUNITIES, round(BASE_COMMUNITIES * scale))
        people = residents if residents is not None else round(BASE_RESIDENTS * scale)
        return cls(residents=max(0, people), communities=communities)


@dataclass
class Built:
    """What the build made, for the summary and for the grid-work step."""

    district: District = None
    streets: list = field(default_factory=list)
    communities: list = field(default_factory=list)  # (Community, style, road)
    grids: list = field(default_factory=list)
    buildings: list = field(default_factory=list)
    tags: dict = field(default_factory=dict)  # street pk -> {name: Tag}
    users: dict = field(default_factory=dict)  # login -> User
    workers: dict = field(default_factory=dict)  # community pk -> User
    households: int = 0
    residents: int = 0
    resident_tags: int = 0
    extra: dict = field(default_factory=dict)  # counts from the grid-work step


class DemoBuilder:
    def __init__(
        self, *, scale: float = 1.0, residents: int | None = None, seed: int = DEFAULT_SEED
    ):
        self.plan = Plan.for_scale(scale, residents)
        self.seed = seed
        # Separate streams, so that e.g. a change in the people generator leaves the map
        # (and the grid work) as it was.
        self.org_rng = random.Random(seed)
        self.people_rng = random.Random(seed + 1)
        self.built = Built()
        self._password_hash = None

    @transaction.atomic
    def build(self) -> Built:
        from .board import build_board
        from .cadres import build_cadres
        from .cases import build_cases
        from .covenants import build_covenants
        from .disputes import build_disputes
        from .forums import build_forums
        from .gridwork import build_grid_work
        from .property_governance import build_property_governance
        from .reporting import build_reporting
        from .volunteers import build_volunteers
        from .workflow import build_workflow

        self._admin()
        self._org()
        self._tags()
        people = self._people()
        self._staff()
        self._resident_accounts(people)
        build_grid_work(self.built, seed=self.seed)
        self.built.extra.update(
            build_workflow(self.built, seed=self.seed, password_hash=self._password_hash)
        )
        self.built.extra.update(build_volunteers(self.built, seed=self.seed))
        self.built.extra.update(build_board(self.built, seed=self.seed))
        self.built.extra.update(build_covenants(self.built, seed=self.seed))
        self.built.extra.update(build_property_governance(self.built, seed=self.seed))
        self.built.extra.update(build_forums(self.built, seed=self.seed))
        self.built.extra.update(build_cadres(self.built, seed=self.seed))
        self.built.extra.update(build_cases(self.built, seed=self.seed))
        self.built.extra.update(build_disputes(self.built, seed=self.seed))
        self.built.extra.update(build_reporting(self.built, seed=self.seed))
        return self.built

    # -- accounts -------------------------------------------------------------------------------

    def _hash(self, user):
        # Every demo account has the same published password: hashed once (PBKDF2 takes
        # about half a second per call) and checked against the validators for each account.
        validate_password(DEMO_PASSWORD, user)
        if self._password_hash is None:
            self._password_hash = make_password(DEMO_PASSWORD)
        return self._password_hash

    def _new_user(self, **fields):
        user = User(**fields)
        user.password = self._hash(user)
        user.save()
        self.built.users[user.username] = user
        return user

    def _admin(self):
        self.admin = self._new_user(
            username="admin", real_name="系统管理员", is_staff=True, is_superuser=True
        )

    def _staff(self):
        built, gen = self.built, PeopleGenerator(self.org_rng, area_code=data.DISTRICT["code"])
        first_community = built.communities[0][0]

        def staff(username, role, unit, real_name):
            user = self._new_user(username=username, real_name=real_name)
            account_services.role_grant(actor=self.admin, user=user, role=role, unit=unit)
            user.refresh_from_db()
            return user

        def name():
            gender = self.org_rng.choice(("male", "female"))
            return self.org_rng.choice(data.SURNAMES) + gen.given_name(gender, 1980)

        staff("district_leader", Role.DISTRICT_LEADER, built.district, name())
        staff("street_admin", Role.STREET_ADMIN, built.streets[0], name())
        built.workers[first_community.pk] = staff(
            "worker", Role.COMMUNITY_WORKER, first_community, name()
        )
        # The other base communities get a worker too, so that their grid work has an author.
        for n, (community, _style, _road) in enumerate(built.communities[1:BASE_COMMUNITIES], 2):
            built.workers[community.pk] = staff(
                f"worker{n}", Role.COMMUNITY_WORKER, community, name()
            )
        staff("grid_leader", Role.GRID_LEADER, built.grids[0], name())

    def _resident_accounts(self, people):
        """A verified resident (linked by the worker through the real verification service)
        and a pending one whose name and phone match a record, ready to be verified."""
        community = self.built.communities[0][0]
        worker = self.built.workers[community.pk]
        (verified, verified_pk), (pending, _pending_pk) = people
        verified_user = self._new_user(
            username=VERIFIED_RESIDENT_PHONE,
            phone=VERIFIED_RESIDENT_PHONE,
            real_name=verified.name,
            claimed_community=community,
            claimed_address=f"{verified.building.name} {verified.room}室",
        )
        account_services.account_verify(
            actor=worker, account=verified_user, resident=Resident(pk=verified_pk)
        )
        self._new_user(
            username=PENDING_RESIDENT_PHONE,
            phone=PENDING_RESIDENT_PHONE,
            real_name=pending.name,
            claimed_community=community,
            claimed_address=f"{pending.building.name} {pending.room}室",
        )

    # -- organisation map ----------------------------------------------------------------------

    def _org(self):
        rng, built = self.org_rng, self.built
        district = District.objects.create(**data.DISTRICT)
        built.district = district

        n_streets = math.ceil(self.plan.communities / data.COMMUNITIES_PER_STREET)
        if n_streets > len(data.STREETS):
            raise ValueError(
                f"at most {len(data.STREETS) * data.COMMUNITIES_PER_STREET} communities"
            )
        streets = [
            Street(
                district=district,
                name=name,
                code=f"{district.code}{i + 1:03d}",
                address=address,
                phone=f"021-{rng.randrange(5000_0000, 6999_9999)}",
            )
            for i, (name, address) in enumerate(data.STREETS[:n_streets])
        ]
        built.streets = Street.objects.bulk_create(streets)

        types = CommunityType.objects.bulk_create(
            [
                CommunityType(street=street, name=name, description=description)
                for street in built.streets
                for name, description in data.COMMUNITY_TYPES
            ]
        )
        type_of = {(t.street_id, t.name): t for t in types}

        specs = list(data.BASE_COMMUNITIES)
        combos = [(w, s) for s in data.COMMUNITY_SUFFIXES for w in data.COMMUNITY_WORDS]
        rng.shuffle(combos)
        for i in range(self.plan.communities - BASE_COMMUNITIES):
            word, (suffix, style) = combos[i % len(combos)]
            edition = "" if i < len(combos) else f"{i // len(combos) + 1}期"
            specs.append(
                (
                    f"{word}{suffix}{edition}居民区",
                    "neighbourhood",
                    data.STYLE_TYPE[style],
                    rng.choice(data.ROADS),
                    rng.randint(2, 5),
                    style,
                )
            )

        communities, meta = [], []
        for i, (name, kind, type_name, road, n_grids, style) in enumerate(specs):
            street = built.streets[i // data.COMMUNITIES_PER_STREET]
            village = kind == Community.Kind.VILLAGE
            communities.append(
                Community(
                    street=street,
                    name=name,
                    code=f"{street.code}{i % data.COMMUNITIES_PER_STREET + 1:03d}",
                    kind=kind,
                    community_type=type_of[(street.pk, type_name)],
                    address=f"{road}{rng.randint(10, 400)}号",
                    phone=f"021-{rng.randrange(5000_0000, 6999_9999)}",
                    committee_name=f"{name}{'村民委员会' if village else '居民委员会'}",
                    party_branch_name=f"中共{name}{'总支部委员会' if village else '党总支'}",
                )
            )
            meta.append((style, road, n_grids))
        Community.objects.bulk_create(communities, batch_size=BATCH)

        grids, grid_meta = [], []
        for community, (style, road, n_grids) in zip(communities, meta, strict=True):
            built.communities.append((community, style, road))
            for g in range(n_grids):
                sides = rng.sample(data.ROADS, 3)
                grids.append(
                    MicroGrid(
                        community=community,
                        name=f"第{data.CHINESE_NUMERALS[g]}微网格",
                        code=f"{community.code}{g + 1:02d}",
                        boundary=f"东至{sides[0]}，南至{road}，西至{sides[1]}，北至{sides[2]}",
                    )
                )
                grid_meta.append((style, road))
        built.grids = MicroGrid.objects.bulk_create(grids, batch_size=BATCH)

        # Buildings are planned here and written after the households are placed, so that a
        # building's floors fit the rooms the households took.
        self._building_plan = []
        numbers = {}
        lanes = {c.pk: rng.randint(100, 999) for c, _s, _r in built.communities}
        for grid, (style, road) in zip(built.grids, grid_meta, strict=True):
            (floors_low, floors_high), per_floor, (count_low, count_high) = data.BUILDING_STYLES[
                style
            ]
            for _ in range(rng.randint(count_low, count_high)):
                n = numbers[grid.community_id] = numbers.get(grid.community_id, 0) + 1
                lane = lanes[grid.community_id]
                if style == "village":
                    name, address = f"第{n}村民组", f"{grid.community.name}第{n}村民组"
                elif style == "old":
                    name, address = f"{n}号", f"{road}{lane}弄{n}号"
                else:
                    name, address = f"{n}号楼", f"{road}{lane}弄{n}号楼"
                floors = rng.randint(floors_low, floors_high)
                building = Building(
                    grid=grid,
                    community_id=grid.community_id,
                    name=name,
                    address=address,
                    floors=floors if per_floor else None,
                    households_estimate=floors * per_floor if per_floor else rng.randint(20, 40),
                )
                self._building_plan.append(_PlannedBuilding(building, style, per_floor))

    # -- tags -----------------------------------------------------------------------------------

    def _tags(self):
        for street in self.built.streets:
            self.built.tags[street.pk] = {
                name: resident_services.tag_create(
                    actor=self.admin,
                    street=street,
                    name=name,
                    family=family,
                    color=color,
                    description=description,
                    sort_order=order,
                )
                for order, (family, name, color, description) in enumerate(data.TAGS)
            }

    # -- people ---------------------------------------------------------------------------------

    def _people(self):
        """Households and residents in bulk. Returns the two people (with their pks) who get
        the demo resident accounts."""
        rng, built = self.people_rng, self.built
        gen = PeopleGenerator(rng, area_code=data.DISTRICT["code"])
        by_community = {}
        for planned in self._building_plan:
            by_community.setdefault(planned.building.community_id, []).append(planned)

        targets = _split(self.plan.residents, [rng.uniform(0.75, 1.25) for _ in built.communities])
        households = []  # (PlannedBuilding, room, phone, members)
        chosen = []
        for (community, style, _road), target in zip(built.communities, targets, strict=True):
            planned = by_community[community.pk]
            weights = [p.capacity for p in planned]
            type_name = community.community_type.name
            remaining = target
            while remaining > 0:
                size = min(gen.household_size(), remaining)
                members = gen.household(
                    size=size, style=style, flags=gen.household_flags(type_name)
                )
                building = rng.choices(planned, weights=weights)[0]
                room = building.next_room()
                phone = gen.landline() if rng.random() < 0.3 else ""
                households.append((building, room, phone, members))
                remaining -= size
                if community is built.communities[0][0] and len(chosen) < 2:
                    head = members[0]
                    if (
                        35 <= head.age <= 70
                        and "外来人口" not in head.tags
                        and head.status == "living"
                    ):
                        head.phone = (VERIFIED_RESIDENT_PHONE, PENDING_RESIDENT_PHONE)[len(chosen)]
                        head.building, head.room = building.building, room
                        chosen.append(head)

        for planned in self._building_plan:
            planned.fit()
        built.buildings = Building.objects.bulk_create(
            [p.building for p in self._building_plan], batch_size=BATCH
        )
        if len(chosen) < 2:
            raise ValueError("too few residents in the first community for the demo accounts")

        household_ids = reserve_ids(Household, len(households))
        resident_ids = iter(reserve_ids(Resident, sum(len(h[3]) for h in households)))
        household_rows = Inserter(
            Household, ["id", "community_id", "grid_id", "building_id", "room", "phone", "address"]
        )
        resident_rows = Inserter(
            Resident,
            [
                "id",
                "name",
                "gender",
                "birth_date",
                "id_number_encrypted",
                "id_number_index",
                "id_number_masked",
                "phone",
                "community_id",
                "grid_id",
                "building_id",
                "room",
                "household_id",
                "relation_to_head",
                "status",
                "notes",
            ],
        )
        tag_rows = Inserter(Resident.tags.through, ["resident_id", "tag_id"])
        tag_ids = {
            street_pk: {name: tag.pk for name, tag in tags.items()}
            for street_pk, tags in built.tags.items()
        }
        street_of = {c.pk: c.street_id for c, _s, _r in built.communities}
        chosen_pks = {}
        for household_id, (planned, room, phone, members) in zip(
            household_ids, households, strict=True
        ):
            b = planned.building
            ids = tag_ids[street_of[b.community_id]]
            household_rows.add(
                (
                    household_id,
                    b.community_id,
                    b.grid_id,
                    b.pk,
                    room,
                    phone,
                    f"{b.address}{room if planned.per_floor == 0 else room + '室'}",
                )
            )
            for person in members:
                pk = next(resident_ids)
                resident_rows.add(
                    (
                        pk,
                        person.name,
                        person.gender,
                        person.birth_date,
                        *protect_id_number(person.id_number, validated=True),
                        person.phone,
                        b.community_id,
                        b.grid_id,
                        b.pk,
                        room,
                        household_id,
                        person.relation,
                        person.status,
                        person.notes,
                    )
                )
                for tag in sorted(person.tags):
                    tag_rows.add((pk, ids[tag]))
                if person.building is not None:
                    chosen_pks[id(person)] = pk
        # Each table flushes on its own: Django declares foreign keys DEFERRABLE INITIALLY
        # DEFERRED (PostgreSQL and SQLite), so a resident may be written before its household.
        for rows in (household_rows, resident_rows, tag_rows):
            rows.flush()
        built.households, built.residents = household_rows.count, resident_rows.count
        built.resident_tags = tag_rows.count
        return [(p, chosen_pks[id(p)]) for p in chosen]


def protect_id_number(number: str, *, validated=False) -> tuple[str, str, str]:
    """Ciphertext, blind index and masked copy, as residents.services stores them (same
    purpose string, same index function). The number is validated first, like a service,
    unless the caller built it valid (the generator computes the check character)."""
    if not validated:
        validate_id_number(number)
    return (
        crypto.encrypt(number, purpose=resident_services.ID_NUMBER_PURPOSE),
        resident_services.id_number_index(number),
        mask_id_number(number),
    )


class _PlannedBuilding:
    def __init__(self, building, style, per_floor):
        self.building, self.style, self.per_floor = building, style, per_floor
        self.rooms = 0

    @property
    def capacity(self):
        return self.building.households_estimate

    def next_room(self):
        n = self.rooms
        self.rooms += 1
        if not self.per_floor:
            return f"{n + 1}号"
        return f"{n // self.per_floor + 1}{n % self.per_floor + 1:02d}"

    def fit(self):
        """Raise the floors (and the estimate) when more households were placed than fit."""
        if self.per_floor:
            floors = max(self.building.floors, math.ceil(self.rooms / self.per_floor))
            self.building.floors = floors
            self.building.households_estimate = max(self.capacity, floors * self.per_floor)
        else:
            self.building.households_estimate = max(self.capacity, self.rooms)


def _split(total, weights):
    """`total` split in proportion to `weights`, by largest remainder (sums exactly)."""
    scale = sum(weights)
    raw = [total * w / scale for w in weights]
    parts = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts
