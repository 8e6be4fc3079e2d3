from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = _("议题与举手")

    def ready(self):
        from notifications import clocks

        from .clocks import TopicFirstResponseClock, TopicHandsDeadlineClock

        clocks.register(TopicFirstResponseClock())
        clocks.register(TopicHandsDeadlineClock())
