"""The review window's clock: at its end a published project closes with its score.

Plugs into the one reminder sweep (notifications.clocks), which guarantees the level fires once
per project even when two sweeps run at once. `on_fire` closes the project inside the
delivering transaction; the workers are told the result.
"""

from django.utils.translation import gettext as _

from core.exceptions import ApplicationError
from notifications.clocks import Clock, Message

from .models import Project

LEVEL_ENDED = "ended"


class ProjectReviewWindowClock(Clock):
    key = "projects.project.review_window"
    levels = (LEVEL_ENDED,)

    def due(self, *, level, now):
        return Project.objects.review_ended(now=now)

    def due_at(self, subject, level):
        return subject.review_closes_at

    def subjects(self, ids):
        return Project.objects.filter(pk__in=ids).select_related("community", "grid")

    def recipients(self, subject, level):
        from .services import community_staff

        return community_staff(subject)

    def message(self, subject, level) -> Message:
        if subject.satisfaction_score is None:
            body = _("评价期已结束，无居民评价，项目已结项。")
        else:
            body = _("评价期已结束，%(n)s 位居民评价，满意度 %(score)s 分，项目已结项。") % {
                "n": subject.evaluations_count,
                "score": subject.satisfaction_score,
            }
        return Message(
            title=_("微项目“%(title)s”已结项") % {"title": subject.title},
            body=body,
            url=f"/admin/projects/project/{subject.pk}/change/",
        )

    def on_fire(self, subject, level, *, now):
        from .services import project_close

        try:
            closed = project_close(actor=None, project=subject, now=now)
        except ApplicationError:
            # Closed by a worker a moment ago: nothing left to do. project_close's own
            # savepoint has rolled back its part; the sweep's transaction goes on.
            return
        subject.stage = closed.stage
        subject.satisfaction_score = closed.satisfaction_score
        subject.evaluations_count = closed.evaluations_count
        subject.closed_at = closed.closed_at
