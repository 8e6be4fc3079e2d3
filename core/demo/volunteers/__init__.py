"""Volunteer service on the demo street: rules, volunteers, teams, activities, hours, points.

Everything goes through volunteers.services, with the people who would act as actors: the
street admin writes the points regulations, a community's worker runs its activities, approves
hours and hands rewards over, residents register, sign up, check in with the code and redeem.

Time. The services stamp "now" and check the clock (sign up before the deadline, check in on the
spot, finish after the start), so a past activity is walked in the present — planned to start
half an hour after the build, published, signed up, checked in and out — and then moved to its
planned past: its schedule, the sign-ups and the attendance times, with the hours recomputed
from the moved times by the service's own rule (`compute_hours`), as workflow.py recomputes
what depends on moved stamps. It is then finished, and its hours approved at planned moments.
Everything else is written through `Clock.step`, which moves the rows a call wrote to the
planned moment (workflow.Timeline's idea).

The ledger. Approvals, redemptions, cancellations and adjustments are collected with their
planned moments and run in that order, each moved there at once, so every account's entries
are in the same order by time as by id and each `balance_after` is the running sum; whether
a volunteer can afford an order is decided when it runs, from the balance the earlier entries
made. Deterministic: every choice comes from `random.Random(seed + 4)`.
"""

import datetime
import random
from collections import Counter

from django.db.models import Count, OuterRef, Subquery, Sum
from django.utils import timezone

from accounts.models import User
from volunteers.models import (
    Activity,
    Attendance,
    PartyMemberReport,
    PointsAccount,
    PointsEntry,
    Redemption,
    Reward,
    ServiceTeam,
    SignUp,
    VolunteerProfile,
)
from volunteers.services import points

from .. import data
from ..builder import VERIFIED_RESIDENT_PHONE
from . import plan
from .clock import Clock
from .community import CommunityBuilder

__all__ = ["build_volunteers", "summary_lines"]


def build_volunteers(built, *, seed) -> dict:
    """The points rules of every street and volunteer service in the base communities.
    Returns counts for the summary."""
    return VolunteersBuilder(built, seed=seed).build()


class VolunteersBuilder:
    def __init__(self, built, *, seed):
        self.built, self.rng = built, random.Random(seed + 4)
        self.now = timezone.now()
        self.clock = Clock(self.now)
        self.admin, self.street_admin = built.users["admin"], built.users["street_admin"]
        self.communities = [c for c, _s, _r in built.communities[: len(data.BASE_COMMUNITIES)]]
        self._ledger = []  # (when, n, call, step kwargs)

    def day(self, days, hour, minute=0):
        """A local wall-clock moment `days` from today (negative: in the past)."""
        local = timezone.localtime(self.now)
        moment = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
        return moment + datetime.timedelta(days=days)

    def later(self, when, call, **step):
        """A ledger write, run with the others in the order of their moments."""
        self._ledger.append((when, len(self._ledger), call, step))

    def build(self) -> dict:
        self._rules()
        for n, community in enumerate(self.communities):
            CommunityBuilder(self, community, n=n).build()
        for when, _n, call, step in sorted(self._ledger, key=lambda e: e[:2]):
            self.clock.step(when, call, **step)
        # An account's "last changed" is its last entry, not the build.
        last = PointsEntry.objects.filter(account=OuterRef("pk")).order_by("-created_at", "-pk")
        PointsAccount.objects.filter(
            community__in=self.communities, pk__in=PointsEntry.objects.values("account_id")
        ).update(updated_at=Subquery(last.values("created_at")[:1]))
        return self._counts()

    def _rules(self):
        first = self.built.streets[0]
        for street in self.built.streets:
            # The street admin of the demo street; the superuser for the streets a larger
            # scale adds (they have no admin of their own).
            actor = self.street_admin if street.pk == first.pk else self.admin
            for name, fields in plan.RULES:
                self.clock.step(
                    self.day(-60, 9),
                    lambda a=actor, s=street, n=name, f=fields: points.points_rule_create(
                        actor=a, street=s, name=n, **f
                    ),
                )
            self.clock.step(
                self.day(-60, 10),
                lambda a=actor, s=street: points.points_policy_update(
                    actor=a,
                    street=s,
                    publish=True,
                    text=plan.POLICY_TEXT,
                    daily_cap=plan.DAILY_CAP,
                    expiry_months=plan.EXPIRY_MONTHS,
                ),
            )
        self.rules = {r.name: r for r in first.points_rules.all()}

    def _counts(self) -> dict:
        base = {"community__in": self.communities}
        of_base = {"activity__community__in": self.communities}

        def by(qs, field):
            return dict(qs.order_by().values_list(field).annotate(n=Count("pk")))

        approved = Attendance.objects.filter(**of_base, status=Attendance.Status.APPROVED)
        entries = PointsEntry.objects.filter(account__community__in=self.communities)
        me = User.objects.get(username=VERIFIED_RESIDENT_PHONE)
        account = PointsAccount.objects.filter(user=me).first()
        return {
            "volunteers": VolunteerProfile.objects.filter(**base).count(),
            "volunteer_party_members": PartyMemberReport.objects.filter(**base).count(),
            "volunteer_teams": ServiceTeam.objects.filter(**base).count(),
            "volunteer_activities": by(Activity.objects.filter(**base), "status"),
            "volunteer_signups": SignUp.objects.filter(**of_base).count(),
            "volunteer_attendance": by(Attendance.objects.filter(**of_base), "status"),
            "volunteer_hours": approved.aggregate(h=Sum("hours"))["h"] or 0,
            "points_by_kind": dict(
                entries.order_by().values_list("kind").annotate(s=Sum("points"))
            ),
            "rewards": Reward.objects.filter(**base).count(),
            "redemptions": by(
                Redemption.objects.filter(reward__community__in=self.communities), "status"
            ),
            "demo_resident_points": account.balance if account else 0,
            "demo_resident_hours": approved.filter(user=me).aggregate(h=Sum("hours"))["h"] or 0,
        }


def summary_lines(extra) -> list[str]:
    """The summary's lines about volunteer service, for load_demo."""
    if "volunteers" not in extra:
        return []
    acts, att = extra["volunteer_activities"], extra["volunteer_attendance"]
    pts, orders = Counter(extra["points_by_kind"]), extra["redemptions"]
    statuses = ", ".join(
        f"{Activity.Status(s).label} {acts.get(s, 0)}" for s in Activity.Status.values
    )
    order_text = ", ".join(
        f"{Redemption.Status(s).label} {orders.get(s, 0)}" for s in Redemption.Status.values
    )
    return [
        f"  志愿者 / volunteers: {extra['volunteers']}（在职党员报到 / party members "
        f"{extra['volunteer_party_members']}），服务队 / teams {extra['volunteer_teams']}",
        f"  志愿活动 / activities ({sum(acts.values())}): {statuses}；"
        f"报名 / sign-ups {extra['volunteer_signups']}",
        f"  服务时长 / hours: 审核通过 / approved {att.get('approved', 0)} 人次 "
        f"{extra['volunteer_hours']:.1f} 小时，待审核 / awaiting {att.get('checked_out', 0)}，"
        f"未通过 / rejected {att.get('rejected', 0)}",
        f"  积分 / points: 获得 / earned {pts['earn']}, 兑换 / redeemed {-pts['redeem']}, "
        f"退回 / refunded {pts['refund']}, 调整 / adjusted {pts['adjust']:+d}；"
        f"奖励 / rewards {extra['rewards']}；兑换单 / orders: {order_text}",
        f"  {VERIFIED_RESIDENT_PHONE}: 积分 / points {extra['demo_resident_points']}，"
        f"服务时长 / hours {extra['demo_resident_hours']:.1f}，可兑换奖励 / can redeem rewards",
    ]
