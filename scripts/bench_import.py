"""Time the bulk import of residents: `python scripts/bench_import.py --rows 20000`.

Generates a CSV of N fictional residents of the demo street (checksum-valid ID numbers under an
area code the demo never uses, so no row collides with a demo resident), spread over the
street's buildings two or three to a room, with tags both existing and new. Optionally a share
of the rows re-imports existing demo residents by their ID number (an update). Then it times
the preview (read + validate) and the import (validate + write) as the street admin and prints
rows/s for each.

The import runs inside a transaction that is rolled back at the end (unless --commit), so the
database is left as it was; the demo street is built first if it is missing (`load_demo`).
Settings default to config.settings.base: set DATABASE_URL to bench PostgreSQL.
"""

import argparse
import csv
import datetime
import io
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Bench-only area code: not the demo district's (310199) nor one of its migrant codes.
AREA_CODE = "310198"


def _setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()


def fictional_id_number(n: int) -> str:
    from residents.idcard import check_char

    born = datetime.date(1935, 1, 1) + datetime.timedelta(days=n % 25_000)
    first17 = f"{AREA_CODE}{born:%Y%m%d}{n // 25_000 % 1000:03d}"
    return first17 + check_char(first17)


def build_csv(*, rows: int, updates: float, seed: int) -> tuple[bytes, int]:
    """(file, number of update rows)."""
    from core import crypto
    from core.demo.builder import DEMO_STREET_CODE
    from grids.models import Building
    from residents.models import Resident, Tag
    from residents.resources import HEADERS
    from residents.services import ID_NUMBER_PURPOSE

    rng = random.Random(seed)
    buildings = list(
        Building.objects.filter(community__street__code=DEMO_STREET_CODE)
        .select_related("community", "grid")
        .order_by("pk")
    )
    tag_names = list(
        Tag.objects.filter(street__code=DEMO_STREET_CODE).values_list("name", flat=True)
    )
    tag_names += ["服务:压测助餐", "管理:压测关注"]  # two new ones, created by the import
    update_count = int(rows * updates)
    existing = list(
        Resident.objects.filter(community__street__code=DEMO_STREET_CODE)
        .exclude(id_number_encrypted="")
        .order_by("pk")
        .values_list("id_number_encrypted", "name")[:update_count]
    )
    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
    given = "桂英建国秀兰志强丽华国平玉珍文杰海燕春梅德明淑芬晓东"
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    room_left, place = 0, None
    for n in range(rows):
        if room_left == 0:
            building = rng.choice(buildings)
            room = f"{rng.randint(1, 18)}{rng.randint(1, 6):02d}"
            place, room_left = (building, room), rng.randint(1, 3)
            relation = "户主"
        else:
            relation = rng.choice(["配偶", "子女", "父母"])
        room_left -= 1
        building, room = place
        if n < len(existing):
            encrypted, name = existing[n]
            number = crypto.decrypt(encrypted, purpose=ID_NUMBER_PURPOSE)
        else:
            # Each seed its own range of numbers, so that two runs at once do not collide.
            number = fictional_id_number(seed * 200_000 + n)
            name = rng.choice(surnames) + "".join(rng.sample(given, 2))
        tags = "、".join(rng.sample(tag_names, rng.choice([0, 0, 1, 1, 2])))
        writer.writerow(
            {
                "姓名": name,
                "身份证号": number,
                "联系电话": f"139{rng.randrange(10**8):08d}",
                "居民区": building.community.code,
                "微网格": building.grid.name,
                "楼组": building.name,
                "室号": room,
                "与户主关系": relation,
                "标签": tags,
                "备注": "压测数据" if n % 10 == 0 else "",
            }.get(h, "")
            for h in HEADERS
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8"), len(existing)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000, help="rows in the generated file")
    parser.add_argument(
        "--updates", type=float, default=0.0, help="share of rows that update demo residents"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--commit", action="store_true", help="keep the imported rows")
    parser.add_argument("--as", dest="username", default="street_admin")
    args = parser.parse_args(argv)
    _setup_django()

    from django.core.management import call_command
    from django.db import connection, transaction

    from accounts.models import User
    from core.demo.builder import DEMO_STREET_CODE
    from grids.models import Street
    from residents.importing import import_residents, preview_import

    if not Street.objects.filter(code=DEMO_STREET_CODE).exists():
        print("building the demo street (load_demo) …", file=sys.stderr)
        call_command("load_demo", stdout=io.StringIO())
    actor = User.objects.get(username=args.username)
    data, updates = build_csv(rows=args.rows, updates=args.updates, seed=args.seed)
    print(
        f"{connection.vendor}: {args.rows} rows ({updates} updates), "
        f"{len(data) / 1e6:.1f} MB CSV, as {actor.username}"
    )

    started = time.perf_counter()
    preview = preview_import(actor=actor, data=data, filename="bench.csv")
    preview_seconds = time.perf_counter() - started
    if preview.errors:
        sys.exit(f"the generated file has errors: {[str(e) for e in preview.errors[:5]]}")
    print(
        f"preview  {preview_seconds:7.2f} s  {args.rows / preview_seconds:9.0f} rows/s"
        f"  (create {preview.to_create}, update {preview.to_update})"
    )

    calls = []

    def progress(done, total):
        calls.append(done)

    with transaction.atomic():
        started = time.perf_counter()
        report = import_residents(actor=actor, data=data, filename="bench.csv", progress=progress)
        import_seconds = time.perf_counter() - started
        if not args.commit:
            transaction.set_rollback(True)
    if not report.written:
        sys.exit(f"the import failed: {[str(e) for e in report.errors[:5]]}")
    print(
        f"import   {import_seconds:7.2f} s  {args.rows / import_seconds:9.0f} rows/s"
        f"  (created {report.created}, updated {report.updated})"
        + f"  {len(calls)} progress calls"
        + ("" if args.commit else "  [rolled back]")
    )


if __name__ == "__main__":
    main()
