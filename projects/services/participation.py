"""Members joining and leaving a project, and residents' evaluations of a published one."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError

from ..models import Evaluation, ProjectMember
from ._common import Stage, _event, _invalid, _lock, _require, _require_open, _text

SELF_SIGNUP_ROLES = {
    ProjectMember.Role.TEAM,
    ProjectMember.Role.VOLUNTEER,
    ProjectMember.Role.PARTICIPANT,
}


@transaction.atomic
def member_join(*, actor, project, role=ProjectMember.Role.PARTICIPANT) -> ProjectMember:
    """A verified resident of the project's community signs up, once."""
    project = _lock(project)
    _require(actor, "projects.join_project", project)
    if role not in SELF_SIGNUP_ROLES:
        raise _invalid("role", _("请选择团队成员、志愿者或参与居民。"))
    _require_open(project, _("报名参与"))
    if ProjectMember.objects.filter(project=project, user=actor).exists():
        raise ApplicationError(_("您已报名参与该项目。"), code="conflict")
    resident = getattr(actor, "resident", None)
    if (
        resident is not None
        and ProjectMember.objects.filter(project=project, resident=resident).exists()
    ):
        raise ApplicationError(_("您已报名参与该项目。"), code="conflict")
    try:
        with transaction.atomic():
            member = ProjectMember.objects.create(
                project=project, user=actor, resident=resident, role=role
            )
    except IntegrityError:
        raise ApplicationError(_("您已报名参与该项目。"), code="conflict") from None
    _event(
        project, actor=actor, verb="member_joined", note=ProjectMember.Role(role).label, role=role
    )
    return member


@transaction.atomic
def member_leave(*, actor, project) -> None:
    project = _lock(project)
    member = ProjectMember.objects.filter(project=project, user=actor).first()
    if member is None:
        raise ApplicationError(_("您未报名参与该项目。"), code="not_found")
    if member.role == ProjectMember.Role.LEAD:
        raise ApplicationError(
            _("主理人不能退出项目，请联系社区工作者更换主理人。"), code="conflict"
        )
    _require_open(project, _("退出项目"))
    member.delete()
    _event(project, actor=actor, verb="member_left", note=member.get_role_display())


@transaction.atomic
def evaluation_submit(*, actor, project, rating, comment="") -> Evaluation:
    """A verified resident of the community rates a published project, once, in the window."""
    project = _lock(project)
    _require(actor, "projects.evaluate_project", project)
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise _invalid("rating", _("评分须为 1 到 5 的整数。"))
    comment = _text(comment, "comment", max_length=1000, required=False)
    now = timezone.now()
    if project.stage != Stage.PUBLISHED or now >= project.review_closes_at:
        raise ApplicationError(_("项目不在评价期内。"), code="conflict")
    if Evaluation.objects.filter(project=project, user=actor).exists():
        raise ApplicationError(_("您已评价过该项目。"), code="conflict")
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(
                project=project, user=actor, rating=rating, comment=comment
            )
    except IntegrityError:
        raise ApplicationError(_("您已评价过该项目。"), code="conflict") from None
    return evaluation
