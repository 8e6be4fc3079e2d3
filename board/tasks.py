"""Celery tasks of the board: residents' inbox notices for a published notice, in batches.

`notify_notice` is enqueued on commit when a notice goes up; `notify_due_notices` (beat, each
minute) picks up notices published for a later time and any whose message was lost while
the queue was down. Both are idempotent: the cursor on the notice moves with each batch's
inbox rows in one transaction (board.services.notices.notice_notify_batch)."""

from celery import shared_task

from .services.notices import notice_notify_batch, notices_due_for_notification

# Batches per task run; a street of 80,000 residents takes several runs, each re-enqueued,
# so no single task comes near the time limit.
MAX_BATCHES_PER_RUN = 40


@shared_task(name="board.notify_notice", ignore_result=True)
def notify_notice(notice_id: int) -> int:
    sent_total = 0
    for _batch in range(MAX_BATCHES_PER_RUN):
        sent, finished = notice_notify_batch(notice_id=notice_id)
        sent_total += sent
        if finished:
            return sent_total
    notify_notice.delay(notice_id)
    return sent_total


@shared_task(name="board.notify_due_notices", ignore_result=True)
def notify_due_notices() -> int:
    ids = list(notices_due_for_notification()[:100])
    for notice_id in ids:
        notify_notice.delay(notice_id)
    return len(ids)
