"""python manage.py import_residents FILE --as USERNAME [--dry-run]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from residents.importing import import_residents

from ._actor import people_staff_user


class Command(BaseCommand):
    help = _(
        "从 CSV 或 Excel (.xlsx) 文件批量导入居民，按指定账号的管辖范围校验；"
        "任何一行有误则不写入任何数据。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("CSV 或 .xlsx 文件"))
        parser.add_argument(
            "--as", dest="username", required=True, help=_("以该账号的身份和管辖范围导入")
        )
        parser.add_argument(
            "--dry-run", action="store_true", help=_("完整试运行后回滚，不写入任何数据")
        )

    def handle(self, *args, file, username, dry_run, **options):
        actor = people_staff_user(username)
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("找不到文件：%(path)s") % {"path": file})
        last_shown = [0]

        def progress(done, total):
            # Every tenth of the way, so that a long import shows it is alive without flooding.
            if done == total or done - last_shown[0] >= max(total // 10, 1):
                last_shown[0] = done
                self.stderr.write(
                    _("已处理 %(done)d / %(total)d 行") % {"done": done, "total": total}
                )

        report = import_residents(
            actor=actor,
            data=path.read_bytes(),
            filename=path.name,
            dry_run=dry_run,
            progress=progress,
        )
        for error in report.errors:
            self.stderr.write(str(error))
        if report.errors:
            raise CommandError(
                _("共 %(count)d 处错误，未写入任何数据。") % {"count": len(report.errors)}
            )
        if dry_run:
            self.stdout.write(
                _("试运行通过：将新增 %(create)d 人，更新 %(update)d 人；未写入任何数据。")
                % {"create": report.to_create, "update": report.to_update}
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    _("导入完成：新增 %(create)d 人，更新 %(update)d 人。")
                    % {"create": report.created, "update": report.updated}
                )
            )
