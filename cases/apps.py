from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("网格事件与矛盾纠纷")

    def ready(self):
        from notifications import clocks

        from .clocks import GridEventDeadlineClock

        clocks.register(GridEventDeadlineClock())
