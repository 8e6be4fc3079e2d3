"""Reads of micro-projects, always within the actor's scope (Level.PUBLIC: what a community
sees). Sums of money are computed in the database, per row with correlated subqueries, so a
list page costs the same number of queries at 1 row and at 200."""

from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from accounts.scope import Level, actor_scope
from core.exceptions import ApplicationError

from .filters import FundPoolFilter, ProjectFilter
from .models import (
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

MONEY_FIELD = DecimalField(max_digits=14, decimal_places=2)
ZERO = Value(Decimal("0"), output_field=MONEY_FIELD)
LATEST_UPDATES = 5


class _Request:
    """The bit of a request a FilterSet reads (`mine` needs the user)."""

    def __init__(self, user):
        self.user = user


def _apply(filterset_class, filters, queryset, *, actor=None):
    filterset = filterset_class(filters or {}, queryset=queryset, request=_Request(actor))
    if not filterset.is_valid():
        fields = {k: [str(m) for m in v] for k, v in filterset.errors.items()}
        first = next(iter(fields.values()))[0]
        raise ApplicationError(first, code="invalid", fields=fields)
    return filterset.qs


def _not_found():
    return ApplicationError(_("未找到该项目。"), code="not_found")


def _sum(model, outer="project_id", field="amount", **filters):
    rows = (
        model.objects.filter(**{outer: OuterRef("pk")}, **filters)
        .order_by()
        .values(outer)
        .annotate(total=Sum(field))
        .values("total")
    )
    return Coalesce(Subquery(rows, output_field=MONEY_FIELD), ZERO, output_field=MONEY_FIELD)


def _count(model, outer="project_id", **filters):
    rows = (
        model.objects.filter(**{outer: OuterRef("pk")}, **filters)
        .order_by()
        .values(outer)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def with_money(qs: QuerySet) -> QuerySet:
    """Budget, special-fund allocation and spending per project, in the same query."""
    return qs.annotate(
        budget_total=_sum(BudgetLine),
        fund_allocated=_sum(BudgetLine, source=BudgetLine.Source.SPECIAL_FUND),
        spent_total=_sum(Expense),
    )


def project_queryset(*, actor, level=Level.PUBLIC) -> QuerySet:
    qs = Project.objects.select_related("community", "grid", "lead", "topic")
    qs = with_money(qs).annotate(members_count=_count(ProjectMember))
    if actor is not None and getattr(actor, "is_authenticated", False):
        qs = qs.annotate(
            is_member=Exists(ProjectMember.objects.filter(project_id=OuterRef("pk"), user=actor))
        )
    return actor_scope(actor).filter(qs, level)


def project_list(*, actor, filters=None) -> QuerySet:
    return _apply(ProjectFilter, filters, project_queryset(actor=actor), actor=actor)


def sees_internal(actor, project) -> bool:
    """Staff who run the project also see internal notes on its timeline."""
    return actor_scope(actor).covers(project, Level.PEOPLE)


def project_get(*, actor, pk, detail=False) -> Project:
    """One project in the actor's public scope, or not_found. `detail` loads what the detail
    page shows: budget lines with their spending, milestones, latest updates with photos,
    covenants and the timeline."""
    qs = project_queryset(actor=actor)
    if detail:
        lines = BudgetLine.objects.select_related("pool").annotate(
            spent=_sum(Expense, outer="budget_line_id")
        )
        updates = ProgressUpdate.objects.select_related("author").prefetch_related("photos")
        qs = qs.prefetch_related(
            Prefetch("budget_lines", queryset=lines),
            Prefetch("milestones", queryset=Milestone.objects.order_by("due_on", "pk")),
            Prefetch(
                "updates",
                queryset=updates.order_by("-created_at", "-pk")[:LATEST_UPDATES],
                to_attr="latest_updates",
            ),
            Prefetch("covenants", queryset=ProjectCovenant.objects.order_by("-published_at")),
        )
    project = qs.filter(pk=pk).first()
    if project is None:
        raise _not_found()
    if detail:
        project.source_totals = project_source_totals(project=project)
        project.evaluation_summary = evaluation_summary(project=project)
        project.timeline = list(project_timeline(actor=actor, project=project))
    return project


def project_source_totals(*, project) -> list[dict]:
    """Budget and spending per source, each summed in the database. Two grouped queries, not
    one over a join, which would count a line's amount once per expense."""
    budgets = (
        BudgetLine.objects.filter(project=project)
        .values("source")
        .annotate(t=Sum("amount"))
        .order_by("source")
        .values_list("source", "t")
    )
    spent = dict(
        Expense.objects.filter(project=project)
        .values("budget_line__source")
        .annotate(t=Sum("amount"))
        .order_by()
        .values_list("budget_line__source", "t")
    )
    labels = dict(BudgetLine.Source.choices)
    return [
        {
            "source": source,
            "source_display": str(labels[source]),
            "budget": budget,
            "spent": spent.get(source, Decimal("0")),
        }
        for source, budget in budgets
    ]


def evaluation_summary(*, project) -> dict:
    """Count, mean and the count per rating (1–5), from one grouped query."""
    per_rating = dict(
        Evaluation.objects.filter(project=project)
        .values("rating")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("rating", "n")
    )
    count = sum(per_rating.values())
    mean = None
    if count:
        total = sum(r * n for r, n in per_rating.items())
        mean = (Decimal(total) / Decimal(count)).quantize(Decimal("0.01"))
    return {
        "count": count,
        "mean": mean,
        "per_rating": {str(r): per_rating.get(r, 0) for r in range(1, 6)},
    }


def project_timeline(*, actor, project) -> QuerySet:
    qs = ProjectEvent.objects.filter(project=project).select_related("actor").order_by("at", "pk")
    if not sees_internal(actor, project):
        qs = qs.filter(is_public=True)
    return qs


def member_list(*, project) -> QuerySet:
    return ProjectMember.objects.filter(project=project).select_related("user", "resident")


def budget_line_list(*, project) -> QuerySet:
    return (
        BudgetLine.objects.filter(project=project)
        .select_related("pool")
        .annotate(spent=_sum(Expense, outer="budget_line_id"))
        .order_by("pk")
    )


def expense_list(*, project) -> QuerySet:
    return (
        Expense.objects.filter(project=project)
        .select_related("budget_line")
        .order_by("-spent_on", "-pk")
    )


def update_list(*, project) -> QuerySet:
    return (
        ProgressUpdate.objects.filter(project=project)
        .select_related("author")
        .prefetch_related(Prefetch("photos", queryset=ProgressPhoto.objects.order_by("pk")))
        .order_by("-created_at", "-pk")
    )


def evaluation_list(*, project) -> QuerySet:
    return (
        Evaluation.objects.filter(project=project)
        .select_related("user")
        .order_by("-created_at", "-pk")
    )


def comment_list(*, project) -> QuerySet:
    from proposals.models import Comment

    return (
        Comment.objects.filter(project=project)
        .select_related("author")
        .order_by("created_at", "pk")
    )


def fund_pool_queryset(*, actor) -> QuerySet:
    qs = (
        FundPool.objects.select_related("community")
        .annotate(
            allocated=_sum(BudgetLine, outer="pool_id", source=BudgetLine.Source.SPECIAL_FUND),
        )
        .annotate(remaining=F("amount") - F("allocated"))
    )
    return actor_scope(actor).filter(qs, Level.PEOPLE)


def fund_pool_list(*, actor, filters=None) -> QuerySet:
    return _apply(FundPoolFilter, filters, fund_pool_queryset(actor=actor), actor=actor)


def project_actions(*, actor, project) -> list[str]:
    """What the actor may do to the project now: permission and stage together."""
    from django.utils import timezone

    from .services import OPEN_STAGES, TRANSITIONS

    stage = project.stage
    moves = TRANSITIONS[stage]
    actions = []
    if actor.has_perm("projects.manage_project", project):
        if Project.Stage.IN_PROGRESS in moves:
            actions.append("start")
        if Project.Stage.PUBLISHED in moves:
            actions.append("publish")
        if Project.Stage.CLOSED in moves and timezone.now() >= project.review_closes_at:
            actions.append("close")
        if Project.Stage.CANCELLED in moves:
            actions.append("cancel")
        if stage in OPEN_STAGES:
            actions += ["update_plan", "add_milestone", "add_budget_line", "record_expense"]
        if stage not in {Project.Stage.PLANNING, Project.Stage.CANCELLED}:
            actions.append("publish_covenant")
    if stage in OPEN_STAGES and actor.has_perm("projects.post_update_project", project):
        actions.append("post_update")
    membership = ProjectMember.objects.filter(project=project, user=actor).first()
    if stage in OPEN_STAGES:
        if membership is None and actor.has_perm("projects.join_project", project):
            actions.append("join")
        elif membership is not None and membership.role != ProjectMember.Role.LEAD:
            actions.append("leave")
    if (
        stage == Project.Stage.PUBLISHED
        and timezone.now() < project.review_closes_at
        and actor.has_perm("projects.evaluate_project", project)
        and not Evaluation.objects.filter(project=project, user=actor).exists()
    ):
        actions.append("evaluate")
    if actor.has_perm("projects.comment_project", project):
        actions.append("comment")
    return actions
