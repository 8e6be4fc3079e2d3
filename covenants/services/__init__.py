"""Every write of covenants: `workflow` (the path of each version), `signing` (household
signatures and votes), `comments` (discussion and moderation), `funds` (money collected in
advance). The admin, the API, the task and the demo call these."""

from .changes import covenant_amend, covenant_cancel, covenant_repeal
from .comments import (
    covenant_comment,
    covenant_comment_hide,
    covenant_comment_report,
    covenant_comment_restore,
)
from .funds import covenant_fund_pledge, covenant_fund_receipt, covenant_fund_reverse
from .signing import covenant_paper_sign, covenant_sign, sign_refusal
from .workflow import (
    TRANSITIONS,
    covenant_create,
    covenant_decide,
    covenant_open_discussion,
    covenant_open_signing,
    covenant_update_draft,
    tally,
    versions_due_for_decision,
)

__all__ = [
    "TRANSITIONS",
    "covenant_amend",
    "covenant_cancel",
    "covenant_comment",
    "covenant_comment_hide",
    "covenant_comment_report",
    "covenant_comment_restore",
    "covenant_create",
    "covenant_decide",
    "covenant_fund_pledge",
    "covenant_fund_receipt",
    "covenant_fund_reverse",
    "covenant_open_discussion",
    "covenant_open_signing",
    "covenant_paper_sign",
    "covenant_repeal",
    "covenant_sign",
    "covenant_update_draft",
    "sign_refusal",
    "tally",
    "versions_due_for_decision",
]
