from .forums import Forum, ForumEvent, ForumMember, Represents
from .meetings import Attendance, Decision, Meeting, MeetingEvent, MeetingQuerySet
from .musts import MonthlyMusts, MustActivity, MustKind

__all__ = [
    "Attendance",
    "Decision",
    "Forum",
    "ForumEvent",
    "ForumMember",
    "Meeting",
    "MeetingEvent",
    "MeetingQuerySet",
    "MonthlyMusts",
    "MustActivity",
    "MustKind",
    "Represents",
]
