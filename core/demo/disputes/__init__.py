"""Dispute mediation on the demo street: sweeps of every grid of the first two communities
(most found nothing, and are recorded all the same), a reception roster, and cases in every
state with parties, mediators, sessions and a signed agreement (a tiny PDF made in memory);
follow-up visits due soon, overdue and done (on time and late).

Everything goes through disputes.services, as a worker would; the services stamp "now", so
right after a call the rows it wrote are moved back with queryset `update()` (as the board's
demo does). Case files are personal data: the summary lines give counts only.
"""

import datetime
import random
from collections import Counter

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from disputes import services
from disputes.models import DisputeCase, DisputeSweep, ReceptionDay, ReceptionRecord
from residents.models import Resident

from .. import data

S = DisputeCase.Status
DAY = datetime.timedelta(days=1)

TINY_PDF = (
    b"%PDF-1.1\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

# (state, category, risk, summary, days ago opened, days ago resolved, follow-up)
CASES = [
    (S.INTAKE, "neighbour", "low", "楼上空调外机滴水，楼下居民多次上门协商未果", 2, None, None),
    (S.INTAKE, "property", "medium", "部分业主对物业费上调有异议，拒缴物业费", 1, None, None),
    (S.CANCELLED, "neighbour", "low", "与已登记的噪声纠纷重复", 10, None, None),
    (S.MEDIATING, "construction", "medium", "装修噪声扰民，施工时间超出规定", 12, None, None),
    (S.MEDIATING, "family", "high", "子女间赡养老人费用分担纠纷", 20, None, None),
    (S.RESOLVED, "neighbour", "low", "楼道堆物引发邻里争执", 30, 13, "due_soon"),
    (S.RESOLVED, "labour", "medium", "装修工人工资被拖欠", 45, 25, "overdue"),
    (S.FOLLOWED_UP, "property", "medium", "地下车库渗水，业主与物业责任之争", 60, 40, "on_time"),
    (S.CLOSED, "neighbour", "low", "宠物狗夜间吠叫扰邻", 90, 70, "on_time"),
    (S.CLOSED, "land", "medium", "宅前空地种植归属争议", 120, 95, "late"),
]
OUTCOMES = ["agreement", "referred", "withdrawn"]
MATTERS = [
    "反映楼上装修噪声影响休息",
    "咨询与物业公司停车费争议如何解决",
    "反映邻居在楼道堆放杂物",
]


def build_disputes(built, *, seed) -> dict:
    return DisputesBuilder(built, seed=seed).build()


class DisputesBuilder:
    def __init__(self, built, *, seed):
        self.built = built
        self.rng = random.Random(seed + 23)
        self.now = timezone.now()
        self.street_admin = built.users["street_admin"]
        self.communities = [
            c for c, _s, _r in built.communities[: min(2, len(data.BASE_COMMUNITIES))]
        ]

    def _worker(self, community):
        return self.built.workers.get(community.pk, self.street_admin)

    def build(self) -> dict:
        sweeps = []
        for community in self.communities:
            sweeps += self._sweeps(community)
            self._roster(community)
        for n, community in enumerate(self.communities):
            self._cases(community, sweeps, outcome_shift=n)
        cases = DisputeCase.objects.filter(community__in=self.communities)
        due = cases.filter(status=S.RESOLVED)
        return {
            "dispute_sweeps": len(sweeps),
            "dispute_sweeps_nothing_found": sum(1 for s in sweeps if s.found_count == 0),
            "dispute_reception_days": ReceptionDay.objects.filter(
                community__in=self.communities
            ).count(),
            "dispute_reception_records": ReceptionRecord.objects.filter(
                reception__community__in=self.communities
            ).count(),
            "dispute_cases": dict(Counter(cases.values_list("status", flat=True))),
            "dispute_agreements": cases.exclude(agreement_file="").count(),
            "dispute_followups_overdue": due.followup_overdue(now=self.now).count(),
            "dispute_followups_due_soon": due.followup_due_soon(now=self.now).count(),
        }

    def _sweeps(self, community):
        """Each grid swept on the first working day of the last three months."""
        made = []
        grids = list(community.grids.order_by("code"))
        worker = self._worker(community)
        for months_back in (3, 2, 1):
            day = (self.now - datetime.timedelta(days=30 * months_back)).date()
            for grid in grids:
                found = 1 if self.rng.random() < 0.2 else 0
                sweep = services.sweep_record(
                    actor=worker,
                    grid=grid,
                    swept_on=day,
                    found_count=found,
                    note="发现矛盾苗头，已登记" if found else "未发现矛盾纠纷",
                )
                made.append(sweep)
        return made

    def _roster(self, community):
        worker = self._worker(community)
        receivers = [worker, self.street_admin]
        today = timezone.localdate()
        monday = today - datetime.timedelta(days=today.weekday())
        residents = self._residents(community)
        for week in range(-2, 3):
            slot = services.reception_day_schedule(
                actor=worker,
                community=community,
                day=monday + datetime.timedelta(weeks=week, days=2),
                time_slot="9:00-11:30",
                place="居委会接待室",
                receivers=receivers,
            )
            if slot.day <= today and residents:
                # Held slots: one or two residents received each.
                for resident in self.rng.sample(residents, min(1 + week % 2, len(residents))):
                    services.reception_record_add(
                        actor=worker,
                        reception=slot,
                        resident=resident,
                        matter=self.rng.choice(MATTERS),
                    )

    def _residents(self, community):
        return list(
            Resident.objects.filter(community=community, status=Resident.Status.LIVING).order_by(
                "pk"
            )[:40]
        )

    def _cases(self, community, sweeps, *, outcome_shift):
        worker = self._worker(community)
        residents = self._residents(community)
        own_sweeps = [s for s in sweeps if s.community_id == community.pk and s.found_count]
        reception = ReceptionDay.objects.filter(community=community).order_by("day").first()
        for n, (state, category, risk, summary, opened, resolved, followup) in enumerate(CASES):
            source = {"source": "referral", "referral_from": "派出所"}
            if n % 3 == 0 and own_sweeps:
                source = {"source": "sweep", "sweep": own_sweeps[n % len(own_sweeps)]}
            elif n % 3 == 1 and reception is not None:
                source = {"source": "reception", "reception": reception}
            case = services.case_open(
                actor=worker,
                community=community,
                category=category,
                risk_level=risk,
                summary=summary,
                **source,
            )
            if state == S.CANCELLED:
                services.case_cancel(actor=worker, case=case, reason="重复登记")
            elif state != S.INTAKE:
                self._work(case, worker, residents, n)
                if state != S.MEDIATING:
                    self._outcome(case, worker, OUTCOMES[(n + outcome_shift) % 3])
                    if state in (S.FOLLOWED_UP, S.CLOSED):
                        services.case_record_followup(
                            actor=worker, case=case, note="当事人表示满意，协议已履行"
                        )
                    if state == S.CLOSED:
                        services.case_close(actor=worker, case=case)
            self._move_back(case, opened, resolved, followup)

    def _work(self, case, worker, residents, n):
        services.case_assign(actor=self.street_admin, case=case, owner=worker)
        for resident in self.rng.sample(residents, min(2, len(residents))):
            services.case_add_party(actor=worker, case=case, resident=resident)
        if case.category == "property":
            services.case_add_party(
                actor=worker, case=case, org_name="小区物业服务中心", org_kind="property_company"
            )
        services.case_add_mediator(actor=worker, case=case, role="mediator", name="人民调解员老周")
        services.case_add_mediator(
            actor=worker, case=case, role="legal_officer", user=self.street_admin
        )
        for k in range(1 + n % 2):
            services.case_record_session(
                actor=worker,
                case=case,
                held_on=timezone.localdate() - datetime.timedelta(days=k),
                place="居委会人民调解室",
                attendance="双方当事人、人民调解员、法治专员",
                notes="听取双方陈述，释法明理，提出调解方案。",
            )

    def _outcome(self, case, worker, outcome):
        kwargs = {"note": "经调解达成一致"}
        if outcome == "agreement":
            kwargs["agreement_file"] = SimpleUploadedFile(
                "协议书.pdf", TINY_PDF, content_type="application/pdf"
            )
        elif outcome == "referred":
            kwargs.update(
                note="涉及赔偿金额较大", referred_to_kind="court", referred_to="区人民法院"
            )
        else:
            kwargs["note"] = "当事人自行和解，撤回申请"
        services.case_record_outcome(actor=worker, case=case, outcome=outcome, **kwargs)

    def _move_back(self, case, opened, resolved, followup):
        """The services stamped now; give the case its past."""
        case = DisputeCase.objects.get(pk=case.pk)
        created = self.now - opened * DAY
        fields = {"created_at": created}
        if case.assigned_at:
            fields["assigned_at"] = created + DAY
        if resolved is not None:
            outcome_at = self.now - resolved * DAY
            due = outcome_at + (case.followup_due_at - case.outcome_at)
            fields.update(outcome_at=outcome_at, followup_due_at=due)
            if followup == "due_soon":
                # Due in two days: inside the reminder's warning window.
                fields["followup_due_at"] = self.now + 2 * DAY
            elif followup in ("on_time", "late"):
                visited = due - 2 * DAY if followup == "on_time" else due + 3 * DAY
                fields.update(followup_at=visited, followup_on_time=followup == "on_time")
                if case.closed_at:
                    fields["closed_at"] = visited + DAY
        if case.cancelled_at:
            fields["cancelled_at"] = created + DAY
        DisputeCase.objects.filter(pk=case.pk).update(**fields)
        case.events.all().update(at=created + DAY)
        case.sessions.all().update(held_on=(created + 2 * DAY).date())


def summary_lines(extra) -> list[str]:
    """The summary's lines about dispute mediation, for load_demo (counts only, no names)."""
    cases = extra.get("dispute_cases")
    if cases is None:
        return []
    states = ", ".join(f"{S(s).label} {cases.get(s, 0)}" for s in S.values)
    return [
        f"  矛盾纠纷排查 / dispute sweeps: {extra.get('dispute_sweeps', 0)}"
        f"（未发现 / nothing found {extra.get('dispute_sweeps_nothing_found', 0)}）",
        f"  接访排班 / reception days: {extra.get('dispute_reception_days', 0)}"
        f"（接访记录 / received {extra.get('dispute_reception_records', 0)}）",
        f"  矛盾纠纷 / dispute cases ({sum(cases.values())}): {states}",
        f"  调解协议 / agreements: {extra.get('dispute_agreements', 0)}; "
        f"回访逾期 / follow-ups overdue {extra.get('dispute_followups_overdue', 0)}, "
        f"即将到期 / due soon {extra.get('dispute_followups_due_soon', 0)}",
    ]


__all__ = ["DisputeSweep", "build_disputes", "summary_lines"]
