"""python manage.py export_residents --as USERNAME --format csv|xlsx -o FILE"""

from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from residents.resources import export_residents

from ._actor import people_staff_user


class Command(BaseCommand):
    help = _(
        "导出指定账号管辖范围内的居民（身份证号、电话均为脱敏后的形式），每位导出的居民记入查阅记录。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--as", dest="username", required=True, help=_("以该账号的身份和管辖范围导出")
        )
        parser.add_argument("--format", dest="fmt", choices=["csv", "xlsx"], default="xlsx")
        parser.add_argument("-o", "--output", required=True, help=_("输出文件路径"))

    def handle(self, *args, username, fmt, output, **options):
        actor = people_staff_user(username)
        data, count = export_residents(actor=actor, fmt=fmt, channel="command")
        Path(output).write_bytes(data)
        self.stdout.write(
            self.style.SUCCESS(
                _("已导出 %(count)d 位居民到 %(path)s") % {"count": count, "path": output}
            )
        )
