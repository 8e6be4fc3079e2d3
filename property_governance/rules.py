"""Who may do what in property governance (django-rules, autodiscovered).

Visibility is the selectors' (the one scope mechanism): staff read the rows of the communities
in their ORG scope (district and grid leaders included), residents their own community's
public rows (areas, companies, contracts, committees, elections past the draft). The
predicates decide who acts:

- A community's workers and its street's admins manage its areas, contracts, committees,
  elections (candidates, publish, open voting, count, cancel), paper ballots, 选聘 and merges.
- The street's admins keep the street's register of property companies; workers read it.
- Verified residents of the community vote (the service checks that the household lives in
  the area's compounds, the window and one ballot per household).
- Ballots name households: people-level staff only.
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
from grids.models import Community, Street


def unit_ids(obj):
    """(street id, community id) of a property-governance row (loaded ids; may follow FKs)."""
    if obj is None:
        return None, None
    if hasattr(obj, "credit_code"):  # a company: the street's register
        return obj.street_id, None
    for hop in ("election", "committee", "contract", "selection"):
        if hasattr(obj, f"{hop}_id") and getattr(obj, f"{hop}_id", None) is not None:
            parent = getattr(obj, hop)
            if hasattr(parent, "area_id"):
                return unit_ids(parent)
    if hasattr(obj, "area_id"):
        return None, obj.area.community_id
    return None, obj.community_id


@rules.predicate
def reads_unit(user, obj):
    if obj is None:
        return True
    scope = actor_scope(user)
    if scope.is_global:
        return True
    street_id, community_id = unit_ids(obj)
    if community_id is not None:
        return scope.covers(Community(pk=community_id), Level.ORG)
    return scope.covers(Street(pk=street_id), Level.ORG)


@rules.predicate
def manages(user, obj):
    if obj is None:
        return True
    scope = actor_scope(user)
    if scope.is_global:
        return True
    street_id, community_id = unit_ids(obj)
    if community_id is not None:
        return community_id in scope.people_community_ids
    return street_id in scope.street_ids


@rules.predicate
def in_home_community(user, obj):
    if obj is None:
        return bool(actor_scope(user).resident_community_ids)
    _street, community_id = unit_ids(obj)
    return community_id in actor_scope(user).resident_community_ids


is_manager = is_superuser | is_street_admin | is_community_worker
reader = is_org_staff & reads_unit
manager = is_manager & manages
street_registrar = (is_superuser | is_street_admin) & manages

rules.add_perm("property_governance", is_org_staff)

MODELS = (
    "propertyarea",
    "propertycompany",
    "propertycontract",
    "contractfee",
    "merge",
    "ownerscommittee",
    "committeemember",
    "election",
    "candidate",
    "electionevent",
    "propertyselection",
    "selectioncandidate",
)
for _model in MODELS:
    rules.add_perm(f"property_governance.view_{_model}", reader)
    # Rows end (merged, ended, cancelled) and stay readable; nothing is deleted.
    rules.add_perm(f"property_governance.delete_{_model}", rules.always_deny)

rules.add_perm("property_governance.add_propertyarea", manager)
rules.add_perm("property_governance.change_propertyarea", manager)
rules.add_perm("property_governance.merge_propertyarea", manager)
rules.add_perm("property_governance.add_propertycompany", street_registrar)
rules.add_perm("property_governance.change_propertycompany", street_registrar)
rules.add_perm("property_governance.add_propertycontract", manager)
rules.add_perm("property_governance.end_propertycontract", manager)
rules.add_perm("property_governance.add_ownerscommittee", manager)
rules.add_perm("property_governance.change_ownerscommittee", manager)
rules.add_perm("property_governance.add_election", manager)
rules.add_perm("property_governance.change_election", manager)
rules.add_perm("property_governance.manage_election", manager)
rules.add_perm("property_governance.enter_paper_ballot", manager)
rules.add_perm("property_governance.export_election", reader)
rules.add_perm("property_governance.vote_election", is_verified_resident & in_home_community)
rules.add_perm("property_governance.add_propertyselection", manager)
rules.add_perm("property_governance.change_propertyselection", manager)
# Ballots name households: people-level staff of the community only.
rules.add_perm("property_governance.view_ballot", is_people_staff & reads_unit)
rules.add_perm("property_governance.delete_ballot", rules.always_deny)
