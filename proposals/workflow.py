"""The topic workflow in one table: from each state, which action leads to which state.

    raised ──answer──▶ answered
    raised|answered ──solve──▶ solved ──confirm(yes)──▶ solved (confirmed)
                                      └─confirm(no)───▶ answered (reopened)
    raised|answered ──decline──▶ declined
    raised|answered ──merge──▶ merged
    raised|answered ──open_for_hands──▶ open_for_hands ──adopt──▶ adopted
                                                     └─lapse──▶ lapsed (hands deadline clock)

Every service moves a topic only through `TRANSITIONS`; the actions a caller may take now are
read from the same table (selectors.topic_actions). The first of answer / solve / decline /
merge / open_for_hands on a raised topic is its first public response (FIRST_RESPONSES).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import Topic

S = Topic.State


class Action(models.TextChoices):
    ANSWER = "answer", _("回应")
    SOLVE = "solve", _("直接解决")
    DECLINE = "decline", _("不予采纳")
    MERGE = "merge", _("合并")
    OPEN_FOR_HANDS = "open_for_hands", _("开放举手")
    ADOPT = "adopt", _("立项")
    LAPSE = "lapse", _("举手期满未达数")
    CONFIRM = "confirm", _("确认已解决")
    REOPEN = "reopen", _("未解决，重新打开")


A = Action

TRANSITIONS: dict[str, dict[str, str]] = {
    S.RAISED: {
        A.ANSWER: S.ANSWERED,
        A.SOLVE: S.SOLVED,
        A.DECLINE: S.DECLINED,
        A.MERGE: S.MERGED,
        A.OPEN_FOR_HANDS: S.OPEN_FOR_HANDS,
    },
    S.ANSWERED: {
        A.SOLVE: S.SOLVED,
        A.DECLINE: S.DECLINED,
        A.MERGE: S.MERGED,
        A.OPEN_FOR_HANDS: S.OPEN_FOR_HANDS,
    },
    S.SOLVED: {A.CONFIRM: S.SOLVED, A.REOPEN: S.ANSWERED},
    S.OPEN_FOR_HANDS: {A.ADOPT: S.ADOPTED, A.LAPSE: S.LAPSED},
    S.DECLINED: {},
    S.MERGED: {},
    S.ADOPTED: {},
    S.LAPSED: {},
}

FIRST_RESPONSES = frozenset({A.ANSWER, A.SOLVE, A.DECLINE, A.MERGE, A.OPEN_FOR_HANDS})

# The `<state>_at` stamp each target state gets when entered.
STATE_STAMP = {
    S.ANSWERED: "answered_at",
    S.SOLVED: "solved_at",
    S.DECLINED: "declined_at",
    S.MERGED: "merged_at",
    S.OPEN_FOR_HANDS: "opened_for_hands_at",
    S.ADOPTED: "adopted_at",
    S.LAPSED: "lapsed_at",
}

# States in which residents and workers still talk about a topic.
DELIBERABLE_STATES = frozenset({S.RAISED, S.ANSWERED, S.OPEN_FOR_HANDS, S.ADOPTED})


def can_move(state, action) -> bool:
    return action in TRANSITIONS.get(state, {})
