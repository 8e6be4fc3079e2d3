from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisputesConfig(AppConfig):
    name = "disputes"
    verbose_name = _("矛盾纠纷调解")

    def ready(self):
        from notifications import clocks

        from .clocks import FollowUpClock

        clocks.register(FollowUpClock())
