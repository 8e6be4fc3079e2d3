"""Time the leaders' dashboards: `python scripts/bench_dashboard.py --topics 300000`.

Builds (or reuses) a synthetic district, code "BENCH": --streets streets of
--communities-per-street communities of --grids-per-community micro-grids each, a few topic
categories per street, and --topics topics spread evenly over the 365 days before now, with
realistic states (mostly answered or solved, some declined, open for hands, lapsed, adopted;
the unanswered ones recent, a few overdue) and first-response times (log-normal, median ~2 h, a
tail past the 4-hour deadline). Every adopted topic gets its micro-project, in a stage by age,
closed ones with a satisfaction score. No evaluations, volunteer hours or budgets: those need
resident accounts and activities, and their sources are small beside the topics'.
For volume the rows are written with bulk_create, bypassing the services (no timeline events,
notifications or counters): a benchmark of reads, not of the write path.

Then, as a district leader of BENCH (DRF's APIClient with force_authenticate, so permission,
scope, serialization and rendering count, as for a real request), it times over --repeat runs
(after one warm-up) the summary, ranking and trend endpoints for the period month (last whole
month) and year (this year) at the units district, one street and one community, and, as the
yardstick STACK.md asks for in the same run, the bare list `/api/v1/topics/?page_size=20`.
It prints the median and p95 (nearest rank; with 5 runs that is the slowest) in milliseconds.

The district is kept for the next run; --reset deletes it first (and --topics etc. only apply
when it is built). Settings default to config.settings.base: set DATABASE_URL to a PostgreSQL
database of its own (`createdb portal_bench_dash`, then `manage.py migrate`). SQLite works,
but its median goes the portable window-function way and is not what production runs.

Measured 2026-11-23 on PostgreSQL 16, 2 vCPU shared with other jobs (load average ~5, so
absolute times are noisy; compare with the topics list of the same run):

--topics 300000 (10 streets x 30 communities x 4 grids; built in 109 s), median / p95 ms:

    topics list page_size=20   122 / 137   (the bare endpoint, same run)
                     summary     ranking      trend
    month district   192 / 242   232 / 256   208 / 216
    month street     148 / 160   156 / 167   130 / 138
    month community   41 / 43     50 / 371    27 / 33
    year  district   607 / 939   714 / 796   540 / 582
    year  street     174 / 179   215 / 228   256 / 320
    year  community   61 / 65     46 / 56     35 / 38

--topics 50000, same shape: topics list 55 ms; year district summary 183, ranking 166, trend
103; month district 80 / 78 / 52; every other cell under 90 ms (medians).
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CODE = "BENCH"
LEADER = "bench_leader"
CATEGORIES = ["环境卫生", "停车管理", "加装电梯", "绿化养护", "噪音扰民", "公共设施"]
# Share of topics in each state (the rest answered). Unanswered ones are only recent.
STATES = [
    ("solved", 0.32),
    ("declined", 0.06),
    ("open_for_hands", 0.03),
    ("lapsed", 0.02),
    ("adopted", 0.04),
]
BATCH = 5000


def _setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    # The benchmark's hundred-odd requests must not meet the per-user throttle.
    os.environ.setdefault("THROTTLE_USER", "100000/min")
    import django

    django.setup()


def reset():
    from grids.models import Community, District, MicroGrid, Street
    from projects.models import Project
    from proposals.models import Category, Topic

    district = District.objects.filter(code=CODE).first()
    if district is None:
        return
    Project.objects.filter(community__street__district=district).delete()
    Topic.objects.filter(community__street__district=district).delete()
    MicroGrid.objects.filter(community__street__district=district).delete()
    Community.objects.filter(street__district=district).delete()
    Category.objects.filter(street__district=district).delete()
    Street.objects.filter(district=district).delete()
    district.delete()


def build(*, topics: int, streets: int, communities: int, grids: int, seed: int):
    from django.db import transaction
    from django.utils import timezone

    from grids.models import Community, District, MicroGrid, Street
    from projects.models import Project
    from proposals.models import Category, Topic

    rng = random.Random(seed)
    with transaction.atomic():
        district = District.objects.create(name="压测区", code=CODE)
        street_rows = Street.objects.bulk_create(
            Street(district=district, name=f"压测{s + 1}街道", code=f"{CODE}{s:03d}")
            for s in range(streets)
        )
        categories = {
            st.pk: Category.objects.bulk_create(
                Category(street=st, name=name, sort_order=i) for i, name in enumerate(CATEGORIES)
            )
            for st in street_rows
        }
        community_rows = Community.objects.bulk_create(
            Community(street=st, name=f"第{c + 1}居民区", code=f"{CODE}-{s:03d}-{c:03d}")
            for s, st in enumerate(street_rows)
            for c in range(communities)
        )
        grid_rows = MicroGrid.objects.bulk_create(
            MicroGrid(community=co, name=f"{g + 1}号网格", code=f"{co.code}-{g:02d}")
            for co in community_rows
            for g in range(grids)
        )
    street_of = {co.pk: co.street_id for co in community_rows}
    now = timezone.now()
    hour = datetime.timedelta(hours=1)
    adopted = []
    made = 0
    while made < topics:
        rows = []
        for n in range(made, min(made + BATCH, topics)):
            grid = rng.choice(grid_rows)
            raised = now - datetime.timedelta(seconds=rng.uniform(0, 365 * 86400))
            due = raised + 4 * hour
            age_days = (now - raised).days
            topic = Topic(
                title=f"压测议题 {n}",
                body="压测数据",
                category=rng.choice(categories[street_of[grid.community_id]]),
                community_id=grid.community_id,
                grid=grid,
                source=rng.choice(Topic.Source.values),
                raised_at=raised,
                first_response_due_at=due,
                first_response_remind_at=due - hour,
            )
            if (age_days < 3 and rng.random() < 0.5) or rng.random() < 0.003:
                topic.state = Topic.State.RAISED  # unanswered: recent, or forgotten (overdue)
            else:
                responded = raised + hour * min(rng.lognormvariate(0.7, 1.0), 24 * 7)
                responded = min(responded, now)
                topic.first_responded_at = topic.answered_at = responded
                topic.responded_on_time = responded <= due
                topic.state = Topic.State.ANSWERED
                pick, acc = rng.random(), 0.0
                for state, share in STATES:
                    acc += share
                    if pick < acc:
                        topic.state = state
                        break
                later = min(responded + datetime.timedelta(days=rng.uniform(1, 30)), now)
                if topic.state == Topic.State.SOLVED:
                    topic.solved_at = later
                elif topic.state == Topic.State.DECLINED:
                    topic.declined_at, topic.decline_reason = later, "压测"
                elif topic.state in (Topic.State.OPEN_FOR_HANDS, Topic.State.LAPSED):
                    topic.opened_for_hands_at = responded
                    topic.hands_deadline = responded + datetime.timedelta(days=14)
                    topic.hands_threshold = 20
                    topic.hand_count = rng.randint(0, 19)
                    if topic.state == Topic.State.LAPSED:
                        topic.lapsed_at = topic.hands_deadline
                elif topic.state == Topic.State.ADOPTED:
                    topic.opened_for_hands_at = responded
                    topic.hands_threshold, topic.hand_count = 20, rng.randint(20, 60)
                    topic.adopted_at = later
            rows.append(topic)
        created = Topic.objects.bulk_create(rows, batch_size=BATCH)
        adopted += [t for t in created if t.state == Topic.State.ADOPTED]
        made += len(rows)
        print(f"  {made}/{topics} topics", file=sys.stderr, end="\r")
    print(file=sys.stderr)
    projects = []
    for t in adopted:
        age = (now - t.adopted_at).days
        project = Project(
            topic=t,
            community_id=t.community_id,
            grid_id=t.grid_id,
            title=t.title,
            planning_at=t.adopted_at,
        )
        project.stage = Project.Stage.PLANNING
        if age > 20:
            project.stage, project.in_progress_at = (
                Project.Stage.IN_PROGRESS,
                t.adopted_at + datetime.timedelta(days=10),
            )
        if age > 90:
            project.stage = Project.Stage.PUBLISHED
            project.published_at = t.adopted_at + datetime.timedelta(days=80)
        if age > 110:
            project.stage = Project.Stage.CLOSED
            project.closed_at = t.adopted_at + datetime.timedelta(days=100)
            project.satisfaction_score = round(rng.uniform(3.2, 5.0), 1)
            project.evaluations_count = rng.randint(3, 40)
        projects.append(project)
    Project.objects.bulk_create(projects, batch_size=BATCH)
    return district


def leader_of(district):
    from accounts.models import Role, RoleAssignment, User

    user, _created = User.objects.get_or_create(username=LEADER, defaults={"is_staff": True})
    RoleAssignment.objects.get_or_create(
        user=user,
        role=Role.DISTRICT_LEADER,
        district=district,
        defaults={"starts_on": datetime.date(2020, 1, 1)},
    )
    return user


def timed(client, url, repeat) -> list[float]:
    response = client.get(url)  # warm-up: connection, caches, query plans
    if response.status_code != 200:
        sys.exit(f"{url}: {response.status_code} {response.content[:300]!r}")
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    return times


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[max(0, -(-len(ordered) * 95 // 100) - 1)]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topics", type=int, default=300_000)
    parser.add_argument("--streets", type=int, default=10)
    parser.add_argument("--communities-per-street", type=int, default=30)
    parser.add_argument("--grids-per-community", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reset", action="store_true", help="delete the BENCH district first")
    args = parser.parse_args(argv)
    _setup_django()

    from django.db import connection
    from django.utils import timezone
    from rest_framework.test import APIClient

    from grids.models import Community, District, Street
    from proposals.models import Topic

    if connection.vendor != "postgresql":
        print("warning: not PostgreSQL; the figures say little about production", file=sys.stderr)
    if args.reset:
        print("deleting the BENCH district …", file=sys.stderr)
        reset()
    district = District.objects.filter(code=CODE).first()
    if district is None:
        print("building the BENCH district …", file=sys.stderr)
        started = time.perf_counter()
        district = build(
            topics=args.topics,
            streets=args.streets,
            communities=args.communities_per_street,
            grids=args.grids_per_community,
            seed=args.seed,
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # fresh statistics, as autovacuum would give later
        print(f"built in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    street = Street.objects.filter(district=district).order_by("code").first()
    community = Community.objects.filter(street=street).order_by("code").first()
    topics = Topic.objects.filter(community__street__district=district).count()
    client = APIClient()
    client.force_authenticate(leader_of(district))

    today = timezone.localdate()
    last_month = today.replace(day=1) - datetime.timedelta(days=1)
    periods = {"month": f"{last_month:%Y-%m}", "year": f"{today:%Y}"}
    units = {
        "district": f"district:{district.pk}",
        "street": f"street:{street.pk}",
        "community": f"community:{community.pk}",
    }
    print(
        f"{connection.vendor}: district BENCH, {topics} topics, "
        f"{Street.objects.filter(district=district).count()} streets, "
        f"{Community.objects.filter(street__district=district).count()} communities; "
        f"{args.repeat} runs each after a warm-up"
    )
    rows = [
        (
            "topics list page_size=20",
            "",
            "",
            timed(client, "/api/v1/topics/?page_size=20", args.repeat),
        )
    ]
    for kind, date in periods.items():
        for level, ref in units.items():
            for endpoint in ("summary", "ranking", "trend"):
                url = f"/api/v1/dashboard/{endpoint}/?unit={ref}&period={kind}&date={date}"
                rows.append((endpoint, kind, level, timed(client, url, args.repeat)))
    print(f"{'endpoint':<25} {'period':<6} {'unit':<10} {'median ms':>10} {'p95 ms':>8}")
    for endpoint, kind, level, times in rows:
        print(
            f"{endpoint:<25} {kind:<6} {level:<10} "
            f"{statistics.median(times) * 1000:10.0f} {p95(times) * 1000:8.0f}"
        )


if __name__ == "__main__":
    main()
