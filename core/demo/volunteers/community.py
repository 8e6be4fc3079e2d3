"""One community's volunteer service: volunteers and party members, teams, rewards, activities
past, cancelled and upcoming, and the ledger writes they lead to (see the package docstring
for how the time is moved)."""

import datetime
from collections import defaultdict
from functools import partial

from django.utils import timezone

from accounts.models import User
from grids.models import Building, GridResource
from projects.models import Project
from volunteers.models import Activity, Attendance, PointsAccount, Reward, SignUp, TeamMembership
from volunteers.services import activities as act
from volunteers.services import people, points

from ..builder import VERIFIED_RESIDENT_PHONE
from . import plan

M, H, D = (datetime.timedelta(minutes=1), datetime.timedelta(hours=1), datetime.timedelta(days=1))
# Share of a community's verified resident accounts that volunteer.
VOLUNTEER_SHARE = 0.6
# Past activities of the communities after 望春里 (besides the one awaiting approval): few,
# since every attendance is a dozen service calls and the demo is built at each `make run`.
OTHER_PAST = 2


class CommunityBuilder:
    def __init__(self, vb, community, *, n):
        # Choices hang on the community's position `n`, never on its id: ids keep growing
        # after a reset, and the demo must come out the same.
        self.vb, self.c, self.n, self.rng = vb, community, n, vb.rng
        self.first = n == 0
        self.clock = vb.clock
        self.worker = vb.built.workers[community.pk]
        self.short = community.name.removesuffix("居民区")
        buildings = Building.objects.filter(community=community).order_by("pk")
        self.buildings = list(buildings.values_list("name", flat=True)) or ["1号楼"]
        self.project = Project.objects.filter(
            community=community, stage=Project.Stage.IN_PROGRESS
        ).first()

    def build(self):
        self._volunteers()
        self._teams()
        self._rewards()
        if self.first:
            past = plan.PAST
        else:
            past = [*self.rng.sample(plan.PAST[:-1], OTHER_PAST), plan.AWAITING]
            past.sort(key=lambda spec: -spec.days)
        for i, spec in enumerate(past):
            # A couple of hours refused, with the reason: two in 望春里, one in every second
            # community after it.
            reject = i in (2, 5) if self.first else (i == 1 and self.n % 2 == 0)
            self._past(spec, reject=reject)
        if self.first:
            self._cancelled(plan.CANCELLED)
        for spec in plan.UPCOMING if self.first else self.rng.sample(plan.UPCOMING, 1):
            self._upcoming(spec)
        if self.first:
            self._upcoming(plan.DRAFT, publish=False)
        self._redemptions()
        self._adjustments()

    # -- people ---------------------------------------------------------------------------------

    def _volunteers(self):
        vb, rng = self.vb, self.rng
        accounts = list(
            User.objects.filter(
                resident__community=self.c, verification_status=User.Verification.VERIFIED
            ).order_by("pk")
        )
        me = [u for u in accounts if u.username == VERIFIED_RESIDENT_PHONE]
        others = [u for u in accounts if u.username != VERIFIED_RESIDENT_PHONE]
        picked = sorted(rng.sample(others, round(len(others) * VOLUNTEER_SHARE)), key=_pk)
        self.profiles = []
        for i, user in enumerate(me + picked):
            # Half register on their phone, half are registered by the worker at the office.
            register = partial(
                people.volunteer_register,
                actor=user if i % 2 == 0 else self.worker,
                user=user,
                skills=rng.choice(plan.SKILLS),
                availability=rng.choice(plan.AVAILABILITY),
            )
            when = vb.day(-58 + i % 5, 9 + i % 9, (7 * i) % 60)
            self.profiles.append(self.clock.step(when, register))
        self.me = self.profiles[0] if me else None
        # Two in-service party members report to the community (在职党员报到).
        for i, profile in enumerate(self.profiles[1:3] if len(self.profiles) > 3 else []):
            report = partial(
                people.party_member_report,
                actor=profile.user,
                profile=profile,
                employer_party_org=plan.EMPLOYERS[(self.n + i) % len(plan.EMPLOYERS)],
                reported_on=timezone.localdate() - (50 - i) * D,
            )
            self.clock.step(vb.day(-50 + i, 15), report)

    def _teams(self):
        vb = self.vb
        self.teams, self.members = [], defaultdict(list)
        count = 3 if self.first else 2 + self.n % 2
        pool = [p for p in self.profiles if p is not self.me]
        for t, (name, description) in enumerate(plan.TEAMS[:count]):
            leader = pool[t] if t < len(pool) else None
            create = partial(
                people.team_create,
                actor=self.worker,
                community=self.c,
                name=name,
                description=description,
                leader=leader,
            )
            team = self.clock.step(vb.day(-53, 9 + t), create)
            members = [p for i, p in enumerate(pool) if i % count == t]
            if self.me and t == 1:
                members.insert(0, self.me)  # 13900000001 is in the hygiene team
            for i, profile in enumerate(m for m in members if m is not leader):
                join = partial(people.team_join, actor=self.worker, team=team, profile=profile)
                self.clock.step(vb.day(-52 + i % 4, 19), join)
            TeamMembership.objects.filter(team=team).update(joined_on=timezone.localdate() - 52 * D)
            self.teams.append(team)
            self.members[team.pk] = members

    def _rewards(self):
        for kind, name, cost, stock, provider_kind, text in plan.REWARDS:
            provider = None
            if provider_kind:
                resources = GridResource.objects.filter(community=self.c, kind=provider_kind)
                provider = resources.order_by("pk").first()
            create = partial(
                points.reward_create,
                actor=self.worker,
                community=self.c,
                kind=kind,
                name=name,
                points_cost=cost,
                stock=stock,
                description=text,
                provider=provider,
            )
            self.clock.step(self.vb.day(-53, 11), create)

    # -- activities -----------------------------------------------------------------------------

    def _fields(self, spec):
        team = (
            self.teams[spec.team] if spec.team is not None and spec.team < len(self.teams) else None
        )
        b1, b2 = self.rng.sample(self.buildings * 2, 2)
        place = spec.place.format(b=b1, b2=b2, short=self.short)
        fields = {
            "team": team,
            "category": spec.category,
            "title": spec.title,
            "place": place,
            "kind": spec.kind,
            "points_rule": self.vb.rules.get(spec.rule),
        }
        return fields, team

    def _volunteers_for(self, team, k, *, with_me):
        """`k` volunteers, the team's own first, then others; 13900000001 first if asked."""
        own = [p for p in self.members.get(team.pk, []) if p is not self.me] if team else []
        chosen = own[:k]
        rest = [p for p in self.profiles if p not in chosen and p is not self.me]
        chosen += self.rng.sample(rest, min(len(rest), max(0, k - len(chosen))))
        if with_me and self.me:
            chosen.insert(0, self.me)
        return [p.user for p in chosen]

    def _walk_now(self, fields, hours, users, capacity):
        """Create, publish and sign up in the present, starting half an hour from now (the
        services refuse a sign-up after the deadline and a check-in off the spot)."""
        now = timezone.now()
        activity = act.activity_create(
            actor=self.worker,
            community=self.c,
            starts_at=now + 30 * M,
            ends_at=now + 30 * M + hours * H,
            signup_deadline=now + 10 * M,
            capacity=max(1, capacity),
            **fields,
        )
        act.activity_publish(actor=self.worker, activity=activity)
        for user in users:
            act.signup_create(actor=user, activity=activity)
        return activity

    def _move(self, activity, start, hours):
        """Give a walked activity its planned past schedule: published four days before, the
        sign-ups in the day after, the deadline the evening before."""
        published = start - 4 * D
        Activity.objects.filter(pk=activity.pk).update(
            starts_at=start,
            ends_at=start + hours * H,
            signup_deadline=start - 15 * H,
            created_at=published - 2 * H,
            published_at=published,
            updated_at=published,
        )
        activity.refresh_from_db()
        signups = list(activity.signups.order_by("pk"))
        for i, signup in enumerate(signups):
            moment = published + (i + 1) * 3 * H + i * 7 * M
            signup.created_at = signup.updated_at = signup.confirmed_at = moment
        SignUp.objects.bulk_update(signups, ["created_at", "updated_at", "confirmed_at"])
        return activity

    def _past(self, spec, *, reject):
        vb, rng = self.vb, self.rng
        fields, team = self._fields(spec)
        with_me = spec.days not in plan.SKIPPED_BY_ME
        size = rng.randint(4, 6) if self.first else 3
        users = self._volunteers_for(team, size, with_me=with_me)
        if not users:
            return
        activity = self._walk_now(fields, spec.hours, users, len(users) + rng.randint(0, 4))
        # Now and then one who signed up does not come.
        absent = users[-1] if len(users) > 3 and rng.random() < 0.5 else None
        for i, user in enumerate(u for u in users if u is not absent):
            if i % 3 == 1:  # on their own phone, with the code on the poster
                act.attendance_check_in(actor=user, activity=activity, code=activity.checkin_code)
                act.attendance_check_out(actor=user, activity=activity)
            else:  # the worker at the desk
                act.attendance_check_in(actor=self.worker, activity=activity, user=user)
                act.attendance_check_out(actor=self.worker, activity=activity, user=user)
        start = vb.day(-spec.days, 9 if spec.days % 2 else 14)
        activity = self._move(activity, start, spec.hours)
        rows = list(activity.attendances.order_by("pk"))
        for row in rows:
            # Some arrive early, some leave before the end: the service's rule decides the
            # hours from the moved times (inside the schedule, whole half hours).
            row.checked_in_at = row.created_at = start - rng.randint(0, 15) * M
            row.checked_out_at = row.updated_at = activity.ends_at + rng.randint(-40, 15) * M
            row.hours = act.compute_hours(activity, row.checked_in_at, row.checked_out_at)
        Attendance.objects.bulk_update(
            rows, ["checked_in_at", "checked_out_at", "hours", "created_at", "updated_at"]
        )
        act.activity_finish(actor=self.worker, activity=activity)
        Activity.objects.filter(pk=activity.pk).update(updated_at=activity.ends_at + H)
        self.clock.sync()
        if spec is plan.AWAITING:
            return
        # The worker reviews them together the next morning; the last one is refused when
        # planned so (one step: the entries of different volunteers may share a moment).
        refused = rows[-1] if reject and len(rows) > 2 else None
        vb.later(
            vb.day(-spec.days + 1, 10),
            partial(self._review, rows, refused, plan.REJECT_REASONS[spec.days % 2]),
            subject=rows,
            stamps=("reviewed_at", "updated_at"),
        )

    def _review(self, rows, refused, reason):
        for row in rows:
            if row is refused:
                act.attendance_reject(actor=self.worker, attendance=row, reason=reason)
            else:
                act.attendance_approve(actor=self.worker, attendance=row)

    def _cancelled(self, spec):
        fields, team = self._fields(spec)
        users = self._volunteers_for(team, 5, with_me=True)
        activity = self._walk_now(fields, spec.hours, users, capacity=15)
        start = self.vb.day(-spec.days, 8)
        activity = self._move(activity, start, spec.hours)
        self.clock.sync()
        when = start - 14 * H  # the evening before, when the warning came
        cancel = partial(
            act.activity_cancel, actor=self.worker, activity=activity, reason=plan.CANCEL_REASON
        )
        self.clock.step(when, cancel, subject=activity, stamps=("cancelled_at", "updated_at"))
        activity.signups.update(cancelled_at=when, updated_at=when)

    def _upcoming(self, spec, *, publish=True):
        vb, rng = self.vb, self.rng
        fields, team = self._fields(spec)
        start = vb.day(spec.days, 9)
        published = vb.day(-3, 9)
        create = partial(
            act.activity_create,
            actor=self.worker,
            community=self.c,
            starts_at=start,
            ends_at=start + spec.hours * H,
            signup_deadline=start - 13 * H,
            capacity=spec.capacity,
            project=self.project if spec.category == "环境整治" else None,
            **fields,
        )
        activity = self.clock.step(published - H, create)
        if not publish:
            return
        self.clock.step(
            published,
            partial(act.activity_publish, actor=self.worker, activity=activity),
            subject=activity,
            stamps=("published_at", "updated_at"),
        )
        users = self._volunteers_for(team, spec.signups, with_me=False)
        if self.me and spec.signups:
            # 13900000001 signs up among the first, except for the full one: on its waiting list.
            full = spec.signups > spec.capacity
            users.insert(len(users) - 1 if full else 0, self.me.user)
        for i, user in enumerate(users):
            when = published + (i + 1) * 5 * H + rng.randint(0, 50) * M
            self.clock.step(when, partial(act.signup_create, actor=user, activity=activity))
        if len(users) > spec.capacity:
            # One with a place withdraws: the first on the waiting list moves up and is told.
            when = vb.day(-1, 20)
            cancel = partial(act.signup_cancel, actor=users[1], activity=activity)
            signup = self.clock.step(when, cancel)
            SignUp.objects.filter(pk=signup.pk).update(cancelled_at=when, updated_at=when)
            activity.signups.filter(confirmed_at__gt=self.clock.limit).update(
                confirmed_at=when, updated_at=when
            )

    # -- points ---------------------------------------------------------------------------------

    def _redemptions(self):
        """Orders in the last two weeks: most handed over (13900000001's first among them),
        some waiting, in 望春里 one cancelled by the resident and one by the worker (both
        refunded). What is ordered is decided when the
        order runs, from the balance the approvals before it made."""
        vb, rng = self.vb, self.rng
        outcomes = plan.ORDERS_FIRST if self.first else plan.ORDERS_OTHER
        for i, (profile, outcome) in enumerate(zip(self.profiles, outcomes, strict=False)):
            when = vb.day(-14 + i, 16, rng.randint(0, 59))
            order = {}
            pick = "cheapest" if profile is self.me else "any"
            vb.later(when, partial(self._redeem, profile.user, order, pick=pick))
            vb.later(when + (1 + i % 3) * D, partial(self._follow_up, order, outcome))
        if self.me:  # and one of theirs still waiting to be collected
            vb.later(vb.day(-1, 18), partial(self._redeem, self.me.user, {}, pick="middle"))

    def _redeem(self, user, order, *, pick):
        """Order one reward the volunteer can afford now: `any`, the `cheapest` or a `middle`
        one (13900000001's two orders, so that enough is left to redeem in the demo)."""
        account = PointsAccount.objects.filter(user=user, street_id=self.c.street_id).first()
        balance = account.balance if account else 0
        rewards = Reward.objects.filter(community=self.c, stock__gt=0, points_cost__lte=balance)
        affordable = list(rewards.order_by("points_cost", "pk"))
        if not affordable:
            return None
        reward = {
            "any": self.rng.choice,
            "cheapest": lambda rewards: rewards[0],
            "middle": lambda rewards: rewards[len(rewards) // 2],
        }[pick](affordable)
        order["redemption"] = points.reward_redeem(actor=user, reward=reward)
        return order["redemption"]

    def _follow_up(self, order, outcome):
        redemption = order.get("redemption")
        if redemption is None or outcome == "waiting":
            return None
        if outcome == "handed":
            return points.redemption_hand_over(actor=self.worker, redemption=redemption)
        if outcome == "by_resident":
            return points.redemption_cancel(actor=redemption.user, redemption=redemption)
        return points.redemption_cancel(
            actor=self.worker, redemption=redemption, reason=plan.WORKER_CANCEL_REASON
        )

    def _adjustments(self):
        adjustments = plan.ADJUSTMENTS if self.first else plan.ADJUSTMENTS[:1]
        for n, (amount, reason, whom) in enumerate(adjustments):
            self.vb.later(self.vb.day(-5 + n, 11), partial(self._adjust, amount, reason, whom))

    def _adjust(self, amount, reason, whom):
        accounts = list(
            PointsAccount.objects.filter(community=self.c, balance__gte=max(0, -amount))
            .exclude(user__username=VERIFIED_RESIDENT_PHONE)
            .order_by("balance", "pk")
        )
        if not accounts:
            return None
        account = accounts[0] if whom == "lowest" else accounts[-1]
        return points.points_adjust(
            actor=self.worker, account=account, points=amount, reason=reason
        )


def _pk(obj):
    return obj.pk
