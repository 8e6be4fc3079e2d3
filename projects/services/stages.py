"""Adoption and stages: the one transition table, each stage move, and the plan edited while the
work is open.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Avg, Count
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError
from notifications.services import notify

from ..models import Evaluation, Project, ProjectMember
from ._common import (
    Stage,
    _audience,
    _event,
    _invalid,
    _lock,
    _require,
    _require_open,
    _text,
    project_url,
)
from .money import project_fund_release

# The one table of legal stage moves. Closing happens at the end of the review window (the
# clock) or by staff after it; a project is cancelled only before it is published, since a
# published project's accounts are already public and it must be evaluated.
TRANSITIONS = {
    Stage.PLANNING: {Stage.IN_PROGRESS, Stage.CANCELLED},
    Stage.IN_PROGRESS: {Stage.PUBLISHED, Stage.CANCELLED},
    Stage.PUBLISHED: {Stage.CLOSED},
    Stage.CLOSED: set(),
    Stage.CANCELLED: set(),
}
STAGE_STAMP = {
    Stage.PLANNING: "planning_at",
    Stage.IN_PROGRESS: "in_progress_at",
    Stage.PUBLISHED: "published_at",
    Stage.CLOSED: "closed_at",
    Stage.CANCELLED: "cancelled_at",
}
DEFAULT_REVIEW_DAYS = 7
MAX_REVIEW_DAYS = 60
SCORE_PLACES = Decimal("0.01")
KEEP = object()  # "leave unchanged" for optional update arguments


def _check_move(project, to_stage):
    if to_stage not in TRANSITIONS[project.stage]:
        raise ApplicationError(
            _("项目当前处于“%(stage)s”阶段，不能%(action)s。")
            % {"stage": project.get_stage_display(), "action": _STAGE_ACTION[to_stage]},
            code="conflict",
        )


_STAGE_ACTION = {
    Stage.IN_PROGRESS: _("开始实施"),
    Stage.PUBLISHED: _("公示"),
    Stage.CLOSED: _("结项"),
    Stage.CANCELLED: _("取消"),
}


def _move(project, *, actor, to_stage, now, note="", verb=None, **data):
    from_stage = project.stage
    project.stage = to_stage
    setattr(project, STAGE_STAMP[to_stage], now)
    _event(
        project,
        actor=actor,
        verb=verb or to_stage,
        note=note,
        from_state=from_stage,
        to_state=to_stage,
        **data,
    )
    title = _("微项目“%(title)s”%(stage)s") % {
        "title": project.title,
        "stage": Stage(to_stage).label,
    }
    notify(
        recipients=_audience(project),
        kind=f"projects.project.{to_stage}",
        title=title,
        body=note,
        url=project_url(project),
        subject=project,
    )


def _resident_of_community(resident, community_id, field="lead"):
    if resident is not None and resident.community_id != community_id:
        raise _invalid(field, _("主理人须是本居民区的居民。"))


@transaction.atomic
def project_adopt(*, actor, topic, title, plan="", lead=None, summary="") -> Project:
    """Adopt a topic as a micro-project 立项: the topic moves to adopted (proposals' rules) and
    the project is created in the same transaction, so neither exists without the other."""
    from proposals.services import topic_adopt

    _require(actor, "projects.adopt_topic", topic)
    title = _text(title, "title", max_length=100)
    summary = _text(summary, "summary", max_length=300, required=False)
    plan = (plan or "").strip()
    _resident_of_community(lead, topic.community_id)
    if Project.objects.filter(topic_id=topic.pk).exists():
        raise ApplicationError(_("该议题已立项。"), code="conflict")
    topic = topic_adopt(actor=actor, topic=topic, note=title)
    now = timezone.now()
    project = Project.objects.create(
        topic=topic,
        community_id=topic.community_id,
        grid_id=topic.grid_id,
        title=title,
        summary=summary,
        plan=plan,
        lead=lead,
        stage=Stage.PLANNING,
        planning_at=now,
        created_by=actor,
    )
    if lead is not None:
        ProjectMember.objects.create(
            project=project, resident=lead, user_id=lead.account_id, role=ProjectMember.Role.LEAD
        )
    _event(
        project,
        actor=actor,
        verb="adopted",
        to_state=Stage.PLANNING,
        note=_("由议题“%(topic)s”立项") % {"topic": topic.title},
        topic_id=topic.pk,
    )
    notify(
        recipients=_audience(project),
        kind="projects.project.adopted",
        title=_("议题已立项为微项目“%(title)s”") % {"title": title},
        url=project_url(project),
        subject=project,
    )
    return project


@transaction.atomic
def project_start(*, actor, project, note="") -> Project:
    project = _lock(project)
    _require(actor, "projects.manage_project", project)
    _check_move(project, Stage.IN_PROGRESS)
    _move(
        project,
        actor=actor,
        to_stage=Stage.IN_PROGRESS,
        now=timezone.now(),
        note=(note or "").strip(),
        verb="started",
    )
    project.save(update_fields=["stage", "in_progress_at", "updated_at"])
    return project


@transaction.atomic
def project_publish(*, actor, project, results, review_days=DEFAULT_REVIEW_DAYS) -> Project:
    """Publish the results and accounts 公示; residents evaluate until the window closes."""
    project = _lock(project)
    _require(actor, "projects.manage_project", project)
    _check_move(project, Stage.PUBLISHED)
    results = _text(results, "results", max_length=5000)
    if review_days is None:
        review_days = DEFAULT_REVIEW_DAYS
    if not isinstance(review_days, int) or not 1 <= review_days <= MAX_REVIEW_DAYS:
        raise _invalid(
            "review_days", _("公示天数须在 1 到 %(n)s 天之间。") % {"n": MAX_REVIEW_DAYS}
        )
    now = timezone.now()
    project.results = results
    project.review_days = review_days
    project.review_opens_at = now
    project.review_closes_at = now + datetime.timedelta(days=review_days)
    _move(
        project,
        actor=actor,
        to_stage=Stage.PUBLISHED,
        now=now,
        note=results,
        verb="published",
        review_days=review_days,
        review_closes_at=project.review_closes_at.isoformat(),
    )
    project.save(
        update_fields=[
            "stage",
            "published_at",
            "results",
            "review_days",
            "review_opens_at",
            "review_closes_at",
            "updated_at",
        ]
    )
    return project


@transaction.atomic
def project_close(*, actor, project, now=None) -> Project:
    """Close a published project once its review window is over, storing its satisfaction
    score (the mean rating, two decimals) and evaluation count once, for good.

    `actor=None` is the review-window clock closing it on time."""
    now = now or timezone.now()
    project = _lock(project)
    if actor is not None:
        _require(actor, "projects.manage_project", project)
    _check_move(project, Stage.CLOSED)
    if now < project.review_closes_at:
        raise ApplicationError(
            _("评价期尚未结束（截止于 %(at)s），不能结项。")
            % {"at": timezone.localtime(project.review_closes_at).strftime("%Y-%m-%d %H:%M")},
            code="conflict",
        )
    summary = Evaluation.objects.filter(project=project).aggregate(avg=Avg("rating"), n=Count("pk"))
    score = None
    if summary["n"]:
        score = Decimal(str(summary["avg"])).quantize(SCORE_PLACES, rounding=ROUND_HALF_UP)
    project.satisfaction_score = score
    project.evaluations_count = summary["n"]
    note = (
        _("评价结束，%(n)s 位居民参与评价，满意度 %(score)s 分")
        % {"n": summary["n"], "score": score}
        if score is not None
        else _("评价结束，无居民评价")
    )
    _move(
        project,
        actor=actor,
        to_stage=Stage.CLOSED,
        now=now,
        note=note,
        verb="closed",
        satisfaction_score=str(score) if score is not None else None,
        evaluations_count=summary["n"],
    )
    project.save(
        update_fields=[
            "stage",
            "closed_at",
            "satisfaction_score",
            "evaluations_count",
            "updated_at",
        ]
    )
    return project


@transaction.atomic
def project_cancel(*, actor, project, reason) -> Project:
    project = _lock(project)
    _require(actor, "projects.manage_project", project)
    _check_move(project, Stage.CANCELLED)
    reason = _text(reason, "reason", max_length=1000)
    released = project_fund_release(project)
    project.cancelled_reason = reason
    _move(
        project,
        actor=actor,
        to_stage=Stage.CANCELLED,
        now=timezone.now(),
        note=reason,
        verb="cancelled",
    )
    project.save(update_fields=["stage", "cancelled_at", "cancelled_reason", "updated_at"])
    for pool, amount in released:
        # On the public record: the unspent special funds went back to the community's pool.
        _event(
            project,
            actor=actor,
            verb="funds_released",
            note=_("%(year)s 年专项资金退回 %(amount)s 元") % {"year": pool.year, "amount": amount},
            amount=str(amount),
            pool_id=pool.pk,
        )
    return project


@transaction.atomic
def project_update_plan(
    *, actor, project, title=KEEP, summary=KEEP, plan=KEEP, lead=KEEP
) -> Project:
    project = _lock(project)
    _require(actor, "projects.manage_project", project)
    _require_open(project, _("修改方案"))
    changed = []
    if title is not KEEP:
        project.title = _text(title, "title", max_length=100)
        changed.append("title")
    if summary is not KEEP:
        project.summary = _text(summary, "summary", max_length=300, required=False)
        changed.append("summary")
    if plan is not KEEP:
        project.plan = (plan or "").strip()
        changed.append("plan")
    if lead is not KEEP and lead != project.lead:
        _resident_of_community(lead, project.community_id)
        project.lead = lead
        changed.append("lead")
        ProjectMember.objects.filter(project=project, role=ProjectMember.Role.LEAD).delete()
        if lead is not None:
            ProjectMember.objects.filter(project=project, user_id=lead.account_id).exclude(
                user_id=None
            ).delete()
            ProjectMember.objects.filter(project=project, resident=lead).delete()
            ProjectMember.objects.create(
                project=project,
                resident=lead,
                user_id=lead.account_id,
                role=ProjectMember.Role.LEAD,
            )
    if changed:
        project.save(update_fields=[*changed, "updated_at"])
        _event(project, actor=actor, verb="plan_updated", note=_("更新了项目方案"), fields=changed)
    return project
