"""Reads of the forums app: querysets with their joins and counts done inside, within scope.

Staff see at the ORG level; a resident sees the held meetings of the forums public to them
(forums.scope). Whether a community missed a month of the musts is derived here from the
recorded activities (`musts_status`), never stored.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from accounts.scope import Level, actor_scope
from board.filters import apply_filters
from grids.models import Community

from .filters import ForumFilter, MeetingFilter, MustActivityFilter
from .models import Attendance, Decision, Forum, ForumMember, Meeting, MustActivity, MustKind
from .scope import resident_forum_q, staff_forum_q


def _is_staff(user):
    return actor_scope(user).is_staff_scope


def forum_list(*, actor, filters=None):
    qs = Forum.objects.select_related("street", "community").annotate(
        member_count=Count("members", filter=Q(members__left_on__isnull=True), distinct=True),
        held_count=Count("meetings", filter=Q(meetings__status="held"), distinct=True),
    )
    q = staff_forum_q(actor) if _is_staff(actor) else resident_forum_q(actor)
    qs = apply_filters(ForumFilter, filters, qs.filter(q))
    return qs.order_by("street_id", "community_id", "kind", "name", "pk")


def forum_get(*, actor, pk):
    return (
        forum_list(actor=actor)
        .prefetch_related(
            Prefetch(
                "members",
                queryset=ForumMember.objects.order_by("left_on", "role", "pk"),
            ),
            "events",
        )
        .filter(pk=pk)
        .first()
    )


def meeting_queryset(*, actor):
    """Meetings in the actor's scope: staff see every state; residents the held ones of the
    forums public to them."""
    qs = Meeting.objects.select_related("forum__street", "forum__community").annotate(
        present_count=Count("attendance", filter=Q(attendance__present=True), distinct=True),
        absent_count=Count("attendance", filter=Q(attendance__present=False), distinct=True),
        decision_count=Count("decisions", distinct=True),
    )
    if _is_staff(actor):
        return qs.filter(staff_forum_q(actor, prefix="forum__"))
    return qs.filter(resident_forum_q(actor, prefix="forum__"), status=Meeting.Status.HELD)


def meeting_list(*, actor, filters=None):
    qs = apply_filters(MeetingFilter, filters, meeting_queryset(actor=actor))
    return qs.order_by("-held_at", "-pk")


def meeting_get(*, actor, pk):
    return (
        meeting_queryset(actor=actor)
        .prefetch_related(
            Prefetch(
                "decisions",
                queryset=Decision.objects.select_related("topic").order_by("position"),
            ),
            Prefetch("attendance", queryset=Attendance.objects.order_by("is_guest", "pk")),
            "events",
        )
        .filter(pk=pk)
        .first()
    )


def decision_queryset(*, actor):
    return Decision.objects.select_related("meeting__forum", "topic").filter(
        staff_forum_q(actor, prefix="meeting__forum__")
    )


def must_activity_list(*, actor, filters=None):
    qs = actor_scope(actor).filter(
        MustActivity.objects.select_related("community", "meeting", "topic", "activity"),
        Level.ORG,
    )
    return apply_filters(MustActivityFilter, filters, qs).order_by("-held_on", "-pk")


# ---------------------------------------------------------------------------------------------
# The musts table


def month_key(day: datetime.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def month_date(key: str) -> datetime.date:
    year, month = key.split("-")
    return datetime.date(int(year), int(month), 1)


def month_after(day: datetime.date) -> datetime.date:
    return datetime.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def month_ended(key: str, now=None) -> bool:
    """Whether the month (local time) is over at `now`."""
    today = timezone.localdate(now or timezone.now())
    return month_after(month_date(key)) <= today


@dataclass(frozen=True)
class MustsStatus:
    community_id: int
    month: str
    done: frozenset  # the MustKind values recorded that month
    ended: bool

    @property
    def missing(self) -> list[str]:
        return [k for k in MustKind.values if k not in self.done]

    @property
    def missed(self) -> bool:
        """A month is missed once it has ended with a kind not done."""
        return self.ended and bool(self.missing)

    @property
    def complete(self) -> bool:
        return not self.missing


def _done_rows(community_ids, months):
    """One grouped query: per (community, month), whether each kind was done."""
    annotations = {kind: Count("pk", filter=Q(kind=kind)) for kind in MustKind.values}
    return (
        MustActivity.objects.filter(
            community_id__in=community_ids, month__in=[month_date(m) for m in months]
        )
        .values("community_id", "month")
        .annotate(**annotations)
        .order_by()
    )


def musts_status(communities, months, *, now=None) -> dict[tuple[int, str], MustsStatus]:
    """Per (community id, "YYYY-MM"): the kinds done and whether the month was missed.

    `communities` is a queryset (used as a subquery) or an iterable of communities or ids;
    one grouped query whatever their number."""
    now = now or timezone.now()
    if hasattr(communities, "values_list"):
        community_ids = list(communities.values_list("pk", flat=True))
    else:
        community_ids = [getattr(c, "pk", c) for c in communities]
    done = {}
    for row in _done_rows(community_ids, months):
        done[(row["community_id"], month_key(row["month"]))] = frozenset(
            k for k in MustKind.values if row[k]
        )
    return {
        (cid, m): MustsStatus(
            community_id=cid,
            month=m,
            done=done.get((cid, m), frozenset()),
            ended=month_ended(m, now),
        )
        for cid in community_ids
        for m in months
    }


def musts_communities(*, actor, street=None):
    """The communities whose musts the actor reads (the rows of the street admin's table)."""
    qs = actor_scope(actor).filter(
        Community.objects.select_related("street").order_by("street_id", "code", "pk"),
        Level.ORG,
    )
    if street is not None:
        qs = qs.filter(street=street)
    return qs


def musts_streets(*, actor):
    """Streets whose musts table the actor may export (any community of it in scope)."""
    from grids.models import Street

    return Street.objects.filter(
        pk__in=musts_communities(actor=actor).values("street_id")
    ).order_by("code", "pk")
