"""Grid roles, resources, places and the last weeks of grid work for the demo street.

Grid roles grow with the number of buildings, so they are written in bulk (each row built to
satisfy what grids.services._check_role checks: building roles on a building of the grid,
one open term per single-holder role). Resources, places and the four ones go through the
grids services with the people who would enter them as actors.
"""

import datetime
import random
from collections import defaultdict

from django.utils import timezone

from grids import services as grid_services
from grids.models import (
    GridPlace,
    GridResource,
    GridRole,
    GridRoleKind,
    PatrolProblem,
    iso_week_monday,
)
from residents.models import Household, Resident

from . import data
from .people import PeopleGenerator

WEEKS = 6  # the current ISO week and the five before it

VISIT_SUMMARIES = [
    "上门看望{name}，身体状况稳定，家中水电煤使用正常。",
    "与{name}拉家常，了解到子女每周回来一次，生活能自理。",
    "走访{name}家，提醒冬季用电安全，检查了取暖器插座。",
    "{name}反映楼道灯不亮，已记录并报物业。",
    "为{name}讲解长者食堂助餐办理流程，老人表示愿意试试。",
    "入户核对家庭人口信息，{name}家新增一名租户，已登记。",
]
VISIT_NEEDS = [
    "独居老人需要助餐服务",
    "希望加装楼道扶手",
    "需要协助办理高龄津贴",
    "家中燃气报警器电池失效，需更换",
    "",
    "",
    "",
]
DIARY_CONTENTS = [
    "今天在{grid}走了一圈，菜场门口电瓶车乱停又多了，和摊主们沟通后挪开了。",
    "{grid}几位老人说晚上小区里太暗，想在健身苑边上加一盏灯，准备下周楼组会上议一议。",
    "走访中发现两户独居老人的助餐卡快到期，已提醒社工续办。",
    "楼组长反映有住户在楼道堆放纸板，担心消防隐患，约好周末一起清理。",
    "和物业碰头，雨季前要把{grid}几处积水点的下水道疏通。",
]
PATROL_ROUTES = [
    "{b1}—{b2}—小区北门—菜场",
    "小区南门—{b1}—健身苑—{b2}",
    "{b1}—{b2}—垃圾厢房—停车棚",
]
PROBLEMS = [
    ("楼道堆放纸板杂物，堵塞消防通道", "{b}楼道"),
    ("电瓶车在楼道内充电", "{b}一楼"),
    ("垃圾厢房周边有散落垃圾", "垃圾厢房"),
    ("健身器材螺丝松动", "健身苑"),
    ("路灯损坏不亮", "小区主干道"),
    ("窨井盖破损", "{b}门前"),
]
DEPARTMENTS = ["物业公司", "城管中队", "市政养护公司", "供电所"]
DEEDS = [
    ("楼道灯更换", "为{b}更换楼道声控灯 12 盏", "{b}全体居民", 60),
    ("独居老人助浴", "联系助浴点为独居老人上门助浴", "独居老人", 8),
    ("加装楼道扶手", "为老年居民集中的楼道加装扶手", "{b}老年居民", 20),
    ("义诊进网格", "邀请社区卫生服务中心家庭医生测血压、讲慢病", "网格内老年居民", 45),
    ("清理堆物", "组织党员志愿者清理楼道堆物", "{b}全体居民", 50),
]


def build_grid_work(built, *, seed):
    rng = random.Random(seed + 2)
    actor = built.users["admin"]
    pools = _resident_pools(built)
    _grid_roles(built, rng, pools)
    _resources_and_places(built, rng, actor)
    _four_ones_and_patrols(built, rng, pools)


def _resident_pools(built):
    """Candidates for grid roles and visits, per grid and per building: (pk, name, phone,
    age, party member, living alone, household pk)."""
    grid_ids = [g.pk for g in built.grids]
    party = {t["党员"].pk for t in built.tags.values()}
    alone = {t["独居老人"].pk for t in built.tags.values()}
    Through = Resident.tags.through
    party_ids = set(
        Through.objects.filter(tag_id__in=party, resident__grid_id__in=grid_ids).values_list(
            "resident_id", flat=True
        )
    )
    alone_ids = set(
        Through.objects.filter(tag_id__in=alone, resident__grid_id__in=grid_ids).values_list(
            "resident_id", flat=True
        )
    )
    by_grid, by_building = defaultdict(list), defaultdict(list)
    ref = data.REFERENCE_DATE
    rows = (
        Resident.objects.filter(grid_id__in=grid_ids, status=Resident.Status.LIVING)
        .order_by("pk")
        .values_list("pk", "name", "phone", "birth_date", "grid_id", "building_id", "household_id")
    )
    for pk, name, phone, born, grid_id, building_id, household_id in rows.iterator(chunk_size=5000):
        row = (
            pk,
            name,
            phone,
            ref.year - born.year,
            pk in party_ids,
            pk in alone_ids,
            household_id,
        )
        by_grid[grid_id].append(row)
        by_building[building_id].append(row)
    return by_grid, by_building


def _pick(rng, rows, *, party=None, ages=(18, 80)):
    fits = [r for r in rows if ages[0] <= r[3] <= ages[1] and (party is None or r[4] == party)]
    return rng.choice(fits) if fits else None


def _grid_roles(built, rng, pools):
    by_grid, by_building = pools
    gen = PeopleGenerator(rng, area_code=data.DISTRICT["code"])
    grid_leader_user = built.users["grid_leader"]
    today = timezone.localdate()
    roles = []

    def role(grid, kind, person, *, building=None, user=None, party=False):
        if person is None:
            # A building with nobody on record yet (small scales): a named volunteer.
            gender = rng.choice(("male", "female"))
            name, phone, resident_id = (
                rng.choice(data.SURNAMES) + gen.given_name(gender, 1960),
                gen.mobile(),
                None,
            )
        else:
            resident_id, name, phone = person[0], person[1], person[2]
            party = party or person[4]
        roles.append(
            GridRole(
                grid=grid,
                building=building,
                kind=kind,
                name=user.real_name if user else name,
                phone=phone,
                resident_id=None if user else resident_id,
                user=user,
                is_party_member=party,
                starts_on=today - datetime.timedelta(days=rng.randint(60, 1500)),
            )
        )

    buildings_of = defaultdict(list)
    for building in built.buildings:
        buildings_of[building.grid_id].append(building)

    for grid in built.grids:
        people = by_grid.get(grid.pk, [])
        if grid is built.grids[0]:
            role(grid, GridRoleKind.GRID_LEADER, None, user=grid_leader_user, party=True)
        else:
            role(grid, GridRoleKind.GRID_LEADER, _pick(rng, people, party=True, ages=(30, 65)))
        for _ in range(2):
            role(grid, GridRoleKind.LIAISON, _pick(rng, people, ages=(30, 75)))
        for _ in range(2):
            role(grid, GridRoleKind.PARTY_GROUP_MEMBER, _pick(rng, people, party=True), party=True)
        for building in buildings_of[grid.pk]:
            residents = by_building.get(building.pk, [])
            role(
                grid,
                GridRoleKind.BUILDING_LEADER,
                _pick(rng, residents, ages=(45, 78)),
                building=building,
            )
            second = _pick(rng, residents, party=True) or _pick(rng, people, party=True)
            role(grid, GridRoleKind.SECOND_BUILDING_LEADER, second, building=building, party=True)
    GridRole.objects.bulk_create(roles, batch_size=5000)
    built.extra["grid_roles"] = len(roles)


def _short(community):
    return community.name.removesuffix("居民区")


def _resources_and_places(built, rng, actor):
    """About five resources per community and one or two places per grid. The base six
    communities get theirs through the grids services; the communities that larger scales
    add get the same kind of rows in bulk (thousands of service calls took half a minute)."""
    grids_of = defaultdict(list)
    for grid in built.grids:
        grids_of[grid.community_id].append(grid)
    gen = PeopleGenerator(rng, area_code=data.DISTRICT["code"])
    bulk_resources, bulk_places = [], []
    for n, (community, _style, road) in enumerate(built.communities):
        by_service = n < len(data.BASE_COMMUNITIES)
        fill = {"road": road, "word": rng.choice(data.RESOURCE_WORDS), "short": _short(community)}
        grids = grids_of[community.pk]
        for kind, template, offers in data.RESOURCES:
            fields = {
                "community": community,
                "kind": kind,
                "name": template.format(**fill),
                "offers": offers,
                "address": f"{road}{rng.randint(1, 600)}号",
                "contact_name": rng.choice(data.SURNAMES)
                + rng.choice(("老师", "经理", "主任", "站长")),
                "contact_phone": gen.mobile(),
            }
            served = rng.sample(grids, rng.randint(1, len(grids)))
            if by_service:
                grid_services.grid_resource_create(actor=actor, grids=served, **fields)
            else:
                bulk_resources.append((GridResource(**fields), served))
        for grid in grids:
            for kind, template, notes in rng.sample(data.PLACES, rng.randint(1, 2)):
                fields = {
                    "grid": grid,
                    "kind": kind,
                    "notes": notes,
                    "name": template.format(surname=rng.choice(data.SURNAMES), **fill),
                    "address": f"{road}{rng.randint(1, 600)}号",
                    "contact_name": rng.choice(data.SURNAMES) + rng.choice(("先生", "女士")),
                    "contact_phone": gen.mobile(),
                }
                if by_service:
                    grid_services.grid_place_create(actor=actor, **fields)
                else:
                    bulk_places.append(GridPlace(**fields))
    GridResource.objects.bulk_create([r for r, _g in bulk_resources], batch_size=5000)
    Through = GridResource.grids.through
    Through.objects.bulk_create(
        [
            Through(gridresource_id=r.pk, microgrid_id=g.pk)
            for r, served in bulk_resources
            for g in served
        ],
        batch_size=5000,
    )
    GridPlace.objects.bulk_create(bulk_places, batch_size=5000)
    district = built.district
    built.extra["grid_resources"] = GridResource.objects.filter(
        community__street__district=district
    ).count()
    built.extra["grid_places"] = GridPlace.objects.filter(
        grid__community__street__district=district
    ).count()


def _four_ones_and_patrols(built, rng, pools):
    """Six weeks of work in the base communities' grids, a mix of rounds done and missed.

    Only the base six communities get this history (about 20 grids): it is what the weekly
    visit-round page shows, and it does not need to grow with the benchmark scale.
    """
    by_grid, _by_building = pools
    today = timezone.localdate()
    this_monday = iso_week_monday(today)
    base = {c.pk for c, _s, _r in built.communities[: len(data.BASE_COMMUNITIES)]}
    buildings_of = defaultdict(list)
    for building in built.buildings:
        buildings_of[building.grid_id].append(building)
    counts = defaultdict(int)
    for grid in built.grids:
        if grid.community_id not in base:
            continue
        author = (
            built.users["grid_leader"]
            if grid is built.grids[0]
            else built.workers[grid.community_id]
        )
        heads = [r for r in by_grid.get(grid.pk, []) if r[6] is not None]
        alone = [r for r in heads if r[5]] or heads
        names = [b.name for b in buildings_of[grid.pk]] or [grid.name]
        if alone:
            person = rng.choice(alone)
            grid_services.pairing_record(
                actor=author,
                grid=grid,
                household=_household(person, grid),
                helper_name=author.real_name,
                helper=author,
                since=today - datetime.timedelta(days=rng.randint(90, 400)),
                notes=f"结对帮扶{person[1]}，每月至少上门一次。",
            )
            counts["pairings"] += 1
        for week in range(WEEKS):
            monday = this_monday - datetime.timedelta(weeks=week)
            days = [
                d for d in (monday + datetime.timedelta(days=i) for i in range(7)) if d <= today
            ]
            # The current week is still running: fewer rounds are done yet.
            if heads and rng.random() < (0.45 if week == 0 else 0.75):
                for _ in range(rng.randint(1, 3)):
                    person = rng.choice(alone if rng.random() < 0.6 else heads)
                    grid_services.visit_record(
                        actor=author,
                        grid=grid,
                        visited_on=rng.choice(days),
                        household=_household(person, grid),
                        visitee=person[1],
                        summary=rng.choice(VISIT_SUMMARIES).format(name=person[1]),
                        needs_found=rng.choice(VISIT_NEEDS),
                    )
                    counts["visits"] += 1
            if rng.random() < 0.6:
                grid_services.diary_record(
                    actor=author,
                    grid=grid,
                    written_on=rng.choice(days),
                    content=rng.choice(DIARY_CONTENTS).format(grid=grid.name),
                )
                counts["diary"] += 1
            if rng.random() < 0.7:
                _patrol(rng, author, grid, rng.choice(days), names, week, counts)
            if week and rng.random() < 0.25:
                title, description, beneficiaries, count = rng.choice(DEEDS)
                b = rng.choice(names)
                grid_services.deed_record(
                    actor=author,
                    grid=grid,
                    title=title,
                    description=description.format(b=b),
                    done_on=rng.choice(days),
                    beneficiaries=beneficiaries.format(b=b),
                    beneficiary_count=count,
                )
                counts["deeds"] += 1
    built.extra.update(counts)


def _patrol(rng, author, grid, day, names, week, counts):
    b1, b2 = rng.sample(names, 2) if len(names) > 1 else names * 2
    patrol = grid_services.patrol_record(
        actor=author,
        grid=grid,
        patrolled_on=day,
        route=rng.choice(PATROL_ROUTES).format(b1=b1, b2=b2),
        notes="按周周巡要求巡查网格。",
    )
    counts["patrols"] += 1
    if rng.random() >= 0.45:
        return
    description, location = rng.choice(PROBLEMS)
    problem = grid_services.patrol_problem_report(
        actor=author,
        patrol=patrol,
        description=description,
        location=location.format(b=b1),
    )
    counts["patrol_problems"] += 1
    outcome = rng.random()
    if week == 0 and outcome < 0.5:
        return  # still open this week
    if outcome < 0.8:
        grid_services.patrol_problem_clear(actor=author, problem=problem, note="已现场处置。")
        # The service stamps "now"; a demo history backdates it into the patrol's week
        # (or the next one, for the late few), so that 周周清 figures look like a real street.
        late = rng.random() < 0.15
        cleared = datetime.datetime.combine(
            day + datetime.timedelta(days=7 if late else 1),
            datetime.time(16, 30),
            tzinfo=timezone.get_current_timezone(),
        )
        cleared = min(cleared, timezone.now())
        PatrolProblem.objects.filter(pk=problem.pk).update(
            cleared_at=cleared,
            cleared_within_week=iso_week_monday(timezone.localtime(cleared).date())
            == iso_week_monday(day),
        )
    elif outcome < 0.95:
        grid_services.patrol_problem_route(
            actor=author,
            problem=problem,
            department=rng.choice(DEPARTMENTS),
            note="超出网格处置能力，转派责任部门。",
        )


def _household(person, grid):
    return Household(pk=person[6], community_id=grid.community_id, grid_id=grid.pk)
