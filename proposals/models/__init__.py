"""Topics 议题 and everything residents do around them (hands, deliberation, comments)."""

from .participation import (
    Comment,
    CommentReport,
    Deliberation,
    Hand,
    TopicFollow,
)
from .policy import Category, CommunityPolicy, ProposalPolicy, policy_for_street
from .topics import Topic, TopicEvent, TopicPhoto, TopicQuerySet

__all__ = [
    "Category",
    "Comment",
    "CommentReport",
    "CommunityPolicy",
    "Deliberation",
    "Hand",
    "ProposalPolicy",
    "Topic",
    "TopicEvent",
    "TopicFollow",
    "TopicPhoto",
    "TopicQuerySet",
    "policy_for_street",
]
