"""Celery tasks of volunteer service: the monthly points expiry, run by beat.

The task is idempotent (one expiry entry per account and month, enforced by a unique
constraint), so beat may run it daily: a missed day is caught up the next one."""

from celery import shared_task

from volunteers.services.points import points_expire


@shared_task(name="volunteers.expire_points")
def expire_points(batch: int = 500) -> int:
    """Write this month's expiry entries; returns how many were written."""
    return points_expire(batch=batch)
