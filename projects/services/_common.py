"""Helpers shared by every project service: permission and stage checks, row locks, input
cleaning, the public timeline event and its audience.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, RoleAssignment
from accounts.scope import actor_scope
from core.exceptions import ApplicationError
from core.timeline import timeline_append

from ..models import Project, ProjectEvent, ProjectMember

Stage = Project.Stage
# Stages while the work is open: team, plan, budget and spending can still change.
OPEN_STAGES = {Stage.PLANNING, Stage.IN_PROGRESS}
MAX_UPLOAD_BYTES = 10 * 1024 * 1024


def _invalid(field, message):
    return ApplicationError(message, code="invalid", fields={field: message})


def _forbidden():
    return ApplicationError(_("您无权进行此操作。"), code="forbidden")


def _require(actor, perm, obj):
    if actor is None or not actor.has_perm(perm, obj):
        raise _forbidden()


def _lock(project) -> Project:
    return Project.objects.select_for_update().get(pk=project.pk)


def _require_open(project, action):
    if project.stage not in OPEN_STAGES:
        raise ApplicationError(
            _("项目当前处于“%(stage)s”阶段，不能%(action)s。")
            % {"stage": project.get_stage_display(), "action": action},
            code="conflict",
        )


def actor_label(actor, project) -> str:
    """How the actor is named on the public timeline."""
    if actor is None:
        return _("系统")
    scope = actor_scope(actor)
    if scope.is_global:
        return _("系统管理员")
    if project.community.street_id in scope.street_ids:
        return _("街道管理员")
    if project.community_id in scope.community_ids:
        return _("%(community)s 社区工作者") % {"community": project.community.name}
    if project.grid_id and project.grid_id in scope.grid_ids:
        return _("微网格长")
    return _("居民 %(name)s") % {"name": actor.get_full_name()}


def _event(project, *, actor, verb, note="", from_state="", to_state="", is_public=True, **data):
    return timeline_append(
        ProjectEvent,
        subject_field="project",
        subject=project,
        actor=actor,
        actor_label=actor_label(actor, project),
        verb=verb,
        note=note,
        from_state=from_state,
        to_state=to_state,
        is_public=is_public,
        **data,
    )


def _audience(project):
    """Members with an account and the topic's followers: told of every stage change."""
    from accounts.models import User
    from proposals.models import TopicFollow

    member_ids = ProjectMember.objects.filter(project=project, user__isnull=False).values("user_id")
    follower_ids = TopicFollow.objects.filter(topic_id=project.topic_id).values("user_id")
    return list(User.objects.filter(pk__in=member_ids) | User.objects.filter(pk__in=follower_ids))


def community_staff(project):
    """The community's workers and the grid's leader: told when the review window ends."""
    from accounts.models import User

    today = timezone.localdate()
    rows = RoleAssignment.objects.active(on=today).filter(
        role=Role.COMMUNITY_WORKER, community_id=project.community_id
    )
    if project.grid_id:
        rows = rows | RoleAssignment.objects.active(on=today).filter(
            role=Role.GRID_LEADER, grid_id=project.grid_id
        )
    return list(User.objects.filter(pk__in=rows.values("user_id")))


def project_url(project) -> str:
    """Where a resident's notification about the project leads: its page on the phone."""
    return reverse("pages:project", args=[project.pk])


def _text(value, field, *, max_length, required=True):
    text = (value or "").strip()
    if required and not text:
        raise _invalid(field, _("此项为必填项。"))
    if len(text) > max_length:
        raise _invalid(field, _("最多 %(n)s 个字。") % {"n": max_length})
    return text


def _validate_image(image, field):
    try:
        forms.ImageField().clean(image)
    except ValidationError:
        raise _invalid(field, _("请上传有效的图片。")) from None
    image.seek(0)
