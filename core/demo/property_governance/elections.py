"""The demo's elections: drafted with candidates, voted online by the area's verified
accounts and on paper by the worker for residents without one, then moved into the past."""

import datetime

from core.exceptions import ApplicationError
from property_governance import services
from property_governance.models import Ballot, Election, ElectionEvent

D = datetime.timedelta(days=1)
STATEMENTS = [
    "退休教师，热心公益，愿意为大家跑腿。",
    "在小区住了二十年，熟悉楼道情况，希望把停车问题理顺。",
    "从事财务工作，愿意把维修资金的账目公开透明。",
    "楼组长，每周走访，愿意把邻居的意见带到业委会。",
    "年轻业主，懂网络，愿意帮老人线上投票。",
    "曾参与加装电梯协调，愿意继续为小区出力。",
]


class ElectionsMixin:
    def _election(self, area, title, *, seats=3, n_candidates=4, starts_in_days=60):
        worker = self._worker(area.community)
        start = self.today + datetime.timedelta(days=starts_in_days)
        election = services.election_create(
            actor=worker,
            area=area,
            title=title,
            description="依据《业主大会和业主委员会指导规则》，由居委会指导、业主大会筹备组组织。",
            seats=seats,
            closes_at=self.now + 10 * D,
            term_starts_on=start,
            term_ends_on=start + datetime.timedelta(days=5 * 365),
        )
        for resident in self._residents(area, n_candidates):
            services.election_candidate_add(
                actor=worker,
                election=election,
                resident=resident,
                statement=self.rng.choice(STATEMENTS),
            )
        return election

    def _vote(self, election, *, share=0.6, paper=3):
        worker = self._worker(election.area.community)
        picks = list(election.candidates.all())
        weights = [len(picks) - n + self.rng.random() for n in range(len(picks))]
        voters = self._voters(election.area)
        for user in voters[: max(1, int(len(voters) * share))]:
            k = self.rng.randint(1, election.seats)
            chosen = {c.pk for c in self.rng.choices(picks, weights, k=k)}
            try:
                services.election_vote(actor=user, election=election, candidates=list(chosen))
            except ApplicationError:
                continue  # the household has voted already
        for resident in self._offline(election.area, paper):
            try:
                services.election_paper_ballot(
                    actor=worker,
                    election=election,
                    resident=resident,
                    candidates=[self.rng.choices(picks, weights)[0].pk],
                    note="上门走访纸质选票",
                )
            except ApplicationError:
                continue

    def _backdate(self, election, *, created, published, opened, closes):
        Election.objects.filter(pk=election.pk).update(
            created_at=created,
            candidates_published_at=published,
            voting_opened_at=opened,
            closes_at=closes,
        )
        events = ElectionEvent.objects.filter(election=election)
        for verb, at in (
            ("create", created),
            ("publish_candidates", published),
            ("open_voting", opened),
        ):
            if at is not None:
                events.filter(verb=verb).update(at=at)
        if opened is not None:
            span = max((min(closes, self.now) - opened).total_seconds(), 3600)
            for pk in Ballot.objects.filter(election=election).values_list("pk", flat=True):
                Ballot.objects.filter(pk=pk).update(
                    cast_at=opened + datetime.timedelta(seconds=self.rng.uniform(0.05, 0.95) * span)
                )
        election.refresh_from_db()
