"""Who may do what on the lists sent upward (django-rules, autodiscovered).

Visibility is the selectors' job (out of scope is a 404 first). Street admins (and superusers)
write the lists of their street; community workers read their street's lists, with only the
items about their own communities; district leaders read their district's lists and figures.
Grid leaders and residents see nothing. No output ever carries a resident's name or phone.
"""

import rules

from accounts.rules import is_community_worker, is_district_leader, is_street_admin, is_superuser
from accounts.scope import actor_scope


def _street_id(obj):
    return obj.street_id if hasattr(obj, "street_id") else obj.report.street_id


@rules.predicate
def writes_street(user, obj):
    if obj is None:
        return bool(actor_scope(user).street_ids)
    return _street_id(obj) in actor_scope(user).street_ids


is_reader = is_superuser | is_street_admin | is_community_worker | is_district_leader
is_writer = is_superuser | (is_street_admin & writes_street)

rules.add_perm("reporting.view_upwardreport", is_reader)
rules.add_perm("reporting.add_upwardreport", is_writer)
rules.add_perm("reporting.change_upwardreport", is_writer)
rules.add_perm("reporting.delete_upwardreport", rules.always_deny)
rules.add_perm("reporting.view_reportitem", is_reader)
rules.add_perm("reporting.add_reportitem", is_writer)
rules.add_perm("reporting.change_reportitem", is_writer)
rules.add_perm("reporting.delete_reportitem", is_writer)
rules.add_perm("reporting.view_reportitemevent", is_reader)
