from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """The staff and resident inbox, the delivery channels and the reminder sweep.

    A separate app because every workflow (topics now; grid events, disputes, committee terms
    later) sends through it and plugs its clocks into one sweep; it belongs to none of them.
    """

    name = "notifications"
    verbose_name = _("消息与提醒")
