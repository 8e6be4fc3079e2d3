"""A street's December 2026, built so that every dashboard figure has a known value.

`org` (tests/conftest.py): district 甲区 → streets 甲一 (A1) and 甲二 (A2); A1 has communities
一居 (C1, grids 一格 G1 and 二格 G2) and 二居 (C2); A2 has 三居 (C3); 乙区's street has 四居.
Topics, projects, patrols and volunteer service are moved through the real services at the
stated local times (Asia/Shanghai), then the clock stops at NOW, 2027-01-10 12:00.

C1 (December unless said): T1 answered after 1 h; T2 answered after 6 h (late); T3 solved at
once after 2 h; T4 opened for hands after 3 h, two hands (one withdrawn), party branch, adopted
as P4 (lead + one member), ¥3,000 special fund + ¥500 crowdfunding, ¥1,200 spent, published,
rated 4 and 5, closed on 14 Dec; T5 (grid G2) never answered; T6 raised 31 Dec 23:30, never
answered; T7 raised 1 Jan 00:30 (January), never answered; T8 raised 30 Nov 23:30 (November),
answered late on 1 Dec. C2: T9 answered after 30 min; T12 opened for hands after 1 h, adopted as
P12, ¥800 residents' money, ¥300 spent, cancelled. C3 (street A2): T10 answered after 10 min.
四居 (乙区): T11. A G1 patrol on 15 Dec found three problems: one cleared, one routed, one open.
Volunteers: V1, V2 (C1), V3 (C1, struck off), V4 (C2), V5 (C1, registered in January).
Activities: A1 (C1, 10 Dec: V1 2 h, V2 3 h), A2 (C1, 20 Dec: V1 1.5 h; V3 2 h rejected),
A3 (C1, 28 Nov: V1 4 h), A4 (C2, 15 Dec: V4 1 h), a cancelled one; points at 10/h earned for
V1@A1, V1@A2, V2@A1 (and V1@A3 in November); V1 redeemed 30 points, V2 redeemed and cancelled.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from accounts.models import RoleAssignment
from accounts.scope import forget_scope
from dashboards import governance
from grids.services.work import (
    patrol_problem_clear,
    patrol_problem_report,
    patrol_problem_route,
    patrol_record,
)
from projects import services as projects
from projects.models import BudgetLine
from proposals import services as proposals
from residents.services._id_numbers import _set_id_number
from tests.factories.projects import FundPoolFactory
from tests.factories.proposals import TopicFactory, verified_resident
from tests.factories.residents import valid_id_number
from tests.factories.volunteers_points import (
    PointsActivityFactory,
    PointsRuleFactory,
    RewardFactory,
    approved_attendance,
)
from volunteers.models import Activity, Attendance, VolunteerProfile
from volunteers.services.points import points_earn_for_attendance, redemption_cancel, reward_redeem

SH = datetime.timezone(datetime.timedelta(hours=8))
NOW = datetime.datetime(2027, 1, 10, 12, 0, tzinfo=SH)
DECEMBER = {"period": "month", "date": "2026-12"}
# People whose details must never reach a dashboard response.
PII = {
    "names": ["欧阳娜娜", "司马光明", "诸葛小花", "上官云飞"],
    "phones": ["13912345671", "13912345672", "13912345673", "13912345674"],
}


def at(day, hour=9, minute=0, month=12, year=2026):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=SH)


@dataclass
class World:
    org: object
    actors: object
    topics: dict = field(default_factory=dict)
    projects: dict = field(default_factory=dict)
    people: dict = field(default_factory=dict)
    id_numbers: list = field(default_factory=list)


def _raise(community, when, grid=None, **extra):
    return TopicFactory(community=community, grid=grid, raised_at=when, **extra)


@pytest.fixture
def world(org, actors, time_machine):
    travel = time_machine.move_to
    # Roles start on the day they are granted (the real today); this story runs in a fixed
    # past-or-future, so they are dated back to keep it independent of when the suite runs.
    RoleAssignment.objects.update(starts_on=datetime.date(2026, 1, 1))
    for user in vars(actors).values():
        if user is not None:
            forget_scope(user)
    w = World(org=org, actors=actors)
    worker, other_worker, root = actors.worker, actors.other_worker, actors.superuser

    travel(at(25, 8, month=11), tick=False)
    residents = []
    for i, name in enumerate(PII["names"]):
        user = verified_resident(
            org.community, grid=org.grid, real_name=name, phone=PII["phones"][i]
        )
        number = valid_id_number(100 + i)
        _set_id_number(user.resident, number)
        user.resident.name, user.resident.phone = name, PII["phones"][i]
        user.resident.save()
        w.id_numbers += [number, user.resident.id_number_masked]
        residents.append(user)
    r1, r2, r3, r4 = residents
    v4_user = verified_resident(org.sibling_community, real_name="C2志愿者")
    w.people = {"r1": r1, "r2": r2, "r3": r3, "r4": r4, "v4": v4_user}
    FundPoolFactory(community=org.community, year=2026, amount=Decimal("10000.00"))
    FundPoolFactory(community=org.sibling_community, year=2026, amount=Decimal("5000.00"))
    FundPoolFactory(community=org.community, year=2027, amount=Decimal("99999.00"))
    pool_c1 = org.community.fund_pools.get(year=2026)
    rule = PointsRuleFactory(street=org.street, name="通用规则", points_per_hour=10)

    # November: outside the period.
    t8 = _raise(org.community, at(30, 23, 30, month=11), grid=org.grid)
    act3 = PointsActivityFactory(
        community=org.community,
        points_rule=rule,
        starts_at=at(28, month=11),
        ends_at=at(28, 13, month=11),
    )
    travel(at(29, 10, month=11), tick=False)
    points_earn_for_attendance(actor=worker, attendance=approved_attendance(act3, r1, hours="4.00"))

    travel(at(1, 5), tick=False)
    proposals.topic_answer(actor=worker, topic=t8, text="已联系物业")
    for user, community, active in (
        (r1, org.community, True),
        (r2, org.community, True),
        (r3, org.community, False),
        (v4_user, org.sibling_community, True),
    ):
        VolunteerProfile.objects.create(user=user, community=community, is_active=active)

    t1 = _raise(org.community, at(1, 9), grid=org.grid)
    travel(at(1, 10), tick=False)
    proposals.topic_answer(actor=worker, topic=t1, text="收到，明天处理")

    t2 = _raise(org.community, at(2, 9), grid=org.grid)
    travel(at(2, 15), tick=False)
    proposals.topic_answer(actor=worker, topic=t2, text="已转物业")

    t3 = _raise(org.community, at(3, 9), grid=org.grid)
    travel(at(3, 11), tick=False)
    proposals.topic_solve(actor=worker, topic=t3, text="灯已换好")

    t4 = _raise(org.community, at(4, 9), grid=org.grid)
    travel(at(4, 12), tick=False)
    proposals.topic_open_for_hands(actor=worker, topic=t4, threshold=10)
    travel(at(4, 13), tick=False)
    proposals.hand_raise(actor=r1, topic=t4)
    proposals.hand_raise(actor=r2, topic=t4)
    travel(at(4, 14), tick=False)
    proposals.hand_withdraw(actor=r2, topic=t4)

    t5 = _raise(org.community, at(5, 9), grid=org.sibling_grid)
    travel(at(5, 10), tick=False)
    proposals.party_branch_hand_raise(actor=worker, topic=t4)
    p4 = projects.project_adopt(
        actor=worker, topic=t4, title="楼道照明改造", plan="换灯", lead=r1.resident
    )
    travel(at(5, 11), tick=False)
    special = projects.budget_line_add(
        actor=worker,
        project=p4,
        source=BudgetLine.Source.SPECIAL_FUND,
        amount="3000.00",
        pool=pool_c1,
        description="灯具",
    )
    projects.budget_line_add(
        actor=worker,
        project=p4,
        source=BudgetLine.Source.CROWDFUNDING,
        amount="500.00",
        description="居民众筹",
    )
    projects.project_start(actor=worker, project=p4)
    travel(at(6, 9), tick=False)
    projects.expense_record(
        actor=worker,
        project=p4,
        budget_line=special,
        amount="1200.00",
        spent_on=datetime.date(2026, 12, 6),
        payee="五金店",
        description="LED 灯",
    )
    travel(at(6, 10), tick=False)
    projects.member_join(actor=r3, project=p4)
    travel(at(6, 11), tick=False)
    p4 = projects.project_publish(actor=worker, project=p4, results="灯已换好", review_days=7)
    travel(at(8, 9), tick=False)
    projects.evaluation_submit(actor=r1, project=p4, rating=4)
    travel(at(9, 9), tick=False)
    projects.evaluation_submit(actor=r3, project=p4, rating=5)

    t9 = _raise(org.sibling_community, at(10, 9))
    t10 = _raise(org.sibling_street_community, at(10, 9))
    _raise(org.foreign_community, at(10, 9))
    travel(at(10, 9, 10), tick=False)
    proposals.topic_answer(actor=root, topic=t10, text="收到")
    travel(at(10, 9, 30), tick=False)
    proposals.topic_answer(actor=other_worker, topic=t9, text="收到")

    t12 = _raise(org.sibling_community, at(11, 9))
    travel(at(11, 10), tick=False)
    proposals.topic_open_for_hands(actor=other_worker, topic=t12, threshold=10)
    travel(at(11, 10, 30), tick=False)
    proposals.party_branch_hand_raise(actor=other_worker, topic=t12)
    travel(at(12, 9), tick=False)
    p12 = projects.project_adopt(actor=other_worker, topic=t12, title="花坛整治")
    own = projects.budget_line_add(
        actor=other_worker,
        project=p12,
        source=BudgetLine.Source.RESIDENTS,
        amount="800.00",
        description="居民自筹",
    )
    projects.expense_record(
        actor=other_worker,
        project=p12,
        budget_line=own,
        amount="300.00",
        spent_on=datetime.date(2026, 12, 12),
        payee="花店",
        description="花苗",
    )
    travel(at(13, 9), tick=False)
    projects.project_cancel(actor=other_worker, project=p12, reason="居民意见不一")

    travel(at(14, 12), tick=False)
    projects.project_close(actor=worker, project=p4)

    travel(at(15, 17), tick=False)
    patrol = patrol_record(actor=worker, grid=org.grid, patrolled_on=datetime.date(2026, 12, 15))
    problems = [
        patrol_problem_report(actor=worker, patrol=patrol, description=f"问题{i}") for i in range(3)
    ]
    travel(at(16, 9), tick=False)
    patrol_problem_clear(actor=worker, problem=problems[0], note="已清理")
    patrol_problem_route(actor=worker, problem=problems[1], department="城管中队")

    act1 = PointsActivityFactory(
        community=org.community, points_rule=rule, starts_at=at(10), ends_at=at(10, 11)
    )
    act2 = PointsActivityFactory(
        community=org.community, points_rule=rule, starts_at=at(20), ends_at=at(20, 11)
    )
    act4 = PointsActivityFactory(
        community=org.sibling_community, points_rule=rule, starts_at=at(15), ends_at=at(15, 11)
    )
    PointsActivityFactory(
        community=org.community,
        points_rule=rule,
        starts_at=at(18),
        ends_at=at(18, 11),
        status=Activity.Status.CANCELLED,
    )
    travel(at(21, 9), tick=False)
    for attendance in (
        approved_attendance(act1, r1, hours="2.00"),
        approved_attendance(act2, r1, hours="1.50"),
        approved_attendance(act1, r2, hours="3.00"),
    ):
        points_earn_for_attendance(actor=worker, attendance=attendance)
    approved_attendance(act4, v4_user, hours="1.00")
    approved_attendance(act2, r3, hours="2.00", status=Attendance.Status.REJECTED)

    travel(at(22, 9), tick=False)
    reward = RewardFactory(community=org.community, points_cost=30, stock=5)
    reward_redeem(actor=r1, reward=reward)
    cancelled = reward_redeem(actor=r2, reward=reward)
    redemption_cancel(actor=r2, redemption=cancelled)

    t6 = _raise(org.community, at(31, 23, 30), grid=org.grid)
    t7 = _raise(org.community, at(1, 0, 30, month=1, year=2027), grid=org.grid)
    travel(at(5, 9, month=1, year=2027), tick=False)
    VolunteerProfile.objects.create(user=r4, community=org.community)

    travel(NOW, tick=False)
    w.topics = {
        "t1": t1,
        "t2": t2,
        "t3": t3,
        "t4": t4,
        "t5": t5,
        "t6": t6,
        "t7": t7,
        "t8": t8,
        "t9": t9,
        "t10": t10,
        "t12": t12,
    }
    w.projects = {"p4": p4, "p12": p12}
    return w


# The figures of street A1 in December 2026, worked out by hand from the story above.
# The world has no board, covenant, election, forum, cadre or grid-event rows: those figures
# are 0 (shares empty), except that December is over and no monthly must 三必做 was recorded,
# so each community missed that month. tests/dashboards/test_governance.py fills the rest.
NO_GOVERNANCE = governance.derive({}, "community") | {"musts_missed_months": 1}
STREET_DECEMBER = (
    {
        "topics_raised": 8,
        "topics_responded": 6,
        "answered_within_4h": 5,
        "topics_due": 8,
        "answered_within_4h_share": 62.5,
        "mean_response_hours": 2.25,
        "median_response_hours": 1.5,
        "overdue_now": 3,
        "topics_to_projects": 2,
        "conversion_rate": 25.0,
        "topics_solved_directly": 1,
        "patrol_problems_cleared": 1,
        "problems_solved": 3,
        "projects_adopted": 2,
        "stage_planning": 0,
        "stage_in_progress": 0,
        "stage_published": 0,
        "stage_closed": 1,
        "stage_cancelled": 1,
        "projects_closed": 1,
        "money_allocated": 3500.0,
        "special_fund_allocated": 3000.0,
        "money_spent": 1500.0,
        "fund_pool_amount": 15000.0,
        "satisfaction": 4.5,
        "satisfaction_ratings": 2,
        "volunteers_registered": 3,
        "volunteers_active": 3,
        "volunteer_hours": 7.5,
        "activities_held": 3,
        "points_issued": 65,
        "points_redeemed": 30,
        "participation_attendances": 4,
        "participation_project_members": 2,
        "participation_hands": 1,
        "participation_evaluations": 2,
        "participation": 9,
    }
    | NO_GOVERNANCE
    | {"musts_missed_months": 2}
)
