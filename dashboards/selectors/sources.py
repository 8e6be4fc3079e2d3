"""Where each raw figure comes from: one GROUP BY query per source table.

A source is a queryset of the rows a few figures count (topics raised in the period, approved
attendances, budget lines …) and the aggregates that count them, conditional where several
figures share the rows. `raw_figures` runs each source once, restricted to the rows under one
unit (by the model's `scope_paths`, the same declaration the scope mechanism reads) and grouped
by the unit level asked for: the unit itself for the summary, its children for the ranking. So
a request costs one scan of each source's rows in the period, whatever the number of rows or
children. (A correlated subquery per child and figure re-read the period's rows once per
child and figure: ranking a district's ten streets over a year of 300,000 topics took ~9 s on
PostgreSQL, against ~1 s grouped.)
The definitions are in `dashboards.figures`.
"""

import datetime
from dataclasses import dataclass

from django.db.models import (
    Avg,
    Count,
    F,
    Q,
    QuerySet,
    Sum,
)

from grids.models import PatrolProblem
from projects.models import BudgetLine, Evaluation, Expense, FundPool, Project, ProjectMember
from proposals.models import Hand, Topic
from volunteers.models import Activity, Attendance, PointsEntry, Redemption, VolunteerProfile

from ..periods import Period
from .median import RESPONSE_TIME, Median
from .median import in_database as median_in_database

# Raw figures that are means: empty (None) rather than 0 when there is nothing to average.
MEANS = frozenset({"mean_response", "median_response", "satisfaction"})


def path_of(model, level) -> str | None:
    """The lookup from `model` to its unit of `level`, from the model's scope declaration."""
    return getattr(model.scope_paths, level)


def _earned_path(level) -> str | None:
    # Points are attributed to the community whose activity earned them (as volunteer_stats
    # does), not to the account's home community.
    inner = path_of(Activity, level)
    return f"attendance__activity__{inner}" if inner else None


def _in(field, period: Period) -> Q:
    return Q(**{f"{field}__gte": period.start, f"{field}__lt": period.end})


@dataclass(frozen=True)
class Source:
    rows: QuerySet
    aggregates: dict
    model: type | None = None  # whose scope_paths locate the rows
    path: object = None  # or a function level -> lookup

    def path_at(self, level):
        return self.path(level) if self.path else path_of(self.model, level)


def topic_querysets(period: Period, now: datetime.datetime) -> dict[str, QuerySet]:
    raised = Topic.objects.filter(_in("raised_at", period))
    return {
        "raised": raised,
        "responded": raised.filter(first_responded_at__isnull=False),
        # The reminder clock's own definition, as of now and whenever raised.
        "overdue": Topic.objects.overdue(now=now),
    }


def sources(period: Period, now: datetime.datetime) -> list[Source]:
    raised, solved = (
        _in("raised_at", period),
        Q(state=Topic.State.SOLVED) & _in("solved_at", period),
    )
    adopted, closed = (
        _in("planning_at", period),
        Q(stage=Project.Stage.CLOSED) & _in("closed_at", period),
    )
    rated = Q(project__stage=Project.Stage.CLOSED) & _in("project__closed_at", period)
    approved = Attendance.objects.filter(
        Q(status=Attendance.Status.APPROVED) & _in("checked_in_at", period)
    )
    return [
        Source(
            Topic.objects.filter(raised | solved),
            {
                "topics_raised": Count("pk", filter=raised),
                "topics_responded": Count(
                    "pk", filter=raised & Q(first_responded_at__isnull=False)
                ),
                "answered_within_4h": Count("pk", filter=raised & Q(responded_on_time=True)),
                # Answered, or past due unanswered: the topics that can be judged on time or late.
                "topics_due": Count(
                    "pk",
                    filter=raised
                    & (Q(first_responded_at__isnull=False) | Q(first_response_due_at__lte=now)),
                ),
                "mean_response": Avg(
                    RESPONSE_TIME, filter=raised & Q(first_responded_at__isnull=False)
                ),
                "topics_to_projects": Count("pk", filter=raised & Q(project__isnull=False)),
                "topics_solved_directly": Count("pk", filter=solved),
                **(
                    {
                        "median_response": Median(
                            RESPONSE_TIME, filter=raised & Q(first_responded_at__isnull=False)
                        )
                    }
                    if median_in_database()
                    else {}
                ),
            },
            Topic,
        ),
        Source(Topic.objects.overdue(now=now), {"overdue_now": Count("pk")}, Topic),
        Source(
            PatrolProblem.objects.filter(
                Q(status=PatrolProblem.Status.CLEARED) & _in("cleared_at", period)
            ),
            {"patrol_problems_cleared": Count("pk")},
            PatrolProblem,
        ),
        Source(
            Project.objects.filter(adopted | closed),
            {
                "projects_adopted": Count("pk", filter=adopted),
                **{
                    f"stage_{stage}": Count("pk", filter=adopted & Q(stage=stage))
                    for stage in Project.Stage.values
                },
                "projects_closed": Count("pk", filter=closed),
            },
            Project,
        ),
        Source(
            Evaluation.objects.filter(rated | _in("created_at", period)),
            {
                "satisfaction": Avg("rating", filter=rated),
                "satisfaction_ratings": Count("pk", filter=rated),
                "participation_evaluations": Count("pk", filter=_in("created_at", period)),
            },
            Evaluation,
        ),
        Source(
            BudgetLine.objects.filter(_in("created_at", period)).exclude(
                project__stage=Project.Stage.CANCELLED
            ),
            {
                "money_allocated": Sum("amount"),
                "special_fund_allocated": Sum(
                    "amount", filter=Q(source=BudgetLine.Source.SPECIAL_FUND)
                ),
            },
            BudgetLine,
        ),
        Source(
            Expense.objects.filter(spent_on__gte=period.first_day, spent_on__lte=period.last_day),
            {"money_spent": Sum("amount")},
            Expense,
        ),
        Source(
            FundPool.objects.filter(year__in=list(period.years)),
            {"fund_pool_amount": Sum("amount")},
            FundPool,
        ),
        Source(
            VolunteerProfile.objects.filter(is_active=True, created_at__lt=period.end),
            {"volunteers_registered": Count("pk")},
            VolunteerProfile,
        ),
        Source(
            approved,
            {
                "volunteers_active": Count("user", distinct=True),
                "volunteer_hours": Sum("hours"),
                "participation_attendances": Count("pk"),
            },
            Attendance,
        ),
        Source(
            Activity.objects.filter(
                Q(status__in=[Activity.Status.PUBLISHED, Activity.Status.FINISHED])
                & _in("starts_at", period)
            ),
            {"activities_held": Count("pk")},
            Activity,
        ),
        Source(
            PointsEntry.objects.filter(Q(kind=PointsEntry.Kind.EARN) & _in("created_at", period)),
            {"points_issued": Sum("points")},
            path=_earned_path,
        ),
        Source(
            Redemption.objects.filter(_in("created_at", period)).exclude(
                status=Redemption.Status.CANCELLED
            ),
            {"points_redeemed": Sum("points")},
            Redemption,
        ),
        Source(
            ProjectMember.objects.filter(_in("joined_at", period)),
            {"participation_project_members": Count("pk")},
            ProjectMember,
        ),
        Source(
            Hand.objects.filter(Q(withdrawn_at__isnull=True) & _in("raised_at", period)),
            {"participation_hands": Count("pk")},
            Hand,
        ),
    ]


def _empty(name, source_defined: bool):
    if not source_defined or name in MEANS:
        return None
    return 0


def raw_figures(
    *, level: str, unit_id: int, group_level: str, unit_ids, period: Period, now
) -> dict[int, dict]:
    """{unit id: {raw figure: value}} for the `group_level` units `unit_ids` under the `level`
    unit `unit_id`: one grouped query per source. A figure whose rows do not sit at
    `group_level` (volunteer service at a micro-grid) is None; no rows at all is 0 (None for a
    mean)."""
    figures = {unit: {} for unit in unit_ids}
    for source in sources(period, now):
        where, group = source.path_at(level), source.path_at(group_level)
        defined = where is not None and group is not None
        values = {}
        if defined:
            rows = (
                source.rows.filter(**{where: unit_id})
                .order_by()
                .values(unit=F(group))
                .annotate(**source.aggregates)
            )
            values = {row.pop("unit"): row for row in rows}
        for unit in unit_ids:
            found = values.get(unit, {})
            for name in source.aggregates:
                value = found.get(name)
                figures[unit][name] = value if value is not None else _empty(name, defined)
    return figures
