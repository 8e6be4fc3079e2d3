"""Who may do what with micro-projects (django-rules, autodiscovered).

Visibility is the selectors' job (Level.PUBLIC: staff in scope and the community's residents);
a project out of scope is a 404 before these checks run. The predicates here decide who may act:

- Staff who run a project: street admins of its street, community workers of its community,
  grid leaders of its grid (PEOPLE scope). District leaders read only.
- Residents: a verified resident of the project's community signs up, evaluates, comments.
  The project's lead and team members may also post progress updates.
- Fund pools: street admins set them; people staff in scope read their balance.
"""

import rules

from accounts.rules import (
    is_org_staff,
    is_people_staff,
    is_street_or_super,
    is_verified_resident,
    obj_in_org_scope,
    obj_in_people_scope,
)
from accounts.scope import actor_scope


@rules.predicate
def obj_in_home_community(user, obj):
    """The project (or its child row) belongs to the resident's own verified community."""
    if obj is None:
        return True
    community_id = obj.scope_paths.resolve(obj, "community")
    return community_id in actor_scope(user).resident_community_ids


@rules.predicate
def is_project_team(user, project):
    """The user is the project's lead or a team member (by account)."""
    if project is None:
        return True
    from .models import ProjectMember

    return ProjectMember.objects.filter(
        project=project,
        user=user,
        role__in=[ProjectMember.Role.LEAD, ProjectMember.Role.TEAM],
    ).exists()


@rules.predicate
def obj_in_admin_street(user, obj):
    if obj is None:
        return True
    scope = actor_scope(user)
    return scope.is_global or obj.scope_paths.resolve(obj, "street") in scope.street_ids


project_staff = is_people_staff & obj_in_people_scope
home_resident = is_verified_resident & obj_in_home_community

rules.add_perm("projects", is_org_staff)

# Adopting a topic is checked against the topic (proposals' scope paths).
rules.add_perm("projects.adopt_topic", project_staff)
rules.add_perm("projects.view_project", is_org_staff & obj_in_org_scope)
rules.add_perm("projects.manage_project", project_staff)
rules.add_perm("projects.change_project", project_staff)
rules.add_perm("projects.add_project", rules.always_deny)  # projects come from adoption only
rules.add_perm("projects.delete_project", rules.always_deny)
rules.add_perm("projects.join_project", home_resident)
rules.add_perm("projects.evaluate_project", home_resident)
rules.add_perm("projects.comment_project", project_staff | home_resident)
rules.add_perm("projects.post_update_project", project_staff | (home_resident & is_project_team))

rules.add_perm("projects.view_fundpool", is_people_staff & obj_in_people_scope)
rules.add_perm("projects.add_fundpool", is_street_or_super)
rules.add_perm("projects.set_fundpool", is_street_or_super & obj_in_admin_street)
rules.add_perm("projects.change_fundpool", is_street_or_super & obj_in_admin_street)
rules.add_perm("projects.delete_fundpool", rules.always_deny)

rules.add_perm("projects.view_evaluation", is_people_staff & obj_in_people_scope)
rules.add_perm("projects.change_evaluation", rules.always_deny)
rules.add_perm("projects.add_evaluation", rules.always_deny)
rules.add_perm("projects.delete_evaluation", rules.always_deny)
