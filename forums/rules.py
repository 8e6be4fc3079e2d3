"""Who may do what with forums, meetings and the monthly musts (django-rules, autodiscovered).

Visibility is the selectors' job (forums.scope); an object out of scope is a 404 before these
checks run. Community workers and street admins write within their scope (a street-level forum:
the street's admins); grid and district leaders read. Residents read the held meetings (minutes
and decisions, attendance counts only) of their community's forums and their street's.
Names of members and attendance are for people-level staff (never a district leader, who
sees the counts).
"""

import rules

from accounts.rules import (
    is_community_worker,
    is_org_staff,
    is_people_staff,
    is_street_admin,
    is_superuser,
)

from . import scope


@rules.predicate
def reads(user, obj):
    return obj is None or scope.staff_reads(user, obj)


@rules.predicate
def manages(user, obj):
    return obj is None or scope.manages(user, obj)


@rules.predicate
def manages_community(user, community):
    return community is None or scope.manages_community(user, community)


@rules.predicate
def reads_community(user, community):
    return community is None or scope.staff_reads_community(user, community)


@rules.predicate
def held(user, meeting):
    return meeting is not None and meeting.status == "held"


@rules.predicate
def resident_reads(user, obj):
    return obj is not None and scope.resident_reads(user, obj)


is_forum_writer = is_superuser | is_street_admin | is_community_worker
forum_reader = is_org_staff & reads
forum_manager = is_forum_writer & manages
# Names of people (members, attendance): people-level staff only, never a district leader.
people_reader = is_people_staff & reads
musts_reader = is_org_staff & reads_community
musts_manager = is_forum_writer & manages_community

rules.add_perm("forums", is_org_staff)

rules.add_perm("forums.view_forum", forum_reader)
rules.add_perm("forums.add_forum", forum_manager)
rules.add_perm("forums.change_forum", forum_manager)
rules.add_perm("forums.dissolve_forum", forum_manager)
rules.add_perm("forums.delete_forum", rules.always_deny)  # dissolved, never deleted

rules.add_perm("forums.view_forummember", people_reader)
rules.add_perm("forums.add_forummember", forum_manager)
rules.add_perm("forums.change_forummember", forum_manager)
rules.add_perm("forums.delete_forummember", rules.always_deny)  # leaves, stays on record

rules.add_perm("forums.view_meeting", forum_reader)
rules.add_perm("forums.add_meeting", forum_manager)
rules.add_perm("forums.change_meeting", forum_manager)
rules.add_perm("forums.hold_meeting", forum_manager)
rules.add_perm("forums.cancel_meeting", forum_manager)
rules.add_perm("forums.delete_meeting", rules.always_deny)  # cancelled, never deleted
# The public record: minutes and decisions of a held meeting.
rules.add_perm("forums.read_meeting", forum_reader | (held & resident_reads))
rules.add_perm("forums.view_attendance_meeting", people_reader)

rules.add_perm("forums.view_decision", forum_reader)
rules.add_perm("forums.change_decision", forum_manager)
rules.add_perm("forums.follow_up_decision", forum_manager)
rules.add_perm("forums.view_attendance", people_reader)
for _model in ("meetingevent", "forumevent"):
    rules.add_perm(f"forums.view_{_model}", forum_reader)

rules.add_perm("forums.view_mustactivity", musts_reader)
rules.add_perm("forums.add_mustactivity", musts_manager)
rules.add_perm("forums.record_must", musts_manager)
rules.add_perm("forums.change_mustactivity", rules.always_deny)
rules.add_perm("forums.delete_mustactivity", rules.always_deny)
rules.add_perm("forums.view_monthlymusts", is_org_staff & reads_community)
rules.add_perm("forums.export_musts", is_org_staff)
