"""Every write of the cadres' review. The admin, the API, the tasks and the demo call these.
Sub-domain modules: `rounds` (the draft and its workflow, the opening notice), `taking_part`
(a resident's scores); `_common` holds the shared checks. Callers write
`from cadres import services` / `services.round_open(...)`.

Round workflow (the legal moves; each is one service that locks the round):

    draft ──open──▶ open ──close──▶ closed ──publish_results──▶ published
      │               │
      └──cancel(reason)┴──────────▶ cancelled

Submitting scores (`round_submit`) writes the participation row and adds one to a counter per
scored cadre in one transaction, and nothing else: no row ties the two (cadres.models).
"""

from ._common import ApplicationError
from .rounds import (
    DRAFT_UPDATABLE,
    EARLIEST_YEAR,
    MAX_CADRES,
    NOTIFY_KIND,
    TRANSITIONS,
    cadre_add,
    cadre_remove,
    eligible_accounts,
    eligible_count,
    round_cancel,
    round_close,
    round_create,
    round_notify_batch,
    round_open,
    round_publish_results,
    round_update,
)
from .taking_part import clean_scores, round_submit, take_part_refusal

__all__ = [
    "DRAFT_UPDATABLE",
    "EARLIEST_YEAR",
    "MAX_CADRES",
    "NOTIFY_KIND",
    "TRANSITIONS",
    "ApplicationError",
    "cadre_add",
    "cadre_remove",
    "clean_scores",
    "eligible_accounts",
    "eligible_count",
    "round_cancel",
    "round_close",
    "round_create",
    "round_notify_batch",
    "round_open",
    "round_publish_results",
    "round_submit",
    "round_update",
    "take_part_refusal",
]
