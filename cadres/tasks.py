"""Celery tasks of the cadres' review: the residents' inbox notice that a round has opened.

`notify_round_opened` is enqueued on commit when a round opens; it sends in bounded batches
and re-enqueues itself for a large community. It is idempotent (cadres.services.
round_notify_batch skips whoever already has the notice), so a redelivered message or a
second run sends nothing twice."""

from celery import shared_task

from .services.rounds import round_notify_batch

MAX_BATCHES_PER_RUN = 40


@shared_task(name="cadres.notify_round_opened", ignore_result=True)
def notify_round_opened(round_id: int) -> int:
    sent_total = 0
    for _batch in range(MAX_BATCHES_PER_RUN):
        sent, finished = round_notify_batch(round_id=round_id)
        sent_total += sent
        if finished:
            return sent_total
    notify_round_opened.delay(round_id)
    return sent_total
