"""Writes of the cases app; each workflow move is one function here."""

from .departments import category_save, department_save, department_staff_save
from .events import (
    TRANSITIONS,
    grid_event_accept,
    grid_event_cancel,
    grid_event_check_fail,
    grid_event_check_pass,
    grid_event_dispatch,
    grid_event_file,
    grid_event_handle,
    grid_event_mark_overdue,
    grid_event_return,
)

__all__ = [
    "TRANSITIONS",
    "category_save",
    "department_save",
    "department_staff_save",
    "grid_event_accept",
    "grid_event_cancel",
    "grid_event_check_fail",
    "grid_event_check_pass",
    "grid_event_dispatch",
    "grid_event_file",
    "grid_event_handle",
    "grid_event_mark_overdue",
    "grid_event_return",
]
