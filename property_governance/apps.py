from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PropertyGovernanceConfig(AppConfig):
    name = "property_governance"
    verbose_name = _("物业治理")

    def ready(self):
        from notifications import clocks

        from .clocks import CommitteeTermEndClock

        clocks.register(CommitteeTermEndClock())
