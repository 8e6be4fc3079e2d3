"""Celery task of covenants: decide the versions whose signing window has ended.

`covenants.close_due` (beat, e.g. every 5 minutes) takes a bounded batch of due versions and
decides each through covenants.services.covenant_decide, which locks the covenant and
re-checks the state: a version already decided (by a worker, or a second run) is skipped, so
the task is idempotent."""

from celery import shared_task

from core.exceptions import ApplicationError

from .models import Covenant
from .services import covenant_decide, versions_due_for_decision

BATCH = 100


@shared_task(name="covenants.close_due", ignore_result=True)
def close_due() -> int:
    decided = 0
    for covenant_id in list(
        versions_due_for_decision().values_list("covenant_id", flat=True)[:BATCH]
    ):
        try:
            covenant_decide(actor=None, covenant=Covenant(pk=covenant_id))
        except ApplicationError:
            continue  # decided meanwhile
        decided += 1
    return decided
