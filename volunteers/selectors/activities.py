"""Reads for activities, sign-ups, attendance, volunteers and teams, always within scope.

- Level.PUBLIC: what residents browse — the activities and teams of their own community —
  plus, for staff, their communities; drafts only for staff who run the community.
- Level.PEOPLE: sign-up lists, attendance, profiles and reports (names of people).
Counts and sums are annotated as subqueries, so a list costs the same at 1 row and at 200.
"""

import django_filters
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, ExtractYear, NullIf
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from accounts.scope import Level, actor_scope
from core.exceptions import ApplicationError

from ..models import (
    Activity,
    Attendance,
    PartyMemberReport,
    ServiceTeam,
    SignUp,
    TeamMembership,
    VolunteerProfile,
)

LIVE = (SignUp.Status.CONFIRMED, SignUp.Status.WAITLISTED)
HOURS = DecimalField(max_digits=9, decimal_places=2)
ZERO_HOURS = Value(0, output_field=HOURS)


def _count(qs: QuerySet, group: str):
    """A correlated COUNT subquery over `qs` grouped by `group` (one value per outer row)."""
    return Coalesce(
        Subquery(qs.order_by().values(group).annotate(n=Count("pk")).values("n")[:1]),
        Value(0),
        output_field=IntegerField(),
    )


def _hours(qs: QuerySet, group: str):
    return Coalesce(
        Subquery(qs.order_by().values(group).annotate(h=Sum("hours")).values("h")[:1]),
        ZERO_HOURS,
        output_field=HOURS,
    )


def _community_filter(filters):
    """The `community` query parameter as an id, or None; anything else is a 400."""
    value = (filters or {}).get("community")
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        message = _("请输入一个有效的编号。")
        raise ApplicationError(message, code="invalid", fields={"community": message}) from None


def approved_attendance():
    return Attendance.objects.filter(status=Attendance.Status.APPROVED)


# ---------------------------------------------------------------------------------------------
# Activities


class ActivityFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Activity.Kind.choices, label=_("类型"))
    category = django_filters.CharFilter(label=_("服务类别"))
    status = django_filters.ChoiceFilter(choices=Activity.Status.choices, label=_("状态"))
    team = django_filters.NumberFilter(field_name="team_id", label=_("服务队"))
    community = django_filters.NumberFilter(field_name="community_id", label=_("居民区"))
    date_from = django_filters.DateFilter(
        field_name="starts_at", lookup_expr="date__gte", label=_("开始日期起")
    )
    date_to = django_filters.DateFilter(
        field_name="starts_at", lookup_expr="date__lte", label=_("开始日期止")
    )
    has_places = django_filters.BooleanFilter(method="filter_has_places", label=_("尚有名额"))
    mine = django_filters.BooleanFilter(method="filter_mine", label=_("我报名的"))
    ordering = django_filters.OrderingFilter(
        fields=(("starts_at", "starts_at"),),
        label=_("排序（starts_at 由近到远，-starts_at 由远到近）"),
    )

    class Meta:
        model = Activity
        fields = []

    def filter_has_places(self, queryset, name, value):
        places = Q(confirmed_count__lt=F("capacity"))
        return queryset.filter(places) if value else queryset.exclude(places)

    def filter_mine(self, queryset, name, value):
        mine = Q(my_signup_status__isnull=False)
        return queryset.filter(mine) if value else queryset.exclude(mine)


def activity_queryset(*, actor) -> QuerySet:
    """Activities the actor may see, with places, their own sign-up and attendance."""
    scope = actor_scope(actor)
    qs = scope.filter(Activity.objects.all(), Level.PUBLIC)
    if not scope.is_global:
        # Drafts are the organisers' business.
        qs = qs.filter(
            ~Q(status=Activity.Status.DRAFT) | Q(community_id__in=scope.people_community_ids)
        )
    signups = SignUp.objects.filter(activity=OuterRef("pk"))
    user_id = actor.pk if actor is not None and actor.is_authenticated else None
    mine = signups.filter(user_id=user_id, status__in=LIVE)
    return qs.select_related("community", "team", "points_rule").annotate(
        confirmed_count=_count(signups.filter(status=SignUp.Status.CONFIRMED), "activity"),
        waitlist_count=_count(signups.filter(status=SignUp.Status.WAITLISTED), "activity"),
        my_signup_status=Subquery(mine.values("status")[:1]),
        # My place in the queue: those waiting since no later than me (me included); 0 when I
        # am not waiting (shown as null). The queue moves up in waitlisted_at order.
        my_waitlist_position=NullIf(
            _count(
                signups.filter(
                    status=SignUp.Status.WAITLISTED,
                    waitlisted_at__lte=Subquery(
                        SignUp.objects.filter(
                            activity=OuterRef("activity"),
                            user_id=user_id,
                            status=SignUp.Status.WAITLISTED,
                        ).values("waitlisted_at")[:1]
                    ),
                ),
                "activity",
            ),
            Value(0),
        ),
        my_attendance_status=Subquery(
            Attendance.objects.filter(activity=OuterRef("pk"), user_id=user_id).values("status")[:1]
        ),
    )


def activity_list(*, actor, filters=None, request=None) -> QuerySet:
    qs = activity_queryset(actor=actor).order_by("-starts_at", "-pk")
    filterset = ActivityFilter(filters or {}, queryset=qs, request=request)
    if not filterset.is_valid():
        fields = {k: [str(m) for m in v] for k, v in filterset.errors.items()}
        raise ApplicationError(next(iter(fields.values()))[0], code="invalid", fields=fields)
    return filterset.qs


def activity_get(*, actor, pk) -> Activity:
    activity = activity_queryset(actor=actor).filter(pk=pk).first()
    if activity is None:
        raise Http404
    return activity


def activity_get_for_people(*, actor, pk) -> Activity:
    """An activity whose people (sign-ups, attendance) the actor may see, else 404."""
    qs = actor_scope(actor).filter(Activity.objects.select_related("community"), Level.PEOPLE)
    activity = qs.filter(pk=pk).first()
    if activity is None:
        raise Http404
    return activity


def signup_list(*, activity) -> QuerySet:
    """The sign-ups of an activity already fetched at Level.PEOPLE, in waiting-list order."""
    return (
        SignUp.objects.filter(activity=activity)
        .select_related("user")
        .order_by("status", "waitlisted_at", "created_at", "pk")
    )


def attendance_list(*, activity) -> QuerySet:
    """The attendance of an activity already fetched at Level.PEOPLE."""
    return (
        Attendance.objects.filter(activity=activity)
        .select_related("user", "activity", "reviewed_by")
        .order_by("checked_in_at", "pk")
    )


def attendance_get(*, actor, pk) -> Attendance:
    qs = actor_scope(actor).filter(
        Attendance.objects.select_related("activity", "user"), Level.PEOPLE
    )
    attendance = qs.filter(pk=pk).first()
    if attendance is None:
        raise Http404
    return attendance


# ---------------------------------------------------------------------------------------------
# Volunteers and their hours


def volunteer_list(*, actor, filters=None) -> QuerySet:
    filters = filters or {}
    qs = actor_scope(actor).filter(VolunteerProfile.objects.all(), Level.PEOPLE)
    community_id = _community_filter(filters)
    if community_id is not None:
        qs = qs.filter(community_id=community_id)
    if filters.get("active") in ("true", "1", True):
        qs = qs.filter(is_active=True)
    return (
        qs.select_related("user", "community", "party_report")
        .annotate(
            approved_hours=_hours(approved_attendance().filter(user=OuterRef("user")), "user"),
            approved_count=_count(approved_attendance().filter(user=OuterRef("user")), "user"),
        )
        .order_by("community", "-created_at", "pk")
    )


def volunteer_get(*, actor, pk) -> VolunteerProfile:
    profile = volunteer_list(actor=actor).filter(pk=pk).first()
    if profile is None:
        raise Http404
    return profile


def my_profile(*, user) -> VolunteerProfile | None:
    return (
        VolunteerProfile.objects.select_related("community", "party_report")
        .filter(user=user)
        .first()
    )


def volunteer_hours(*, user) -> dict:
    """Approved hours of one person: in total and per calendar year (Asia/Shanghai)."""
    rows = list(
        approved_attendance()
        .filter(user=user)
        .annotate(year=ExtractYear("activity__starts_at"))
        .order_by()
        .values("year")
        .annotate(hours=Sum("hours"), count=Count("pk"))
        .order_by("-year")
    )
    total = sum((row["hours"] or 0 for row in rows), start=ZERO_HOURS.value)
    return {
        "total_hours": total,
        "total_count": sum(row["count"] for row in rows),
        "by_year": [
            {"year": row["year"], "hours": row["hours"] or 0, "count": row["count"]} for row in rows
        ],
    }


def party_member_reports(*, actor, year, level=Level.PEOPLE, filters=None) -> QuerySet:
    """In-service party members reporting to communities in scope, with their service in
    `year` (approved attendance only)."""
    filters = filters or {}
    qs = actor_scope(actor).filter(PartyMemberReport.objects.all(), level)
    community_id = _community_filter(filters)
    if community_id is not None:
        qs = qs.filter(community_id=community_id)
    served = approved_attendance().filter(
        user=OuterRef("profile__user"), activity__starts_at__year=year
    )
    return (
        qs.select_related("profile__user", "community")
        .annotate(year_count=_count(served, "user"), year_hours=_hours(served, "user"))
        .order_by("community", "profile__user__real_name", "pk")
    )


# ---------------------------------------------------------------------------------------------
# Teams


def team_list(*, actor, filters=None) -> QuerySet:
    filters = filters or {}
    scope = actor_scope(actor)
    qs = scope.filter(ServiceTeam.objects.all(), Level.PUBLIC)
    community_id = _community_filter(filters)
    if community_id is not None:
        qs = qs.filter(community_id=community_id)
    user_id = actor.pk if actor is not None and actor.is_authenticated else None
    active = TeamMembership.objects.filter(team=OuterRef("pk"), left_on__isnull=True)
    return (
        qs.select_related("community", "leader__user")
        .annotate(
            members_count=_count(active, "team"),
            is_member=Exists(active.filter(profile__user_id=user_id)),
        )
        .order_by("community", "name", "pk")
    )


def team_get(*, actor, pk) -> ServiceTeam:
    team = team_list(actor=actor).filter(pk=pk).first()
    if team is None:
        raise Http404
    return team


def team_members(*, team) -> QuerySet:
    return (
        TeamMembership.objects.filter(team=team, left_on__isnull=True)
        .select_related("profile__user")
        .order_by("joined_on", "pk")
    )
