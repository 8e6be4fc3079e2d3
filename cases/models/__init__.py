"""Cases: departments and the grid events dispatched to them (网格事件). Disputes and reporting
upward join this package later as their own modules."""

from .departments import Department, DepartmentStaff, EventCategory
from .events import EventPhoto, GridEvent, GridEventStep

__all__ = [
    "Department",
    "DepartmentStaff",
    "EventCategory",
    "EventPhoto",
    "GridEvent",
    "GridEventStep",
]
