"""Property governance on the demo street (the first two base communities), through the real
services as a worker would, with a past made by queryset `update()` afterwards:

- three property companies in the street's register;
- community 1: three areas (one per compound, each with a serving owners' committee and the
  first ones with an early-stage contract); the first two areas merged 联小建大 into one, their
  two committees merged into one preparing committee, filled by a counted election with
  ballots (online and paper), its members given roles; a 选聘 (household poll) that made the
  merged area's contract (the old contract ended); the third area's committee term ends within
  90 days (the term-end reminder shows);
- community 2: areas with a committee whose term ends within 90 days and an election voting
  now (with ballots), one with candidates published, one a draft, one cancelled with a reason,
  an ended committee of an earlier term, and a current contract.
"""

import datetime
import random
from collections import Counter

from django.utils import timezone

from accounts.models import User
from board import services as board_services
from board.models import Consultation, Response
from core.exceptions import ApplicationError
from grids.models import Compound
from property_governance import services
from property_governance.models import (
    Ballot,
    CommitteeMember,
    Election,
    ElectionEvent,
    Merge,
    OwnersCommittee,
    PropertyArea,
    PropertyContract,
    PropertySelection,
)
from residents.models import Resident

from .. import data
from .elections import D, ElectionsMixin

COMPANIES = [
    ("上海安居物业服务有限公司", "91310104MA1FL3XK2A", "张经理", "021-64281234"),
    ("绿城物业服务集团上海分公司", "91310000MA1G8T5U3B", "李经理", "021-54887766"),
    ("永升物业管理（上海）有限公司", "91310115MA1H2C9Q4C", "王经理", "021-58901122"),
]


def build_property_governance(built, *, seed) -> dict:
    """Areas, companies, contracts, committees, merges, elections, a 选聘. Returns counts."""
    return PropertyBuilder(built, seed=seed).build()


class PropertyBuilder(ElectionsMixin):
    def __init__(self, built, *, seed):
        self.built = built
        self.rng = random.Random(seed + 13)
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.street_admin = built.users["street_admin"]
        self.communities = [c for c, _s, _r in built.communities[: len(data.BASE_COMMUNITIES)]]

    def _worker(self, community):
        return self.built.workers.get(community.pk, self.street_admin)

    def build(self) -> dict:
        first, second = self.communities[0], self.communities[1]
        street = first.street
        self.companies = [
            services.company_create(
                actor=self.street_admin,
                street=street,
                name=name,
                credit_code=code,
                contact_name=contact,
                contact_phone=phone,
                address=street.name,
            )
            for name, code, contact, phone in COMPANIES
        ]
        self._first(first)
        self._second(second)
        communities = [first, second]
        elections = Election.objects.filter(area__community__in=communities)
        return {
            "property_areas": PropertyArea.objects.filter(community__in=communities).count(),
            "property_companies": len(self.companies),
            "property_contracts": dict(
                Counter(
                    PropertyContract.objects.filter(area__community__in=communities).values_list(
                        "status", flat=True
                    )
                )
            ),
            "property_committees": dict(
                Counter(
                    OwnersCommittee.objects.filter(area__community__in=communities).values_list(
                        "status", flat=True
                    )
                )
            ),
            "property_elections": dict(Counter(elections.values_list("status", flat=True))),
            "property_ballots": Ballot.objects.filter(election__in=elections).count(),
            "property_merges": Merge.objects.filter(community__in=communities).count(),
            "property_selections": PropertySelection.objects.filter(
                area__community__in=communities
            ).count(),
        }

    # -- helpers -------------------------------------------------------------------------------

    def _compounds(self, community):
        return list(Compound.objects.filter(community=community, is_active=True).order_by("pk"))

    def _area(self, community, compounds, name):
        return services.area_create(
            actor=self._worker(community), community=community, name=name, compounds=compounds
        )

    def _committee(self, area, *, started_years_ago, ends_in_days, term_number=1):
        committee = services.committee_create(
            actor=self._worker(area.community),
            area=area,
            term_number=term_number,
            term_starts_on=self.today - datetime.timedelta(days=int(365 * started_years_ago)),
            term_ends_on=self.today + datetime.timedelta(days=ends_in_days),
        )
        for n, resident in enumerate(self._residents(area, 5)):
            role = ("director", "deputy")[n] if n < 2 else "member"
            services.committee_member_add(
                actor=self._worker(area.community),
                committee=committee,
                resident=resident,
                role=role,
            )
        return committee

    def _residents(self, area, n, *, exclude=()):
        qs = (
            Resident.objects.filter(
                status=Resident.Status.LIVING,
                household__building__compound__in=area.compounds.all(),
            )
            .exclude(pk__in=list(exclude))
            .order_by("pk")
        )
        rows = list(qs[:200])
        return self.rng.sample(rows, min(n, len(rows)))

    def _voters(self, area):
        return list(
            User.objects.filter(
                is_active=True,
                verification_status=User.Verification.VERIFIED,
                resident__status=Resident.Status.LIVING,
                resident__household__building__compound__in=area.compounds.all(),
            ).order_by("pk")
        )

    def _offline(self, area, n):
        rows = list(
            Resident.objects.filter(
                status=Resident.Status.LIVING,
                account__isnull=True,
                household__building__compound__in=area.compounds.all(),
            ).order_by("pk")[:200]
        )
        return self.rng.sample(rows, min(n, len(rows)))

    def _contract(self, area, company, *, started_days_ago, years, fee, chosen_by="early_stage"):
        start = self.today - datetime.timedelta(days=started_days_ago)
        return services.contract_create(
            actor=self._worker(area.community),
            area=area,
            company=company,
            starts_on=start,
            ends_on=start + datetime.timedelta(days=365 * years),
            fees={"residential": fee, "commercial": "6.50"},
            chosen_by=chosen_by,
        )

    # -- community 1: merge, counted election, 选聘 ------------------------------------------

    def _first(self, community):
        worker = self._worker(community)
        compounds = self._compounds(community)
        if len(compounds) < 3:
            return
        areas = [self._area(community, [c], f"{c.name}物业管理区域") for c in compounds[:3]]
        committees = [
            self._committee(area, started_years_ago=4, ends_in_days=400) for area in areas[:2]
        ]
        old = self._contract(
            areas[0], self.companies[0], started_days_ago=1500, years=5, fee="1.80"
        )
        # 联小建大: the first two areas and their committees become one.
        merged_on = self.today - 120 * D
        area_merge = services.merge_areas(
            actor=worker,
            areas=areas[:2],
            name=f"{community.name.removesuffix('居民区')}物业管理区域",
            merged_on=merged_on,
            reason="两个小区规模小、物业费收缴率低，经业主大会表决合并为一个物业管理区域，统一选聘物业。",
        )
        big = area_merge.after_area
        services.merge_committees(
            actor=worker,
            committees=committees,
            area=big,
            merged_on=merged_on,
            reason="区域合并后，原两个业委会合并，由筹备组组织新一届选举。",
            term_starts_on=self.today - 30 * D,
            term_ends_on=self.today + 5 * 365 * D,
        )
        # The merged area's election, counted.
        election = self._election(
            big, "合并后首届业委会选举", seats=5, n_candidates=7, starts_in_days=-30
        )
        services.election_publish_candidates(actor=worker, election=election)
        services.election_open_voting(actor=worker, election=election)
        self._vote(election, share=0.7, paper=4)
        self._backdate(
            election,
            created=self.now - 75 * D,
            published=self.now - 60 * D,
            opened=self.now - 45 * D,
            closes=self.now - 31 * D,
        )
        services.election_count(actor=worker, election=election)
        Election.objects.filter(pk=election.pk).update(counted_at=self.now - 30 * D)
        ElectionEvent.objects.filter(election=election, verb="count").update(at=self.now - 30 * D)
        election.refresh_from_db()
        members = list(CommitteeMember.objects.filter(committee=election.committee).order_by("pk"))
        for member, role in zip(members, ("director", "deputy"), strict=False):
            services.committee_member_set_role(actor=worker, member=member, role=role)
        # 选聘 of the merged area: a household poll, closed, decided.
        self._selection(big, old_contract=old)
        # The third area: its committee's term ends within 90 days.
        self._contract(areas[2], self.companies[2], started_days_ago=400, years=3, fee="2.20")
        self._committee(areas[2], started_years_ago=4.8, ends_in_days=75)

    def _selection(self, area, *, old_contract):
        worker = self._worker(area.community)
        opens = self.now - 40 * D
        selection = services.selection_start(
            actor=worker,
            area=area,
            title=f"{area.name}物业服务企业选聘",
            description="原前期物业合同将到期，经业主大会决定公开选聘物业服务企业，每户一票。",
            companies=self.companies[:2],
            opens_at=self.now,
            closes_at=self.now + 14 * D,
        )
        consultation = selection.consultation
        question = consultation.questions.get()
        options = list(question.options.order_by("position"))
        for user in self._voters(area):
            choice = options[1] if self.rng.random() < 0.65 else options[0]
            try:
                board_services.consultation_respond(
                    actor=user,
                    consultation=consultation,
                    answers=[{"question": question.pk, "options": [choice.pk]}],
                )
            except ApplicationError:
                continue
        Consultation.objects.filter(pk=consultation.pk).update(
            opens_at=opens, closes_at=self.now - 26 * D, published_at=opens
        )
        for pk in Response.objects.filter(consultation=consultation).values_list("pk", flat=True):
            Response.objects.filter(pk=pk).update(
                submitted_at=opens + datetime.timedelta(days=self.rng.uniform(0.5, 13))
            )
        PropertySelection.objects.filter(pk=selection.pk).update(created_at=opens)
        selection.refresh_from_db()
        services.selection_decide(
            actor=worker,
            selection=selection,
            starts_on=self.today - 20 * D,
            ends_on=self.today - 20 * D + 3 * 365 * D,
            fees={"residential": "2.50", "commercial": "6.80"},
        )
        PropertySelection.objects.filter(pk=selection.pk).update(decided_at=self.now - 25 * D)
        # The first compound's early-stage contract ends where the chosen company takes over.
        services.contract_end(
            actor=worker,
            contract=old_contract,
            reason="区域合并后重新选聘，由新选聘的物业服务企业承接。",
            ended_on=self.today - 21 * D,
        )
        return selection

    # -- community 2: elections in the other states -------------------------------------------

    def _second(self, community):
        worker = self._worker(community)
        compounds = self._compounds(community)
        if not compounds:
            return
        areas = [self._area(community, [c], f"{c.name}物业管理区域") for c in compounds[:3]]
        first = areas[0]
        self._contract(first, self.companies[1], started_days_ago=700, years=4, fee="2.00")
        # Term ends in 60 days: the reminder shows; its re-election is voting now.
        self._committee(first, started_years_ago=4.8, ends_in_days=60)
        voting = self._election(first, f"{first.name}第二届业委会换届选举", starts_in_days=61)
        services.election_publish_candidates(actor=worker, election=voting)
        services.election_open_voting(actor=worker, election=voting)
        self._vote(voting, share=0.5, paper=3)
        self._backdate(
            voting,
            created=self.now - 20 * D,
            published=self.now - 12 * D,
            opened=self.now - 3 * D,
            closes=self.now + 7 * D,
        )
        if len(areas) < 2:
            return
        second = areas[1]
        # An earlier term ended; the preparing election has its candidates published.
        ended = self._committee(second, started_years_ago=5.5, ends_in_days=200)
        services.committee_end(actor=worker, committee=ended, ended_on=self.today - 180 * D)
        OwnersCommittee.objects.filter(pk=ended.pk).update(term_ends_on=self.today - 180 * D)
        published = self._election(second, f"{second.name}第二届业委会选举", starts_in_days=40)
        services.election_publish_candidates(actor=worker, election=published)
        self._backdate(
            published,
            created=self.now - 10 * D,
            published=self.now - 2 * D,
            opened=None,
            closes=self.now + 20 * D,
        )
        cancelled = self._election(second, f"{second.name}业委会选举（第一次）", starts_in_days=10)
        services.election_publish_candidates(actor=worker, election=cancelled)
        services.election_cancel(
            actor=worker,
            election=cancelled,
            reason="两名候选人经核实不具备业主身份，候选人不足应选人数，重新组织选举。",
        )
        Election.objects.filter(pk=cancelled.pk).update(cancelled_at=self.now - 15 * D)
        ElectionEvent.objects.filter(election=cancelled, verb="cancel").update(at=self.now - 15 * D)
        if len(areas) >= 3:
            self._election(areas[2], f"{areas[2].name}首届业委会选举（筹备中）", n_candidates=2)


def summary_lines(extra) -> list[str]:
    """The summary's lines about property governance, for load_demo."""
    elections = extra.get("property_elections")
    if elections is None:
        return []
    e_states = ", ".join(
        f"{Election.Status(s).label} {elections.get(s, 0)}" for s in Election.Status.values
    )
    committees = extra.get("property_committees", {})
    c_states = ", ".join(
        f"{OwnersCommittee.Status(s).label} {committees.get(s, 0)}"
        for s in OwnersCommittee.Status.values
    )
    contracts = extra.get("property_contracts", {})
    return [
        f"  物业管理区域 / property areas: {extra.get('property_areas', 0)}; "
        f"物业企业 / companies: {extra.get('property_companies', 0)}",
        f"  物业合同 / contracts: 履行中 {contracts.get('current', 0)}, "
        f"已终止 {contracts.get('ended', 0)}; 选聘 / selections: "
        f"{extra.get('property_selections', 0)}",
        f"  业委会 / owners' committees ({sum(committees.values())}): {c_states}",
        f"  业委会选举 / elections ({sum(elections.values())}): {e_states}; "
        f"选票 / ballots {extra.get('property_ballots', 0)}",
        f"  联小建大 / merges: {extra.get('property_merges', 0)}",
    ]
