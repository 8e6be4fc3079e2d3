"""The cadres' review 两委干部测评 on the demo street, in every state.

For each of the first two base communities: last year's round, closed with its results
published (enough residents took part for results to show), and this year's round, open, with
some residents having taken part. A third community has a draft round being prepared; a
fourth a round that was called off with its reason. Everything goes through cadres.services,
as a worker and the residents would; the services stamp "now", so last year's rows are moved
back with queryset `update()` right after (as the board demo does).
"""

import datetime
import random
from collections import Counter

from django.utils import timezone

from accounts.models import User
from cadres import services
from cadres.models import (
    Body,
    Participation,
    Rating,
    ReviewRound,
    ReviewRoundEvent,
    ScoreTally,
)
from residents.models import Resident

from ..builder import VERIFIED_RESIDENT_PHONE

D = datetime.timedelta(days=1)
H = datetime.timedelta(hours=1)

# (name, body, post): a branch secretary who also chairs the committee is listed once per body.
CADRES = [
    [
        ("周建华", Body.PARTY_BRANCH, "党总支书记"),
        ("周建华", Body.NEIGHBOURHOOD_COMMITTEE, "居委会主任"),
        ("陈丽萍", Body.PARTY_BRANCH, "党总支副书记"),
        ("吴志强", Body.PARTY_BRANCH, "党总支委员"),
        ("刘敏", Body.NEIGHBOURHOOD_COMMITTEE, "居委会副主任"),
        ("郑海燕", Body.NEIGHBOURHOOD_COMMITTEE, "居委会委员"),
        ("孙伟", Body.NEIGHBOURHOOD_COMMITTEE, "居委会委员"),
    ],
    [
        ("黄秀英", Body.PARTY_BRANCH, "党支部书记"),
        ("马国庆", Body.PARTY_BRANCH, "党支部委员"),
        ("朱晓红", Body.NEIGHBOURHOOD_COMMITTEE, "居委会主任"),
        ("胡建国", Body.NEIGHBOURHOOD_COMMITTEE, "居委会委员"),
        ("林静", Body.NEIGHBOURHOOD_COMMITTEE, "居委会委员"),
    ],
]
# Most residents are satisfied with most cadres, as the seeds' published rounds report.
WEIGHTS = {Rating.SATISFIED: 78, Rating.BASICALLY_SATISFIED: 18, Rating.UNSATISFIED: 4}


def build_cadres(built, *, seed) -> dict:
    """Rounds in every state with their cadres and scores. Returns counts for the summary."""
    return CadresBuilder(built, seed=seed).build()


class CadresBuilder:
    def __init__(self, built, *, seed):
        self.built = built
        self.rng = random.Random(seed + 17)
        self.now = timezone.now()
        self.street_admin = built.users["street_admin"]
        self.communities = [c for c, _s, _r in built.communities]

    def _worker(self, community):
        return self.built.workers.get(community.pk, self.street_admin)

    def _accounts(self, community):
        return list(
            User.objects.filter(
                is_active=True,
                verification_status=User.Verification.VERIFIED,
                resident__community=community,
                resident__status=Resident.Status.LIVING,
            ).order_by("pk")
        )

    def _round(self, community, year, cadres):
        worker = self._worker(community)
        round_ = services.round_create(
            actor=worker,
            community=community,
            year=year,
            opens_at=self.now - H,
            closes_at=self.now + 14 * D,
            description="请对本居民区党组织和居委会干部一年来的工作作出评价，评价匿名统计。",
        )
        for name, body, post in cadres:
            services.cadre_add(actor=worker, round=round_, name=name, body=body, post=post)
        return round_

    def _vote(self, round_, voters):
        cadre_ids = list(round_.cadres.order_by("position").values_list("pk", flat=True))
        grades, weights = list(WEIGHTS), list(WEIGHTS.values())
        for user in voters:
            scores = [
                {"cadre": pk, "value": int(self.rng.choices(grades, weights)[0])}
                for pk in cadre_ids
            ]
            services.round_submit(actor=user, round=round_, scores=scores)

    def build(self) -> dict:
        year = self.now.year
        first, second = self.communities[0], self.communities[1]
        for n, community in enumerate((first, second)):
            accounts = self._accounts(community)
            self._last_year(community, year - 1, CADRES[n], accounts)
            self._this_year(community, year, CADRES[n], accounts)
        if len(self.communities) > 2:
            self._draft(self.communities[2], year)
        if len(self.communities) > 3:
            self._cancelled(self.communities[3], year)
        rounds = ReviewRound.objects.filter(community__street__in=self.built.streets)
        return {
            "cadre_rounds": dict(Counter(rounds.values_list("status", flat=True))),
            "cadre_participations": Participation.objects.filter(round__in=rounds).count(),
            "cadre_scores": sum(
                ScoreTally.objects.filter(round__in=rounds).values_list("count", flat=True)
            ),
        }

    def _last_year(self, community, year, cadres, accounts):
        opens = datetime.datetime(year, 11, 1, 9, tzinfo=self.now.tzinfo)
        closes = opens + 21 * D
        round_ = self._round(community, year, cadres)
        services.round_open(actor=self._worker(community), round=round_)
        voters = self.rng.sample(accounts, min(len(accounts), max(8, len(accounts) * 2 // 3)))
        self._vote(round_, voters)
        services.round_close(actor=self._worker(community), round=round_)
        services.round_publish_results(actor=self.street_admin, round=round_)
        # Into last year: the window, each move, each participation (spread over the window).
        ReviewRound.objects.filter(pk=round_.pk).update(
            opens_at=opens,
            closes_at=closes,
            created_at=opens - 10 * D,
            opened_at=opens,
            closed_at=closes,
            published_at=closes + 3 * D,
        )
        for participation in Participation.objects.filter(round=round_):
            Participation.objects.filter(pk=participation.pk).update(
                at=opens + datetime.timedelta(minutes=self.rng.randint(0, 21 * 24 * 60 - 1))
            )
        for verb, at in (
            ("create", opens - 10 * D),
            ("open", opens),
            ("close", closes),
            ("publish", closes + 3 * D),
        ):
            ReviewRoundEvent.objects.filter(round=round_, verb=verb).update(at=at)

    def _this_year(self, community, year, cadres, accounts):
        opens = self.now - 5 * D
        round_ = self._round(community, year, cadres)
        services.round_open(actor=self._worker(community), round=round_)
        # The demo's resident login is left to take part by hand.
        others = [a for a in accounts if a.phone != VERIFIED_RESIDENT_PHONE]
        voters = others[: max(3, len(others) // 3)]
        self._vote(round_, voters)
        ReviewRound.objects.filter(pk=round_.pk).update(
            opens_at=opens, closes_at=self.now + 16 * D, created_at=opens - 3 * D, opened_at=opens
        )
        ReviewRoundEvent.objects.filter(round=round_, verb="create").update(at=opens - 3 * D)
        ReviewRoundEvent.objects.filter(round=round_, verb="open").update(at=opens)

    def _draft(self, community, year):
        self._round(community, year, CADRES[1][:3])
        ReviewRound.objects.filter(community=community, year=year).update(
            opens_at=self.now + 10 * D, closes_at=self.now + 30 * D
        )

    def _cancelled(self, community, year):
        round_ = self._round(community, year, CADRES[0][:3])
        services.round_open(actor=self._worker(community), round=round_)
        services.round_cancel(
            actor=self._worker(community),
            round=round_,
            reason="居委会换届选举提前，测评改在换届后进行。",
        )


def summary_lines(extra) -> list[str]:
    """The summary's lines about the cadres' review, for load_demo."""
    rounds = extra.get("cadre_rounds")
    if rounds is None:
        return []
    states = ", ".join(
        f"{ReviewRound.Status(s).label} {rounds.get(s, 0)}" for s in ReviewRound.Status.values
    )
    return [
        f"  两委测评 / cadre reviews ({sum(rounds.values())}): {states}",
        f"  参与 / took part: {extra.get('cadre_participations', 0)}"
        f"（评价人次 / scores {extra.get('cadre_scores', 0)}）",
    ]


__all__ = ["build_cadres", "summary_lines"]
