from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumsConfig(AppConfig):
    name = "forums"
    verbose_name = _("议事平台与每月三必做")

    def ready(self):
        from notifications import clocks

        from .clocks import MonthlyMustsClock

        clocks.register(MonthlyMustsClock())
