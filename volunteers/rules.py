"""Who may do what in volunteer service (django-rules, autodiscovered).

Visibility is the selectors' job: residents see the published activities of their own community
(Level.PUBLIC), staff see sign-ups and attendance of the communities they work for
(Level.PEOPLE); anything else is a 404 before these checks run. The predicates decide who acts:

- Running activities, teams and attendance: street admins of the street and community workers
  of the community (and superusers). Grid leaders and district leaders do not: an activity
  belongs to a community, and district leaders read aggregates only.
- Residents: a verified resident of the community registers as its volunteer, signs up,
  checks in with the activity's code, joins its teams, reports as an in-service party member.
- Points (the points helper's side): people-level staff of the community/street manage rewards,
  adjust points and read ledgers.
"""

import rules

from accounts.rules import (
    is_community_worker,
    is_street_admin,
    is_superuser,
    is_verified_resident,
    obj_in_people_scope,
)
from accounts.scope import actor_scope


@rules.predicate
def obj_in_home_community(user, obj):
    """The object (an activity, a team, a community, …) is in the resident's own community."""
    if obj is None:
        return True
    community_id = obj.scope_paths.resolve(obj, "community")
    return community_id in actor_scope(user).resident_community_ids


@rules.predicate
def is_own_profile(user, obj):
    """The object is the caller's own volunteer profile (or a row that names it)."""
    if obj is None:
        return True
    profile = getattr(obj, "profile", obj)
    return getattr(profile, "user_id", None) == user.pk


# Staff who run volunteer work in a community: a grid leader's micro-grid does not own
# activities, and a district leader does not act on people.
is_volunteer_staff = is_superuser | is_street_admin | is_community_worker
community_staff = is_volunteer_staff & obj_in_people_scope
home_resident = is_verified_resident & obj_in_home_community

# The admin's module permission: the admin is for staff who run the work.
rules.add_perm("volunteers", is_volunteer_staff)

# Activities
rules.add_perm("volunteers.view_activity", community_staff)
rules.add_perm("volunteers.add_activity", community_staff)
rules.add_perm("volunteers.change_activity", community_staff)
rules.add_perm("volunteers.manage_activity", community_staff)
rules.add_perm("volunteers.delete_activity", rules.always_deny)  # cancelled, never deleted
rules.add_perm("volunteers.signup_activity", home_resident)
rules.add_perm("volunteers.checkin_activity", home_resident)

# Sign-ups and attendance: rows the services write; the admin reads them.
rules.add_perm("volunteers.view_signup", community_staff)
rules.add_perm("volunteers.add_signup", rules.always_deny)
rules.add_perm("volunteers.change_signup", rules.always_deny)
rules.add_perm("volunteers.delete_signup", rules.always_deny)
rules.add_perm("volunteers.view_attendance", community_staff)
rules.add_perm("volunteers.record_attendance", community_staff)
rules.add_perm("volunteers.approve_attendance", community_staff)
rules.add_perm("volunteers.add_attendance", rules.always_deny)
rules.add_perm("volunteers.change_attendance", rules.always_deny)
rules.add_perm("volunteers.delete_attendance", rules.always_deny)

# Volunteer profiles: the resident registers themself; staff register for a resident.
rules.add_perm("volunteers.register_volunteer", home_resident | community_staff)
rules.add_perm("volunteers.view_volunteerprofile", community_staff)
rules.add_perm("volunteers.add_volunteerprofile", community_staff)
rules.add_perm("volunteers.change_volunteerprofile", community_staff | is_own_profile)
rules.add_perm("volunteers.delete_volunteerprofile", rules.always_deny)
rules.add_perm("volunteers.export_volunteerprofile", community_staff)

# In-service party members' reports 在职党员报到.
rules.add_perm("volunteers.report_party_member", home_resident | community_staff)
rules.add_perm("volunteers.view_partymemberreport", community_staff)
rules.add_perm("volunteers.add_partymemberreport", community_staff)
rules.add_perm("volunteers.change_partymemberreport", community_staff)
rules.add_perm("volunteers.delete_partymemberreport", rules.always_deny)

# Service teams and their members.
rules.add_perm("volunteers.view_serviceteam", community_staff)
rules.add_perm("volunteers.add_serviceteam", community_staff)
rules.add_perm("volunteers.change_serviceteam", community_staff)
rules.add_perm("volunteers.manage_serviceteam", community_staff)
rules.add_perm("volunteers.delete_serviceteam", rules.always_deny)  # deactivated instead
rules.add_perm("volunteers.join_serviceteam", home_resident)
rules.add_perm("volunteers.export_serviceteam", community_staff)
rules.add_perm("volunteers.view_teammembership", community_staff)
rules.add_perm("volunteers.add_teammembership", rules.always_deny)
rules.add_perm("volunteers.change_teammembership", rules.always_deny)
rules.add_perm("volunteers.delete_teammembership", rules.always_deny)

# Points side (the points helper may add more in its own modules).
rules.add_perm("volunteers.manage_rewards", community_staff)
rules.add_perm("volunteers.adjust_points", community_staff)
rules.add_perm("volunteers.view_ledger", community_staff)
