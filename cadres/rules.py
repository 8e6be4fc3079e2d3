"""Who may do what with the cadres' review (django-rules, autodiscovered).

Visibility of rounds is the selectors' job (staff: their ORG scope over the community, so grid
and district leaders read too; residents: the non-draft rounds of their own community). The
predicates decide who acts and who sees which results:

- A community's workers and its street's admins create a round, list its cadres, open, close
  and cancel it. Publishing the results to the community is the street admins' step (they
  have reviewed the per-cadre results first).
- Verified residents of the community take part (the service checks the window and that it is
  their first time).
- Per-cadre results (count per grade, mean, share satisfied) and their export: the street's
  admins and superusers, once the round has ended.
- Aggregates (whole party branch, whole neighbourhood committee): staff in scope once the round
  has ended (district leaders included); the community's residents once published.
- Who took part (names, never scores): people-level staff in scope.
Every result also needs `MIN_PARTICIPANTS` participants; that is the selectors' check.
"""

import rules

from accounts.rules import (
    is_community_worker,
    is_org_staff,
    is_people_staff,
    is_street_admin,
    is_superuser,
    is_verified_resident,
)
from accounts.scope import Level, actor_scope
from grids.models import Community

from .models import ReviewRound


def _round(obj):
    return getattr(obj, "round", obj) if not isinstance(obj, ReviewRound) else obj


@rules.predicate
def reads_community(user, obj):
    if obj is None:
        return True
    scope = actor_scope(user)
    return scope.is_global or (
        scope.is_staff_scope and scope.covers(Community(pk=_round(obj).community_id), Level.ORG)
    )


@rules.predicate
def manages_community(user, obj):
    if obj is None:
        return True
    scope = actor_scope(user)
    return scope.is_global or _round(obj).community_id in scope.people_community_ids


@rules.predicate
def admin_of_street(user, obj):
    """The street admin of the round's street (needs the community loaded)."""
    if obj is None:
        return True
    scope = actor_scope(user)
    return scope.is_global or _round(obj).community.street_id in scope.street_ids


@rules.predicate
def in_home_community(user, obj):
    if obj is None:
        return bool(actor_scope(user).resident_community_ids)
    return _round(obj).community_id in actor_scope(user).resident_community_ids


@rules.predicate
def round_ended(user, obj):
    return obj is not None and _round(obj).has_ended


@rules.predicate
def round_published(user, obj):
    return obj is not None and _round(obj).status == ReviewRound.Status.PUBLISHED


is_cadre_manager = is_superuser | is_street_admin | is_community_worker
round_reader = is_org_staff & reads_community
round_manager = is_cadre_manager & manages_community
street_reviewer = (is_superuser | is_street_admin) & admin_of_street

# The admin's module permission: every staff role reads the rounds.
rules.add_perm("cadres", is_org_staff)

rules.add_perm("cadres.view_reviewround", round_reader)
rules.add_perm("cadres.add_reviewround", round_manager)
rules.add_perm("cadres.change_reviewround", round_manager)
rules.add_perm("cadres.open_reviewround", round_manager)
rules.add_perm("cadres.close_reviewround", round_manager)
rules.add_perm("cadres.cancel_reviewround", round_manager)
rules.add_perm("cadres.publish_reviewround", street_reviewer)
rules.add_perm("cadres.delete_reviewround", rules.always_deny)  # cancelled, never deleted
rules.add_perm("cadres.take_part_reviewround", is_verified_resident & in_home_community)
rules.add_perm("cadres.view_results_reviewround", street_reviewer & round_ended)
rules.add_perm("cadres.export_reviewround", street_reviewer & round_ended)
rules.add_perm(
    "cadres.view_aggregates_reviewround",
    (round_reader & round_ended) | (in_home_community & round_published),
)

rules.add_perm("cadres.view_cadre", round_reader)
rules.add_perm("cadres.add_cadre", round_manager)
rules.add_perm("cadres.change_cadre", round_manager)
rules.add_perm("cadres.delete_cadre", round_manager)
rules.add_perm("cadres.view_reviewroundevent", round_reader)
# Who took part names people (never their scores): people-level staff.
rules.add_perm("cadres.view_participation", is_people_staff & manages_community)
rules.add_perm("cadres.add_participation", rules.always_deny)
rules.add_perm("cadres.change_participation", rules.always_deny)
rules.add_perm("cadres.delete_participation", rules.always_deny)
# Counters are read only through the results (aggregated, after close, enough participants).
for _action in ("view", "add", "change", "delete"):
    rules.add_perm(f"cadres.{_action}_scoretally", rules.always_deny)
