"""Every write to micro-projects goes through these functions (admin, API, clock, demo).

Each stage change locks the project row, checks the one transition table and the actor's
permission, stamps `<stage>_at`, appends a public timeline event and notifies the members and
the topic's followers (inbox rows in the transaction, other channels on commit). Money is
checked under row locks: a special-fund allocation locks its pool, an expense locks its line,
so two requests at once can never overdraw either; database constraints back both checks.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, RoleAssignment
from accounts.scope import Level, actor_scope
from core.exceptions import ApplicationError
from core.timeline import timeline_append
from notifications.services import notify

from .models import (
    RECEIPT_EXTENSIONS,
    BudgetLine,
    Evaluation,
    Expense,
    FundPool,
    Milestone,
    ProgressPhoto,
    ProgressUpdate,
    Project,
    ProjectCovenant,
    ProjectEvent,
    ProjectMember,
)

Stage = Project.Stage

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
# Stages while the work is open: team, plan, budget and spending can still change.
OPEN_STAGES = {Stage.PLANNING, Stage.IN_PROGRESS}
DEFAULT_REVIEW_DAYS = 7
MAX_REVIEW_DAYS = 60
MAX_PHOTOS = 9
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
SELF_SIGNUP_ROLES = {
    ProjectMember.Role.TEAM,
    ProjectMember.Role.VOLUNTEER,
    ProjectMember.Role.PARTICIPANT,
}
SCORE_PLACES = Decimal("0.01")
KEEP = object()  # "leave unchanged" for optional update arguments


# ---------------------------------------------------------------------------------------------
# Helpers


def _invalid(field, message):
    return ApplicationError(message, code="invalid", fields={field: message})


def _forbidden():
    return ApplicationError(_("您无权进行此操作。"), code="forbidden")


def _require(actor, perm, obj):
    if actor is None or not actor.has_perm(perm, obj):
        raise _forbidden()


def _lock(project) -> Project:
    return Project.objects.select_for_update().get(pk=project.pk)


def _check_move(project, to_stage):
    if to_stage not in TRANSITIONS[project.stage]:
        raise ApplicationError(
            _("项目当前处于“%(stage)s”阶段，不能%(action)s。")
            % {"stage": project.get_stage_display(), "action": _STAGE_ACTION[to_stage]},
            code="conflict",
        )


def _require_open(project, action):
    if project.stage not in OPEN_STAGES:
        raise ApplicationError(
            _("项目当前处于“%(stage)s”阶段，不能%(action)s。")
            % {"stage": project.get_stage_display(), "action": action},
            code="conflict",
        )


_STAGE_ACTION = {
    Stage.IN_PROGRESS: _("开始实施"),
    Stage.PUBLISHED: _("公示"),
    Stage.CLOSED: _("结项"),
    Stage.CANCELLED: _("取消"),
}


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
    return f"/api/v1/projects/{project.pk}/"


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


def _money(value, field):
    try:
        amount = Decimal(str(value))
    except (ArithmeticError, ValueError, TypeError):
        raise _invalid(field, _("请输入有效的金额。")) from None
    if not amount.is_finite():
        raise _invalid(field, _("请输入有效的金额。"))
    if amount != amount.quantize(Decimal("0.01")):
        raise _invalid(field, _("金额最多保留两位小数。"))
    if amount.adjusted() >= 10:
        raise _invalid(field, _("金额过大。"))
    return amount


def _positive_money(value, field):
    amount = _money(value, field)
    if amount <= 0:
        raise _invalid(field, _("金额必须大于 0。"))
    return amount


def _text(value, field, *, max_length, required=True):
    text = (value or "").strip()
    if required and not text:
        raise _invalid(field, _("此项为必填项。"))
    if len(text) > max_length:
        raise _invalid(field, _("最多 %(n)s 个字。") % {"n": max_length})
    return text


def _resident_of_community(resident, community_id, field="lead"):
    if resident is not None and resident.community_id != community_id:
        raise _invalid(field, _("主理人须是本居民区的居民。"))


# ---------------------------------------------------------------------------------------------
# Adoption and stages


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


# ---------------------------------------------------------------------------------------------
# Milestones


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


# ---------------------------------------------------------------------------------------------
# Members


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


# ---------------------------------------------------------------------------------------------
# Money


def pool_allocated(pool) -> Decimal:
    return BudgetLine.objects.filter(pool=pool, source=BudgetLine.Source.SPECIAL_FUND).aggregate(
        total=Sum("amount")
    )["total"] or Decimal("0")


@transaction.atomic
def fund_pool_set(*, actor, community, year, amount, note="") -> FundPool:
    """Set a community's special-fund pool for a year (street admins). It can never be set
    below what projects have already been allocated from it."""
    probe = FundPool(community=community, year=year)
    _require(actor, "projects.set_fundpool", probe)
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise _invalid("year", _("请输入有效的年度。"))
    amount = _money(amount, "amount")
    if amount < 0:
        raise _invalid("amount", _("金额不能为负数。"))
    note = _text(note, "note", max_length=200, required=False)
    pool = FundPool.objects.select_for_update().filter(community=community, year=year).first()
    if pool is None:
        try:
            with transaction.atomic():
                pool = FundPool.objects.create(
                    community=community, year=year, amount=amount, note=note, updated_by=actor
                )
        except IntegrityError:
            # Another request created the pool first: lock it and apply this change on top.
            pool = FundPool.objects.select_for_update().get(community=community, year=year)
        else:
            return pool
    allocated = pool_allocated(pool)
    if amount < allocated:
        raise ApplicationError(
            _("已分配 %(allocated)s 元，资金总额不能低于已分配金额。") % {"allocated": allocated},
            code="conflict",
            fields={"amount": _("不能低于已分配的 %(a)s 元。") % {"a": allocated}},
        )
    pool.amount = amount
    pool.note = note
    pool.updated_by = actor
    pool.save(update_fields=["amount", "note", "updated_by", "updated_at"])
    return pool


@transaction.atomic
def budget_line_add(*, actor, project, source, amount, pool=None, description) -> BudgetLine:
    project = _lock(project)
    _require(actor, "projects.manage_project", project)
    if source not in BudgetLine.Source.values:
        raise _invalid("source", _("请选择有效的资金来源。"))
    amount = _positive_money(amount, "amount")
    description = _text(description, "description", max_length=200)
    is_fund = source == BudgetLine.Source.SPECIAL_FUND
    if is_fund and pool is None:
        raise _invalid("pool", _("专项资金须选择资金池。"))
    if not is_fund and pool is not None:
        raise _invalid("pool", _("只有专项资金需要选择资金池。"))
    _require_open(project, _("调整预算"))
    if is_fund:
        # The pool row lock serialises every allocation from this pool: the sum read below
        # cannot change until this transaction ends, so concurrent requests never overdraw.
        pool = FundPool.objects.select_for_update().get(pk=pool.pk)
        if pool.community_id != project.community_id:
            raise _invalid("pool", _("只能使用本居民区的专项资金。"))
        remaining = pool.amount - pool_allocated(pool)
        if amount > remaining:
            message = _("专项资金余额不足：剩余 %(remaining)s 元。") % {"remaining": remaining}
            raise ApplicationError(message, code="conflict", fields={"amount": message})
    line = BudgetLine.objects.create(
        project=project,
        source=source,
        amount=amount,
        pool=pool,
        description=description,
        created_by=actor,
    )
    _event(
        project,
        actor=actor,
        verb="budget_line_added",
        note=description,
        source=source,
        amount=str(amount),
        budget_line_id=line.pk,
    )
    return line


def _validate_receipt(receipt):
    if not receipt:
        return
    name = (getattr(receipt, "name", "") or "").lower()
    ext = name.rsplit(".", 1)[-1] if "." in name else ""
    if ext not in RECEIPT_EXTENSIONS:
        raise _invalid("receipt", _("票据须为图片（jpg、png、webp）或 PDF 文件。"))
    if receipt.size > MAX_UPLOAD_BYTES:
        raise _invalid("receipt", _("文件不能超过 10 MB。"))
    if ext == "pdf":
        receipt.seek(0)
        head = receipt.read(5)
        receipt.seek(0)
        if head != b"%PDF-":
            raise _invalid("receipt", _("文件不是有效的 PDF。"))
    else:
        _validate_image(receipt, "receipt")


def _validate_image(image, field):
    try:
        forms.ImageField().clean(image)
    except ValidationError:
        raise _invalid(field, _("请上传有效的图片。")) from None
    image.seek(0)


@transaction.atomic
def expense_record(
    *, actor, project, budget_line, amount, spent_on, payee, description, receipt=None
) -> Expense:
    project = _lock(project)
    _require(actor, "projects.manage_project", project)
    amount = _positive_money(amount, "amount")
    payee = _text(payee, "payee", max_length=100)
    description = _text(description, "description", max_length=200)
    if not isinstance(spent_on, datetime.date):
        raise _invalid("spent_on", _("请输入支出日期。"))
    if spent_on > timezone.localdate():
        raise _invalid("spent_on", _("支出日期不能晚于今天。"))
    _validate_receipt(receipt)
    _require_open(project, _("登记支出"))
    # Locking the line serialises spending against it (the sum below stays true until commit).
    line = BudgetLine.objects.select_for_update().filter(pk=budget_line.pk, project=project).first()
    if line is None:
        raise _invalid("budget_line", _("请选择本项目的预算明细。"))
    spent = line.expenses.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    if spent + amount > line.amount:
        raise _invalid(
            "amount",
            _("超出该预算明细：预算 %(budget)s 元，已支出 %(spent)s 元，剩余 %(left)s 元。")
            % {"budget": line.amount, "spent": spent, "left": line.amount - spent},
        )
    expense = Expense.objects.create(
        project=project,
        budget_line=line,
        amount=amount,
        spent_on=spent_on,
        payee=payee,
        description=description,
        receipt=receipt or "",
        recorded_by=actor,
    )
    _event(
        project,
        actor=actor,
        verb="expense_recorded",
        note=description,
        amount=str(amount),
        payee=payee,
        budget_line_id=line.pk,
        expense_id=expense.pk,
    )
    return expense


# ---------------------------------------------------------------------------------------------
# Progress, evaluation, covenant


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
