"""What a project publishes while it runs: milestones, progress updates with photos, and the
covenant.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scope import Level, actor_scope
from core.exceptions import ApplicationError
from notifications.services import notify

from ..models import Milestone, ProgressPhoto, ProgressUpdate, ProjectCovenant
from ._common import (
    MAX_UPLOAD_BYTES,
    Stage,
    _audience,
    _event,
    _invalid,
    _lock,
    _require,
    _require_open,
    _text,
    _validate_image,
    project_url,
)

MAX_PHOTOS = 9


@transaction.atomic
def milestone_add(*, actor, project, title, due_on=None) -> Milestone:
    project = _lock(project)
    _require(actor, "projects.manage_project", project)
    _require_open(project, _("添加节点"))
    title = _text(title, "title", max_length=100)
    milestone = Milestone.objects.create(project=project, title=title, due_on=due_on)
    _event(project, actor=actor, verb="milestone_added", note=title, milestone_id=milestone.pk)
    return milestone


@transaction.atomic
def milestone_complete(*, actor, milestone) -> Milestone:
    milestone = (
        Milestone.objects.select_for_update()
        .select_related("project__community")
        .get(pk=milestone.pk)
    )
    project = milestone.project
    _require(actor, "projects.manage_project", project)
    _require_open(project, _("完成节点"))
    if milestone.done_at is not None:
        raise ApplicationError(_("该节点已完成。"), code="conflict")
    milestone.done_at = timezone.now()
    milestone.done_by = actor
    milestone.save(update_fields=["done_at", "done_by", "updated_at"])
    _event(
        project, actor=actor, verb="milestone_done", note=milestone.title, milestone_id=milestone.pk
    )
    return milestone


@transaction.atomic
def progress_post(*, actor, project, text, photos=()) -> ProgressUpdate:
    project = _lock(project)
    _require(actor, "projects.post_update_project", project)
    text = _text(text, "text", max_length=2000)
    photos = list(photos or [])
    if len(photos) > MAX_PHOTOS:
        raise _invalid("photos", _("最多上传 %(n)s 张照片。") % {"n": MAX_PHOTOS})
    for photo in photos:
        if photo.size > MAX_UPLOAD_BYTES:
            raise _invalid("photos", _("每张照片不能超过 10 MB。"))
        _validate_image(photo, "photos")
    _require_open(project, _("发布进展"))
    update = ProgressUpdate.objects.create(project=project, author=actor, text=text)
    for photo in photos:
        ProgressPhoto.objects.create(update=update, image=photo)
    _event(
        project,
        actor=actor,
        verb="progress_posted",
        note=text[:200],
        update_id=update.pk,
        photos=len(photos),
    )
    return update


@transaction.atomic
def covenant_publish(*, actor, project, title, text) -> ProjectCovenant:
    project = _lock(project)
    _require(actor, "projects.manage_project", project)
    if project.stage in {Stage.PLANNING, Stage.CANCELLED}:
        raise ApplicationError(
            _("项目当前处于“%(stage)s”阶段，不能发布规约。")
            % {"stage": project.get_stage_display()},
            code="conflict",
        )
    title = _text(title, "title", max_length=100)
    text = _text(text, "text", max_length=10000)
    covenant = ProjectCovenant.objects.create(
        project=project, title=title, text=text, published_at=timezone.now(), published_by=actor
    )
    _event(project, actor=actor, verb="covenant_published", note=title, covenant_id=covenant.pk)
    notify(
        recipients=_audience(project),
        kind="projects.project.covenant",
        title=_("微项目“%(p)s”发布了规约《%(t)s》") % {"p": project.title, "t": title},
        url=project_url(project),
        subject=project,
    )
    return covenant


def visible_level(actor, project) -> Level:
    """PEOPLE for staff who run the project (they see internal notes), else PUBLIC."""
    return Level.PEOPLE if actor_scope(actor).covers(project, Level.PEOPLE) else Level.PUBLIC
