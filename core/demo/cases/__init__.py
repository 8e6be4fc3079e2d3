"""Grid events on the demo street: departments (街道城管中队, 派出所, 物业公司, 自来水公司,
街道房管办) with staff accounts (dept_*, the demo password), categories with their deadlines
(urgent 4 h, 治安 24 h, the rest within the week: 168 h), and events in every state, some
overdue, filed by the first grid's leader and the first communities' workers.

Everything goes through cases.services with `now=` in the past (the services stamp what they
are given), so deadlines, on-time flags and 周周清 are what they would have been; the timeline
rows, stamped by the database when written, are then moved to the same moments with one
queryset update() per step (as the board demo moves its rows).
"""

import datetime
import random
from collections import Counter

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import User
from cases import services
from cases.models import Department, DepartmentStaff, EventCategory, GridEvent, GridEventStep

# (login, kind, name, contact, phone, covers: "all" or the first n communities)
DEPARTMENTS = [
    ("dept_chengguan", "government", "街道城管中队", "周队长", "021-55501001", "all"),
    ("dept_police", "police", "街道派出所", "陈警官", "021-55501110", "all"),
    ("dept_wuye", "property", "望春物业公司", "吴经理", "021-55502002", 2),
    ("dept_water", "utility", "区自来水公司", "孙师傅", "021-55503003", "all"),
    ("dept_housing", "government", "街道房管办", "李科长", "021-55504004", "all"),
]
# (name, hours, department login)
CATEGORIES = [
    ("紧急安全隐患", 4, "dept_chengguan"),
    ("占道经营", 168, "dept_chengguan"),
    ("治安隐患", 24, "dept_police"),
    ("楼道堆物", 168, "dept_wuye"),
    ("水管漏水", 4, "dept_water"),
    ("房屋渗漏", 168, "dept_housing"),
]
STAFF_NAMES = {
    "dept_chengguan": "城管 周建国",
    "dept_police": "民警 陈立新",
    "dept_wuye": "物业 吴丽华",
    "dept_water": "水司 孙德明",
    "dept_housing": "房管 李文静",
}
DESCRIPTIONS = {
    "紧急安全隐患": "小区北门窨井盖缺失，有行人跌落风险",
    "占道经营": "菜场门口流动摊贩占用人行道",
    "治安隐患": "5号楼楼道门禁损坏，夜间陌生人出入",
    "楼道堆物": "3号楼一至三层楼道堆放纸板杂物，堵塞消防通道",
    "水管漏水": "12号楼外墙水管破裂漏水",
    "房屋渗漏": "8号楼顶楼住户反映屋顶渗水",
}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
# Each plan: the category, the state to reach, days ago filed, and how the steps went.
PLANS = [
    ("占道经营", "filed", 0, {}),
    ("楼道堆物", "filed", 1, {}),
    ("治安隐患", "dispatched", 0.1, {}),
    ("紧急安全隐患", "dispatched", 1, {}),  # overdue and escalated
    ("占道经营", "accepted", 2, {}),
    ("水管漏水", "accepted", 0.5, {}),  # overdue
    ("楼道堆物", "returned", 2, {"redispatch_to": None}),
    ("房屋渗漏", "handled", 3, {}),
    ("占道经营", "closed", 9, {}),
    ("楼道堆物", "closed", 15, {"reopen": True}),
    ("水管漏水", "closed", 20, {"late": True}),
    ("治安隐患", "closed", 4, {}),
    ("紧急安全隐患", "closed", 30, {}),
    ("房屋渗漏", "cancelled", 5, {}),
]


def build_cases(built, *, seed) -> dict:
    """Departments, categories, staff and grid events. Returns counts for the summary."""
    return CasesBuilder(built, seed=seed).build()


def _photo(n=1):
    return [SimpleUploadedFile(f"scene{i}.png", PNG, content_type="image/png") for i in range(n)]


class CasesBuilder:
    def __init__(self, built, *, seed):
        self.built = built
        self.rng = random.Random(seed + 23)
        self.now = timezone.now()
        self.street = built.streets[0]
        self.admin = built.users["admin"]
        self.street_admin = built.users["street_admin"]
        self.grid_leader = built.users["grid_leader"]
        self.grid = built.grids[0]
        self.communities = [c for c, _s, _r in built.communities]

    def build(self) -> dict:
        departments = self._departments()
        categories = self._categories(departments)
        staff = self._staff(departments)
        events = self._events(categories, staff)
        by_state = Counter(GridEvent.objects.filter(pk__in=events).values_list("state", flat=True))
        return {
            "cases_departments": len(departments),
            "cases_categories": len(categories),
            "cases_staff_logins": sorted(staff),
            "cases_events": dict(by_state),
            "cases_overdue": GridEvent.objects.filter(pk__in=events).overdue(now=self.now).count(),
        }

    # -- departments, categories, staff ---------------------------------------------------

    def _departments(self):
        made = {}
        for login, kind, name, contact, phone, covers in DEPARTMENTS:
            department = Department(
                street=self.street, kind=kind, name=name, contact_person=contact, phone=phone
            )
            communities = None if covers == "all" else self.communities[:covers]
            made[login] = services.department_save(
                actor=self.street_admin, department=department, communities=communities
            )
        return made

    def _categories(self, departments):
        made = {}
        for name, hours, login in CATEGORIES:
            made[name] = services.category_save(
                actor=self.street_admin,
                category=EventCategory(
                    street=self.street,
                    name=name,
                    handling_hours=hours,
                    default_department=departments[login],
                ),
            )
        for login, department in departments.items():
            handled = [made[name] for name, _h, owner in CATEGORIES if owner == login]
            services.department_save(
                actor=self.street_admin, department=department, categories=handled
            )
        return made

    def _staff(self, departments):
        from django.contrib.auth.hashers import make_password

        from core.demo.builder import DEMO_PASSWORD

        password = make_password(DEMO_PASSWORD)
        staff = {}
        for login, department in departments.items():
            user = User.objects.create(
                username=login, real_name=STAFF_NAMES[login], password=password, is_staff=True
            )
            self.built.users[login] = user
            services.department_staff_save(
                actor=self.street_admin,
                membership=DepartmentStaff(department=department, user=user),
            )
            staff[login] = user
        return staff

    # -- events ---------------------------------------------------------------------------

    def _events(self, categories, staff):
        events = []
        first = self.communities[0]
        worker = self.built.workers.get(first.pk)
        for n, (name, state, days_ago, how) in enumerate(PLANS):
            category = categories[name]
            # The grid leader files in their grid; the worker files in the community's others.
            grid_side = self.grid_leader if n % 2 == 0 or worker is None else worker
            grid = self.grid if grid_side is self.grid_leader else self._other_grid(first)
            owner = next(login for cat, _h, login in CATEGORIES if cat == name)
            department_user = staff[owner]
            filed_at = self.now - datetime.timedelta(days=days_ago, hours=self.rng.randint(1, 5))
            event = self._walk(
                category, state, how, grid, grid_side, department_user, staff, filed_at
            )
            events.append(event.pk)
        return events

    def _other_grid(self, community):
        grids = [g for g in self.built.grids if g.community_id == community.pk and g != self.grid]
        return grids[0] if grids else self.grid

    def _walk(self, category, state, how, grid, grid_side, dept_user, staff, at):
        s = services
        buildings = [b for b in self.built.buildings if b.grid_id == grid.pk]
        event = s.grid_event_file(
            actor=grid_side,
            grid=grid,
            building=buildings[0] if buildings else None,
            category=category,
            description=DESCRIPTIONS[category.name],
            photos=_photo(1),
            now=at,
        )
        moments = {"file": at}
        if state in ("filed",):
            return self._restamp(event, moments)
        if state == "cancelled":
            moments["cancel"] = at + datetime.timedelta(hours=2)
            s.grid_event_cancel(
                actor=grid_side, event=event, reason="居民已自行解决", now=moments["cancel"]
            )
            event.cancelled_at = moments["cancel"]
            return self._restamp(event, moments)
        moments["dispatch"] = at + datetime.timedelta(minutes=30)
        s.grid_event_dispatch(actor=grid_side, event=event, now=moments["dispatch"])
        if state == "returned":
            moments["return"] = at + datetime.timedelta(hours=3)
            s.grid_event_return(
                actor=dept_user,
                event=event,
                reason="堆物位于业主专有部分，不属物业处置范围，请社区协调",
                now=moments["return"],
            )
            return self._restamp(event, moments)
        if state == "dispatched":
            return self._restamp(event, moments)
        hours = category.handling_hours
        moments["accept"] = at + datetime.timedelta(hours=1)
        s.grid_event_accept(actor=dept_user, event=event, now=moments["accept"])
        if state == "accepted":
            return self._restamp(event, moments)
        late = how.get("late")
        handle_after = datetime.timedelta(hours=hours + 6 if late else max(1.5, hours * 0.5))
        # Never later than an hour ago (the walk ends in the past).
        moments["handle"] = min(at + handle_after, self.now - datetime.timedelta(hours=1))
        s.grid_event_handle(
            actor=dept_user,
            event=event,
            note="已现场处置完毕",
            photos=_photo(2),
            now=moments["handle"],
        )
        if how.get("reopen"):
            moments["check_fail"] = moments["handle"] + datetime.timedelta(hours=1)
            s.grid_event_check_fail(
                actor=grid_side, event=event, reason="现场复查仍有杂物", now=moments["check_fail"]
            )
            moments["handle"] = moments["check_fail"] + datetime.timedelta(hours=1)
            s.grid_event_handle(
                actor=dept_user,
                event=event,
                note="已全部清运",
                photos=_photo(1),
                now=moments["handle"],
            )
        if state == "handled":
            return self._restamp(event, moments)
        moments["check_pass"] = min(
            moments["handle"] + datetime.timedelta(hours=2),
            self.now - datetime.timedelta(minutes=5),
        )
        s.grid_event_check_pass(
            actor=grid_side, event=event, note="现场核查无误", now=moments["check_pass"]
        )
        return self._restamp(event, moments)

    def _restamp(self, event, moments):
        """Timeline rows to the moments of their steps (both handle rows of a reopened event
        take the last handling: a demo's approximation)."""
        for verb, at in moments.items():
            GridEventStep.objects.filter(event_id=event.pk, verb=verb).update(at=at)
        return event


def summary_lines(extra) -> list[str]:
    """The summary's lines about grid events, for load_demo."""
    events = extra.get("cases_events")
    if events is None:
        return []
    states = ", ".join(
        f"{GridEvent.State(s).label} {events.get(s, 0)}" for s in GridEvent.State.values
    )
    logins = ", ".join(extra.get("cases_staff_logins", []))
    return [
        f"  部门 / departments: {extra.get('cases_departments', 0)}，"
        f"事件类别 / categories: {extra.get('cases_categories', 0)}",
        f"  部门人员登录 / department logins (password Demo-2026!): {logins}",
        f"  网格事件 / grid events ({sum(events.values())}): {states}；"
        f"超时 / overdue {extra.get('cases_overdue', 0)}",
    ]
