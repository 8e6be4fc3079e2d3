"""Reads of the points side, always within scope.

- A person's own accounts, ledger and redemptions: filtered by the user, whatever their roles.
- The street's policy and rules: residents read their street's published ones (Level.PUBLIC);
  street staff read their street's, published or not.
- Rewards: Level.PUBLIC (a resident's own community, staff's communities); residents see only
  the rewards on offer.
- Accounts and others' redemptions: Level.PEOPLE (names of people).
- Leaders' totals per community: Level.ORG, counts and sums only, computed in the database.
"""

import datetime

from django.db.models import (
    Count,
    DecimalField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from accounts.scope import Level, actor_scope
from grids.models import Community, Street

from ..models import (
    Attendance,
    PointsAccount,
    PointsEntry,
    PointsPolicy,
    PointsRule,
    Redemption,
    Reward,
    VolunteerProfile,
)

Kind = PointsEntry.Kind
HOURS = DecimalField(max_digits=12, decimal_places=2)


# ---------------------------------------------------------------------------------------------
# Mine


def account_list_mine(*, user) -> QuerySet:
    return (
        PointsAccount.objects.filter(user=user)
        .select_related("street", "community")
        .order_by("street__name")
    )


def entry_list_mine(*, user, street_id=None) -> QuerySet:
    qs = PointsEntry.objects.filter(account__user=user).select_related(
        "account__street", "redemption__reward", "attendance__activity"
    )
    if street_id is not None:
        qs = qs.filter(account__street_id=street_id)
    return qs.order_by("-created_at", "-pk")


# ---------------------------------------------------------------------------------------------
# The street's rules


def policy_street_for(*, actor, street_id=None) -> Street:
    """The street whose rules the caller reads: the one asked for if it is in scope, else the
    caller's own street (a resident's home street, or the one street a staff member serves)."""
    scope = actor_scope(actor)
    streets = scope.filter(Street.objects.all(), Level.PUBLIC)
    if street_id is not None:
        street = streets.filter(pk=street_id).first()
    elif scope.resident_street_ids:
        street = streets.filter(pk__in=scope.resident_street_ids).first()
    else:
        street = streets.order_by("pk").first()
    if street is None:
        raise Http404
    return street


def _is_street_staff(actor, street) -> bool:
    scope = actor_scope(actor)
    return scope.is_global or street.pk in scope.people_street_ids


def policy_get(*, actor, street) -> PointsPolicy | None:
    """The street's policy; residents only once published."""
    qs = PointsPolicy.objects.filter(street=street)
    if not _is_street_staff(actor, street):
        qs = qs.filter(published_at__isnull=False)
    return qs.first()


def rule_list(*, actor, street) -> QuerySet:
    """The street's rules; residents see the active ones, and only once the policy is public."""
    qs = PointsRule.objects.filter(street=street).order_by("-is_default", "name")
    if _is_street_staff(actor, street):
        return qs
    if not PointsPolicy.objects.filter(street=street, published_at__isnull=False).exists():
        return qs.none()
    return qs.filter(is_active=True)


# ---------------------------------------------------------------------------------------------
# Rewards and redemptions


def reward_list(*, actor, filters=None) -> QuerySet:
    scope = actor_scope(actor)
    qs = scope.filter(Reward.objects.all(), Level.PUBLIC).select_related("community", "provider")
    if not scope.is_global:
        # Staff see the whole catalogue of the communities they run (withdrawn rewards too);
        # anywhere else only what is on offer.
        qs = qs.filter(Q(community_id__in=scope.people_community_ids) | Q(is_active=True))
    filters = filters or {}
    if filters.get("community"):
        qs = qs.filter(community_id=filters["community"])
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("affordable_for") is not None:
        qs = qs.filter(points_cost__lte=filters["affordable_for"])
    return qs.order_by("community_id", "points_cost", "pk")


def reward_get(*, actor, pk) -> Reward:
    reward = reward_list(actor=actor).filter(pk=pk).first()
    if reward is None:
        raise Http404
    return reward


def redemption_list(*, actor, mine=False, filters=None) -> QuerySet:
    """The caller's own orders, or (staff) the orders of the communities they serve."""
    base = Redemption.objects.select_related(
        "reward__community", "user", "handed_over_by", "account"
    )
    scope = actor_scope(actor)
    if mine or not scope.sees_people:
        qs = base.filter(user=actor)
    else:
        qs = scope.filter(base, Level.PEOPLE)
    filters = filters or {}
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("reward"):
        qs = qs.filter(reward_id=filters["reward"])
    return qs.order_by("-created_at", "-pk")


def redemption_get(*, actor, pk) -> Redemption:
    """Own orders and orders in the staff member's scope; anything else is a 404."""
    scope = actor_scope(actor)
    qs = Redemption.objects.select_related("reward__community", "user", "account")
    q = Q(user=actor)
    if scope.sees_people:
        q |= scope.q(Redemption, Level.PEOPLE)
    redemption = qs.filter(q).filter(pk=pk).first()
    if redemption is None:
        raise Http404
    return redemption


# ---------------------------------------------------------------------------------------------
# Staff: accounts


def account_list(*, actor, filters=None) -> QuerySet:
    qs = actor_scope(actor).filter(PointsAccount.objects.all(), Level.PEOPLE)
    filters = filters or {}
    if filters.get("community"):
        qs = qs.filter(community_id=filters["community"])
    if filters.get("q"):
        term = filters["q"]
        qs = qs.filter(Q(user__real_name__icontains=term) | Q(user__phone__startswith=term))
    return qs.select_related("user", "street", "community").order_by("community_id", "-balance")


def account_get(*, actor, pk) -> PointsAccount:
    account = account_list(actor=actor).filter(pk=pk).first()
    if account is None:
        raise Http404
    return account


# ---------------------------------------------------------------------------------------------
# Leaders' totals


def default_period(today=None) -> tuple[datetime.date, datetime.date]:
    today = today or timezone.localdate()
    return today.replace(month=1, day=1), today


def _local_bounds(date_from, date_to):
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(date_from, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(
        date_to + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
    )
    return start, end


def _per_community(qs: QuerySet, group: str, aggregate, output_field):
    """A correlated subquery: one aggregate of `qs` for the outer community row."""
    return Coalesce(
        Subquery(
            qs.filter(**{group: OuterRef("pk")})
            .order_by()
            .values(group)
            .annotate(value=aggregate)
            .values("value")[:1]
        ),
        Value(0),
        output_field=output_field,
    )


def volunteer_stats(*, actor, date_from, date_to) -> QuerySet:
    """Per community in the caller's ORG scope, for [date_from, date_to] (local days):
    registered volunteers (active profiles, now), active volunteers (distinct people with an
    approved attendance in the period), approved hours, points issued (EARN entries) and
    points redeemed (orders not cancelled). Counts only, never names; one query in all."""
    start, end = _local_bounds(date_from, date_to)
    approved = Attendance.objects.filter(
        status=Attendance.Status.APPROVED, checked_in_at__gte=start, checked_in_at__lt=end
    )
    earned = PointsEntry.objects.filter(kind=Kind.EARN, created_at__gte=start, created_at__lt=end)
    redeemed = Redemption.objects.filter(created_at__gte=start, created_at__lt=end).exclude(
        status=Redemption.Status.CANCELLED
    )
    communities = actor_scope(actor).filter(Community.objects.all(), Level.ORG)
    return (
        communities.select_related("street")
        .annotate(
            registered_volunteers=_per_community(
                VolunteerProfile.objects.filter(is_active=True),
                "community",
                Count("pk"),
                IntegerField(),
            ),
            active_volunteers=_per_community(
                approved, "activity__community", Count("user", distinct=True), IntegerField()
            ),
            hours_approved=_per_community(approved, "activity__community", Sum("hours"), HOURS),
            points_issued=_per_community(
                earned, "attendance__activity__community", Sum("points"), IntegerField()
            ),
            points_redeemed=_per_community(
                redeemed, "reward__community", Sum("points"), IntegerField()
            ),
        )
        .order_by("street_id", "pk")
    )
