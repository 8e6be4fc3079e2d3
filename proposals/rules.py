"""Who may do what with topics. Scope (whether the topic exists for the caller at all) is the
selectors' job; these predicates decide the action on a topic the caller can already see."""

import rules

from accounts.rules import is_people_staff, is_street_or_super, obj_in_people_scope
from accounts.scope import Level, actor_scope


def _topic_of(obj):
    return getattr(obj, "topic", obj) if obj is not None else None


@rules.predicate
def is_community_resident(user, obj):
    """A verified resident of the topic's community (or of the community itself)."""
    if not (user.is_authenticated and user.is_verified):
        return False
    ids = actor_scope(user).resident_community_ids
    if obj is None:
        return bool(ids)
    topic = _topic_of(obj)
    community_id = getattr(topic, "community_id", None) or getattr(topic, "pk", None)
    return community_id in ids


@rules.predicate
def is_topic_staff(user, obj):
    """Street admins of its street, workers of its community, leaders of its grid."""
    topic = _topic_of(obj)
    return bool(is_people_staff(user)) and bool(obj_in_people_scope(user, topic))


@rules.predicate
def is_topic_raiser(user, topic):
    if topic is None:
        return False
    if topic.raised_by_id is not None:
        return topic.raised_by_id == user.pk
    return False


@rules.predicate
def sees_topic(user, obj):
    topic = _topic_of(obj)
    return topic is None or actor_scope(user).covers(topic, Level.PUBLIC)


rules.add_perm("proposals.view_topic", is_topic_staff)
rules.add_perm("proposals.see_topic", sees_topic)
rules.add_perm("proposals.work_topic", is_topic_staff)
for _action in ("answer", "solve", "decline", "merge", "open", "adopt", "lapse"):
    rules.add_perm(f"proposals.{_action}_topic", is_topic_staff)
rules.add_perm("proposals.party_branch_hand_topic", is_topic_staff)
rules.add_perm("proposals.deliberate_topic", is_topic_staff)
rules.add_perm("proposals.note_topic", is_topic_staff)
rules.add_perm("proposals.confirm_topic", is_topic_raiser)
rules.add_perm("proposals.hand_topic", is_community_resident)
rules.add_perm("proposals.comment_topic", is_community_resident | is_topic_staff)
rules.add_perm("proposals.report_comment", is_community_resident)
rules.add_perm("proposals.moderate_comment", is_topic_staff)
rules.add_perm("proposals.follow_topic", sees_topic)

# The admin's model permissions: people-level staff work the inbox (changes go through the
# action forms, which call the services); policy and categories are the street's settings.
rules.add_perm("proposals.change_topic", is_topic_staff)
rules.add_perm("proposals.add_topic", is_people_staff)
for _model in ("comment", "deliberation", "hand", "topicevent"):
    rules.add_perm(f"proposals.view_{_model}", is_topic_staff)
rules.add_perm("proposals.change_comment", is_topic_staff)
rules.add_perm("proposals.add_deliberation", is_topic_staff)
for _model in ("category", "proposalpolicy", "communitypolicy"):
    rules.add_perm(f"proposals.view_{_model}", is_people_staff)
    for _verb in ("add", "change"):
        rules.add_perm(f"proposals.{_verb}_{_model}", is_street_or_super)
