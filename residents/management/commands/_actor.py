"""Who a management command acts as: a named user whose roles give the scope, as in the admin."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from accounts.rules import is_people_staff


def people_staff_user(username: str):
    """The active user `username` (or phone number) if they may import and export residents."""
    User = get_user_model()
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        user = User.objects.filter(phone=username, is_active=True).first()
    if user is None:
        raise CommandError(_("找不到账号“%(name)s”。") % {"name": username})
    if not is_people_staff.test(user):
        raise CommandError(
            _("账号“%(name)s”无权导入或导出居民（仅限街道管理员、社区工作者和微网格长）。")
            % {"name": username}
        )
    return user
