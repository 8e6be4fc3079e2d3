from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CovenantsConfig(AppConfig):
    name = "covenants"
    verbose_name = _("规约与公约")

    def ready(self):
        from notifications import clocks

        from .clocks import SigningClosesClock

        clocks.register(SigningClosesClock())
