from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("微项目")

    def ready(self):
        from notifications import clocks

        from .clocks import ProjectReviewWindowClock

        clocks.register(ProjectReviewWindowClock())
