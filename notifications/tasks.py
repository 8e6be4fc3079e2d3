from celery import shared_task

from .clocks import reminders_sweep


@shared_task(name="notifications.sweep_reminders", ignore_result=True)
def sweep_reminders():
    """Run each minute by beat. Safe to run twice at once or to retry: see clocks.py."""
    return reminders_sweep()
