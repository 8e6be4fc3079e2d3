"""Who may do what with covenants (django-rules, autodiscovered).

Visibility is the selectors' job (covenants.selectors on board.scope): staff read the
covenants of the communities in their ORG scope (drafts only those who manage them), residents
their community's covenants past the draft; anything else is a 404 before these checks run.

- A community's workers and its street's admins draft, move every step, moderate comments,
  enter paper signatures and the fund's pledges and receipts. Grid and district leaders read.
- Verified residents of the community comment and report comments; those living in the
  covenant's scope sign or vote for their household (the service checks scope, household and
  window and says why not).
- Names and amounts per household (signing lists, the fund per household, exports): people-
  level staff in scope; residents see counts and the fund's public total only.
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
from board.scope import manages_unit, staff_sees_unit


def _community_id(obj):
    for hop in ("covenant", "version"):
        if hasattr(obj, f"{hop}_id") and not hasattr(obj, "community_id"):
            return _community_id(getattr(obj, hop))
    return obj.community_id


@rules.predicate
def reads_covenant(user, obj):
    if obj is None:
        return True
    return staff_sees_unit(user, street_id=None, community_id=_community_id(obj))


@rules.predicate
def manages_covenant(user, obj):
    if obj is None:
        return True
    return manages_unit(user, street_id=None, community_id=_community_id(obj))


@rules.predicate
def in_home_community(user, obj):
    if obj is None:
        return bool(actor_scope(user).resident_community_ids)
    return _community_id(obj) in actor_scope(user).resident_community_ids


is_manager = is_superuser | is_street_admin | is_community_worker
covenant_reader = is_org_staff & reads_covenant
covenant_manager = is_manager & manages_covenant
people_reader = is_people_staff & reads_covenant

rules.add_perm("covenants", is_org_staff)

rules.add_perm("covenants.view_covenant", covenant_reader)
rules.add_perm("covenants.add_covenant", covenant_manager)
rules.add_perm("covenants.change_covenant", covenant_manager)
rules.add_perm("covenants.move_covenant", covenant_manager)
rules.add_perm("covenants.delete_covenant", rules.always_deny)  # cancelled or repealed
rules.add_perm("covenants.sign_covenant", is_verified_resident & in_home_community)
rules.add_perm("covenants.comment_covenant", is_verified_resident & in_home_community)
rules.add_perm("covenants.report_covenantcomment", is_verified_resident & in_home_community)
rules.add_perm("covenants.moderate_covenantcomment", covenant_manager)
rules.add_perm("covenants.enter_paper_signature", covenant_manager)
rules.add_perm("covenants.enter_fund", covenant_manager)
rules.add_perm("covenants.export_covenant", people_reader)
rules.add_perm("covenants.view_fund_households", people_reader)

for _model in ("covenantversion", "covenantevent", "covenantcomment"):
    rules.add_perm(f"covenants.view_{_model}", covenant_reader)
rules.add_perm("covenants.change_covenantcomment", rules.always_deny)
rules.add_perm("covenants.delete_covenantcomment", rules.always_deny)
# Who signed, and the money per household, name households: people-level staff only.
rules.add_perm("covenants.view_signature", people_reader)
rules.add_perm("covenants.view_fundentry", people_reader)
rules.add_perm("covenants.add_fundentry", covenant_manager)
