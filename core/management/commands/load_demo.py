"""`python manage.py load_demo [--scale N] [--residents N] [--reset]`: the demo street.

Idempotent: `make run` calls it every time. When the demo street (found by its code) is
already there it changes nothing and only prints the logins.
"""

import time
import unicodedata

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from core.demo.board import summary_lines as board_summary
from core.demo.builder import (
    DEFAULT_SEED,
    DEMO_PASSWORD,
    DEMO_STREET_CODE,
    DemoBuilder,
    demo_logins,
)
from core.demo.cadres import summary_lines as cadres_summary
from core.demo.cases import summary_lines as cases_summary
from core.demo.covenants import summary_lines as covenants_summary
from core.demo.disputes import summary_lines as disputes_summary
from core.demo.forums import summary_lines as forums_summary
from core.demo.property_governance import summary_lines as property_summary
from core.demo.reporting import summary_lines as reporting_summary
from core.demo.reset import delete_demo, demo_usernames
from core.demo.volunteers import summary_lines as volunteers_summary
from core.demo.workflow import summary_lines as workflow_summary
from grids.models import Street


class Command(BaseCommand):
    help = (
        "生成演示街道（虚构的区、街道、居民区、微网格、楼组、居民和各角色账号）。"
        "已存在时不做任何改动，只打印登录账号。 / Build the demo street; idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="规模系数：1 约 2,000 居民、6 个居民区；50 约 100,000 居民、300 个居民区。",
        )
        parser.add_argument(
            "--residents",
            type=int,
            default=None,
            help="直接指定居民人数（覆盖 --scale 推算的人数，居民区数仍按 --scale）。",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="先删除演示区的全部数据和演示账号，再重新生成。",
        )
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="随机种子（默认固定）。")

    def handle(self, *args, scale, residents, reset, seed, **options):
        if scale <= 0 or (residents is not None and residents < 0):
            raise CommandError("--scale 须为正数，--residents 不能为负数。")
        started = time.monotonic()
        if reset and delete_demo():
            self.stdout.write(
                f"已删除原演示数据 / previous demo deleted ({time.monotonic() - started:.1f} s)"
            )
            started = time.monotonic()
        elif Street.objects.filter(code=DEMO_STREET_CODE).exists():
            self.stdout.write(
                "演示街道已存在，未做改动。 / The demo street exists; nothing changed."
            )
            self._print_logins()
            return

        taken = list(
            User.objects.filter(username__in=demo_usernames()).values_list("username", flat=True)
        )
        if taken:
            raise CommandError(
                f"演示账号用户名已被占用：{', '.join(taken)}。请先删除这些账号，或使用 --reset。"
            )
        try:
            built = DemoBuilder(scale=scale, residents=residents, seed=seed).build()
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        seconds = time.monotonic() - started
        self._print_summary(built, seconds)
        self._print_logins()

    def _print_summary(self, built, seconds):
        extra = built.extra
        lines = [
            ("区 / district", 1),
            ("街道 / streets", len(built.streets)),
            ("居民区 / communities", len(built.communities)),
            ("微网格 / micro-grids", len(built.grids)),
            ("楼组 / building groups", len(built.buildings)),
            ("户 / households", built.households),
            ("居民 / residents", built.residents),
            ("居民标签 / resident tags", built.resident_tags),
            ("网格角色 / grid roles", extra.get("grid_roles", 0)),
            ("网格资源 / grid resources", extra.get("grid_resources", 0)),
            ("网格内场所 / places", extra.get("grid_places", 0)),
            ("走访记录 / visits", extra.get("visits", 0)),
            ("民情日记 / diary entries", extra.get("diary", 0)),
            ("结对 / pairings", extra.get("pairings", 0)),
            ("为民实事 / deeds", extra.get("deeds", 0)),
            ("巡查记录 / patrols", extra.get("patrols", 0)),
            ("巡查发现问题 / patrol problems", extra.get("patrol_problems", 0)),
        ]
        self.stdout.write(self.style.SUCCESS(f"演示数据已生成 / demo built in {seconds:.1f} s"))
        for label, count in lines:
            self.stdout.write(f"  {_pad(label, 32)} {count:>8,}")
        for summary in (
            workflow_summary,
            volunteers_summary,
            board_summary,
            covenants_summary,
            property_summary,
            forums_summary,
            cadres_summary,
            cases_summary,
            disputes_summary,
            reporting_summary,
        ):
            for line in summary(extra):
                self.stdout.write(line)

    def _print_logins(self):
        existing = set(
            User.objects.filter(username__in=[d.login for d in demo_logins()]).values_list(
                "username", flat=True
            )
        )
        self.stdout.write("")
        self.stdout.write(f"演示账号（密码均为 / password for all: {DEMO_PASSWORD}）")
        self.stdout.write(f"  {_pad('登录名 / login', 18)} {_pad('角色 / role', 34)} 范围 / scope")
        for d in demo_logins():
            if d.login not in existing:
                continue
            role = f"{d.role_zh} / {d.role_en}"
            self.stdout.write(f"  {_pad(d.login, 18)} {_pad(role, 34)} {d.scope}")
        if User.objects.filter(username="worker2").exists():
            self.stdout.write(
                "  其他居民区的社区工作者 / workers of the other communities: worker2 … worker6"
            )
        self.stdout.write("  居民页面 / residents' pages: http://127.0.0.1:8000/ (13900000001)")
        self.stdout.write(
            "  领导看板 / dashboard: http://127.0.0.1:8000/dashboard/ (district_leader)"
        )
        self.stdout.write("  管理后台 / admin: http://127.0.0.1:8000/admin/")


def _pad(text, width):
    """Left-justify for a terminal, where a Chinese character takes two columns."""
    columns = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - columns)
