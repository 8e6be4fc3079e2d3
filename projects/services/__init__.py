"""Every write to micro-projects goes through these functions (admin, API, clock, demo).

Each stage change locks the project row, checks the one transition table and the actor's
permission, stamps `<stage>_at`, appends a public timeline event and notifies the members and
the topic's followers (inbox rows in the transaction, other channels on commit). Money is
checked under row locks: a special-fund allocation locks its pool, an expense locks its line,
so two requests at once can never overdraw either; database constraints back both checks.

The functions live in sub-domain modules (`stages`, `participation`, `money`, `content`, with
the shared checks, timeline and notification helpers in `_common`); this package re-exports
them, so callers keep writing `from projects import services` / `services.project_start(...)`.
"""

from ._common import (
    MAX_UPLOAD_BYTES,
    OPEN_STAGES,
    Stage,
    _invalid,
    actor_label,
    community_staff,
    project_url,
)
from .content import (
    MAX_PHOTOS,
    covenant_publish,
    milestone_add,
    milestone_complete,
    progress_post,
    visible_level,
)
from .money import budget_line_add, expense_record, fund_pool_set, pool_allocated
from .participation import SELF_SIGNUP_ROLES, evaluation_submit, member_join, member_leave
from .stages import (
    DEFAULT_REVIEW_DAYS,
    KEEP,
    MAX_REVIEW_DAYS,
    SCORE_PLACES,
    STAGE_STAMP,
    TRANSITIONS,
    project_adopt,
    project_cancel,
    project_close,
    project_publish,
    project_start,
    project_update_plan,
)

__all__ = [
    "DEFAULT_REVIEW_DAYS",
    "KEEP",
    "MAX_PHOTOS",
    "MAX_REVIEW_DAYS",
    "MAX_UPLOAD_BYTES",
    "OPEN_STAGES",
    "SCORE_PLACES",
    "SELF_SIGNUP_ROLES",
    "STAGE_STAMP",
    "TRANSITIONS",
    "Stage",
    "_invalid",
    "actor_label",
    "budget_line_add",
    "community_staff",
    "covenant_publish",
    "evaluation_submit",
    "expense_record",
    "fund_pool_set",
    "member_join",
    "member_leave",
    "milestone_add",
    "milestone_complete",
    "pool_allocated",
    "progress_post",
    "project_adopt",
    "project_cancel",
    "project_close",
    "project_publish",
    "project_start",
    "project_update_plan",
    "project_url",
    "visible_level",
]
