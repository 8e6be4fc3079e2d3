"""Celery tasks of the residents app: bulk import of a large file, with progress in the cache.

The admin stores the uploaded file in default storage and passes its path; the task re-reads
the file and the user, runs the same import as the admin and the command, and keeps the job's
state under a cache key that the admin's progress URL reads. A job is tied to the user who
started it; nobody else can read its state.
"""

from celery import shared_task
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from residents.importing import import_residents

JOB_TTL = 24 * 60 * 60


def job_key(job_id: str) -> str:
    return f"residents:import-job:{job_id}"


def job_get(job_id: str) -> dict | None:
    return cache.get(job_key(job_id))


def job_update(job_id: str, **changes) -> dict:
    """Merge `changes` into the job's state. Only the one task writes a running job, so a
    read-modify-write without a lock cannot lose an update."""
    state = cache.get(job_key(job_id)) or {}
    state.update(changes)
    cache.set(job_key(job_id), state, JOB_TTL)
    return state


# The bulk write does a whole street (80,000 rows) in a few minutes on PostgreSQL; half an
# hour leaves room for a loaded server without letting a stuck job hold its transaction open.
@shared_task(soft_time_limit=30 * 60, time_limit=30 * 60 + 60)
def import_residents_task(job_id: str, user_id: int, path: str, filename: str) -> None:
    job = job_get(job_id) or {}
    if job.get("state") in ("done", "failed"):
        # A redelivered message (acks_late) of a job that already ran: the file is gone and
        # the outcome is recorded; running it again could create rows without ID twice.
        return
    user = get_user_model().objects.get(pk=user_id)
    job_update(job_id, state="running", done=0)
    try:
        with default_storage.open(path, "rb") as handle:
            data = handle.read()

        def progress(done, total):
            # Called once per written batch (importing.WRITE_BATCH rows), not per row.
            job_update(job_id, done=done, total=total)

        report = import_residents(actor=user, data=data, filename=filename, progress=progress)
    except Exception:
        job_update(job_id, state="failed", message=_("导入过程中出现系统错误，未写入任何数据。"))
        raise
    finally:
        if default_storage.exists(path):
            default_storage.delete(path)
    job_update(
        job_id,
        state="done",
        done=report.total,
        total=report.total,
        report=report.as_dict(),
    )
