"""Every write of the forums app. The admin, the API and the demo call these.
Callers write `from forums import services` / `services.meeting_hold(...)`."""

from .forums import (
    forum_create,
    forum_dissolve,
    forum_member_add,
    forum_member_leave,
    forum_update,
)
from .meetings import (
    decision_follow_up,
    meeting_cancel,
    meeting_create,
    meeting_hold,
    meeting_update,
)
from .musts import must_record

__all__ = [
    "decision_follow_up",
    "forum_create",
    "forum_dissolve",
    "forum_member_add",
    "forum_member_leave",
    "forum_update",
    "meeting_cancel",
    "meeting_create",
    "meeting_hold",
    "meeting_update",
    "must_record",
]
