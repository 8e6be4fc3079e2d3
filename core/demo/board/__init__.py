"""The community board on the demo street: compounds, notices and consultations in every state.

Compounds: each neighbourhood community's building groups are grouped into compounds 小区 (a
village's 村民组 are not compounds); the compounds go through grids.services, the building
groups, which grow with the scale, are assigned in one UPDATE per grid (same community by
construction, as the service would check).

Notices and consultations are made for the first two base communities and the demo street
through board.services, as a worker would: a pinned street-wide notice, one asking for
acknowledgement (with reads and acknowledgements), an expired one, a scheduled one, a
withdrawn one and a draft; consultations open (per resident, live results; per household in
one compound, results after close), closed with results, cancelled with its reason, and a
draft, answered online by the residents' accounts and on paper by the worker for residents
without one. The services stamp "now"; a demo needs a past, so right after a call the rows it
wrote are moved back with queryset `update()` (as core/demo/workflow.py does).

Inbox delivery of the published notices happens after the build commits (board.tasks, run
eagerly without a broker): only the live ones notify, an expired one is skipped.
"""

import random
from collections import Counter

from django.utils import timezone

from accounts.models import User
from board.models import Consultation, Notice, Response
from grids import services as grid_services
from grids.models import Building
from residents.models import Resident

from .. import data
from .consultations import ConsultationsMixin
from .notices import NoticesMixin

# Compound names of the base communities (by community name); other neighbourhood
# communities get one compound named after themselves. Villages get none.
COMPOUND_NAMES = {
    "望春里居民区": ["望春里一村", "望春里二村", "望春里三村"],
    "临江花苑居民区": ["临江花苑一期", "临江花苑二期", "临江花苑三期"],
    "和鸣苑居民区": ["和鸣苑东苑", "和鸣苑西苑"],
    "安居新村居民区": ["安居新村一街坊", "安居新村二街坊"],
    "沈家浜居民区": ["沈家浜小区"],
}


def build_board(built, *, seed) -> dict:
    """Compounds, notices and consultations. Returns counts for the summary."""
    return BoardBuilder(built, seed=seed).build()


class BoardBuilder(NoticesMixin, ConsultationsMixin):
    def __init__(self, built, *, seed):
        self.built = built
        self.rng = random.Random(seed + 11)
        self.now = timezone.now()
        self.street_admin = built.users["street_admin"]
        self.communities = [c for c, _s, _r in built.communities[: len(data.BASE_COMMUNITIES)]]

    def build(self) -> dict:
        compounds = self._compounds()
        first, second = self.communities[0], self.communities[1]
        self._notices(first, second)
        self._consultations(first, second)
        notices = Notice.objects.filter(street__in=self.built.streets)
        consultations = Consultation.objects.filter(
            community__street__in=self.built.streets
        ).select_related("community")
        responses = Response.objects.filter(consultation__in=consultations)
        return {
            "board_compounds": compounds,
            "board_notices": dict(Counter(n.phase(self.now).value for n in notices)),
            "board_consultations": dict(Counter(c.phase(self.now).value for c in consultations)),
            "board_responses": responses.count(),
            "board_paper_responses": responses.filter(channel=Response.Channel.PAPER).count(),
        }

    # -- compounds --------------------------------------------------------------------------

    def _compounds(self) -> int:
        made = 0
        for community, style, _road in self.built.communities:
            if style == "village":
                continue
            names = COMPOUND_NAMES.get(community.name) or [
                community.name.removesuffix("居民区") + "小区"
            ]
            worker = self.built.workers.get(community.pk, self.street_admin)
            grid_ids = list(community.grids.order_by("code").values_list("pk", flat=True))
            names = names[: max(1, len(grid_ids))]
            compounds = [
                grid_services.compound_create(
                    actor=worker,
                    community=community,
                    name=name,
                    address=community.address,
                )
                for name in names
            ]
            made += len(compounds)
            # Grid by grid: a compound takes whole grids (the usual way they were drawn).
            for n, grid_id in enumerate(grid_ids):
                Building.objects.filter(grid_id=grid_id).update(
                    compound=compounds[n % len(compounds)]
                )
        return made

    # -- people -------------------------------------------------------------------------------

    def _accounts(self, community, *, compound=None):
        qs = User.objects.filter(
            is_active=True,
            verification_status=User.Verification.VERIFIED,
            resident__community=community,
            resident__status=Resident.Status.LIVING,
        )
        if compound is not None:
            qs = qs.filter(resident__building__compound=compound)
        return list(qs.order_by("pk"))

    def _offline(self, community, *, compound=None, n=3):
        qs = Resident.objects.filter(
            community=community, status=Resident.Status.LIVING, account__isnull=True
        ).exclude(household__isnull=True)
        if compound is not None:
            qs = qs.filter(building__compound=compound)
        rows = list(qs.order_by("pk")[:200])
        return self.rng.sample(rows, min(n, len(rows)))

    def _worker(self, community):
        return self.built.workers.get(community.pk, self.street_admin)


def summary_lines(extra) -> list[str]:
    """The summary's lines about the board, for load_demo."""
    notices = extra.get("board_notices")
    if notices is None:
        return []
    n_phases = ", ".join(
        f"{Notice.Phase(p).label} {notices.get(p, 0)}" for p in Notice.Phase.values
    )
    consultations = extra.get("board_consultations", {})
    c_phases = ", ".join(
        f"{Consultation.Phase(p).label} {consultations.get(p, 0)}"
        for p in Consultation.Phase.values
    )
    return [
        f"  小区 / compounds: {extra.get('board_compounds', 0)}",
        f"  公告 / notices ({sum(notices.values())}): {n_phases}",
        f"  意见征询 / consultations ({sum(consultations.values())}): {c_phases}",
        f"  答卷 / answer sheets: {extra.get('board_responses', 0)}"
        f"（纸质 / paper {extra.get('board_paper_responses', 0)}）",
    ]
