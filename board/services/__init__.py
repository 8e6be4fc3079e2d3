"""Every write of the board app (notices; consultations and polls). The admin, the API, the
tasks and the demo call these. Sub-domain modules: `notices`, `consultations` (the draft and
its workflow), `answers` (online and paper answers); `_common` holds the shared checks.
Callers write `from board import services` / `services.notice_publish(...)`.
"""

from .answers import (
    clean_answers,
    consultation_paper_response,
    consultation_respond,
    voter_key,
)
from .consultations import (
    clean_questions,
    consultation_cancel,
    consultation_create,
    consultation_publish,
    consultation_questions_set,
    consultation_update,
)
from .notices import (
    notice_acknowledge,
    notice_attachment_add,
    notice_attachment_remove,
    notice_create,
    notice_mark_read,
    notice_notify_batch,
    notice_publish,
    notice_recipients,
    notice_update,
    notice_withdraw,
    notices_due_for_notification,
)

__all__ = [
    "clean_answers",
    "clean_questions",
    "consultation_cancel",
    "consultation_create",
    "consultation_paper_response",
    "consultation_publish",
    "consultation_questions_set",
    "consultation_respond",
    "consultation_update",
    "notice_acknowledge",
    "notice_attachment_add",
    "notice_attachment_remove",
    "notice_create",
    "notice_mark_read",
    "notice_notify_batch",
    "notice_publish",
    "notice_recipients",
    "notice_update",
    "notice_withdraw",
    "notices_due_for_notification",
    "voter_key",
]
