"""Who may do what on the community board (django-rules, autodiscovered).

Visibility is the selectors' job (board.scope): staff read the notices and consultations of
the units in their ORG scope (district and grid leaders included), residents the notices that
address them and the consultations of their community; anything else is a 404 before these
checks run. The predicates decide who acts:

- Notices: street admins write street-wide notices of their street; community workers and
  the street's admins write a community's notices (community, compound or building).
  Grid leaders and district leaders read. Residents read what addresses them, and a verified
  resident acknowledges a notice that asks for it.
- Who has not acknowledged yet (names): people-level staff only, rows within their people
  scope (a grid leader sees their grid's residents); never a district leader.
- Consultations: a community's workers and its street's admins create, publish, cancel and
  enter paper answers. Verified residents of the community answer (the service checks the
  target, the household and the window). Results: staff in scope always; the community's
  residents once the consultation allows it. The list of who answered: people-level staff.
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
from accounts.scope import actor_scope

from .scope import is_addressed, manages_unit, staff_sees_unit, unit_ids


@rules.predicate
def reads_unit(user, obj):
    if obj is None:
        return True
    street_id, community_id = unit_ids(obj)
    return staff_sees_unit(user, street_id=street_id, community_id=community_id)


@rules.predicate
def manages(user, obj):
    if obj is None:
        return True
    street_id, community_id = unit_ids(obj)
    return manages_unit(user, street_id=street_id, community_id=community_id)


@rules.predicate
def addressed(user, notice):
    return notice is not None and is_addressed(user, notice)


@rules.predicate
def in_home_community(user, obj):
    if obj is None:
        return bool(actor_scope(user).resident_community_ids)
    return obj.community_id in actor_scope(user).resident_community_ids


@rules.predicate
def results_public(user, consultation):
    return consultation is not None and consultation.results_public()


is_board_manager = is_superuser | is_street_admin | is_community_worker
board_reader = is_org_staff & reads_unit
board_manager = is_board_manager & manages

# The admin's module permission: every staff role reads the board.
rules.add_perm("board", is_org_staff)

# Notices
rules.add_perm("board.view_notice", board_reader)
rules.add_perm("board.add_notice", board_manager)
rules.add_perm("board.change_notice", board_manager)
rules.add_perm("board.publish_notice", board_manager)
rules.add_perm("board.withdraw_notice", board_manager)
rules.add_perm("board.delete_notice", rules.always_deny)  # withdrawn, never deleted
rules.add_perm("board.read_notice", addressed)
rules.add_perm("board.ack_notice", is_verified_resident & addressed)
rules.add_perm("board.view_unacknowledged_notice", is_people_staff & reads_unit)
for _model in ("noticeattachment", "noticeevent", "noticeread", "noticeack"):
    rules.add_perm(f"board.view_{_model}", board_reader)

# Consultations
rules.add_perm("board.view_consultation", board_reader)
rules.add_perm("board.add_consultation", board_manager)
rules.add_perm("board.change_consultation", board_manager)
rules.add_perm("board.publish_consultation", board_manager)
rules.add_perm("board.cancel_consultation", board_manager)
rules.add_perm("board.delete_consultation", rules.always_deny)  # cancelled, never deleted
rules.add_perm("board.respond_consultation", is_verified_resident & in_home_community)
rules.add_perm("board.enter_paper_response", board_manager)
rules.add_perm(
    "board.view_results_consultation", board_reader | (in_home_community & results_public)
)
rules.add_perm("board.export_consultation", board_reader)
rules.add_perm("board.view_responses_consultation", is_people_staff & reads_unit)
for _model in ("question", "option", "consultationevent"):
    rules.add_perm(f"board.view_{_model}", board_reader)
# Answer sheets name people: people-level staff only (the rows are limited to their scope).
rules.add_perm("board.view_response", is_people_staff & reads_unit)
