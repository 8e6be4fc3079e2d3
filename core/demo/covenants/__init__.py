"""Covenants 规约/公约 on the demo street, in every state, for the first two base communities.

First community: a worker's draft; one in discussion with residents' comments (one hidden by
the worker with its reason); one in household signing with online and paper signatures; one
in force with money collected in advance (its compound collected ¥320,000, pledges and
receipts per household, one receipt reversed and entered again); one amended (version 1
superseded by version 2, both readable). Second community: one not adopted, one repealed
with its reason, one cancelled in discussion.

Everything goes through covenants.services as a worker and the residents would do it. The
services stamp "now"; a demo needs a past, so right after a covenant's calls every time it
wrote is moved back with queryset `update()` (as core/demo/board does).
"""

import datetime
import random
from collections import Counter
from decimal import Decimal

from django.db.models import F
from django.utils import timezone

from core.exceptions import ApplicationError
from covenants import services
from covenants.models import (
    Covenant,
    CovenantComment,
    CovenantEvent,
    CovenantVersion,
    FundEntry,
    Signature,
)
from covenants.selectors import fund_totals
from covenants.services._common import eligible_households
from grids.models import Compound
from projects.models import Project
from proposals.models import Topic
from residents.models import Resident

from .. import data

D = datetime.timedelta(days=1)
FUND_TOTAL = Decimal("320000")
COMMENTS = [
    "建议写明遛狗时间段，早晚高峰避开儿童游乐区。",
    "同意，希望物业配合增加拾便袋投放点。",
    "罚则部分是否太严？建议先提醒、再公示。",
    "支持！小区环境大家一起维护。",
    "老人多，请把条款印成大字贴在楼道里。",
    "这条是广告：低价办理各类证件，联系……",
]

DOG = (
    "<h3>文明养犬公约</h3><ol><li>外出遛狗一律牵绳，绳长不超过 1.5 米。</li>"
    "<li>及时清理犬只粪便，随身携带拾便袋。</li><li>不在电梯高峰时段携犬乘梯。</li>"
    "<li>犬只按规定办证、免疫。</li></ol>"
)
BIKE = (
    "<h3>电动自行车停放充电公约</h3><ol><li>电动自行车一律停放在集中车棚。</li>"
    "<li>严禁在楼道、门厅停放或充电，严禁“飞线”充电。</li></ol>"
)
STAIRS = (
    "<h3>楼道堆物清理公约</h3><ol><li>楼道、消防通道不堆放杂物。</li>"
    "<li>每季度第一个周六为楼组清理日。</li></ol>"
)
LIFT = (
    "<h3>加装电梯及资金预收公约</h3><ol><li>按楼层系数分摊加装费用。</li>"
    "<li>各户费用于开工前预收至共管账户，专款专用，收支按月公示。</li>"
    "<li>电梯运行维护费用按户分摊。</li></ol>"
)
INCOME_V1 = (
    "<h3>小区公共收益使用公约</h3><ol><li>公共收益（广告、停车）用于小区公共设施维修。</li>"
    "<li>每半年公示一次收支。</li></ol>"
)
INCOME_V2 = (
    "<h3>小区公共收益使用公约（修订）</h3><ol><li>公共收益（广告、停车）用于小区公共设施维修，"
    "其中不少于 20% 用于适老化改造。</li><li>每季度公示一次收支。</li></ol>"
)
PARKING = "<h3>停车位管理公约</h3><ol><li>地面车位按户轮换，每户限一辆。</li></ol>"
MARKET = "<h3>临时菜场管理公约</h3><ol><li>菜场每日 6:00—9:00 开放，结束后摊主清扫。</li></ol>"
QUIET = "<h3>装修噪声管理公约</h3><ol><li>装修施工时间为工作日 8:00—12:00、14:00—18:00。</li></ol>"


def build_covenants(built, *, seed) -> dict:
    """Covenants in every state on the first two base communities. Returns counts."""
    return CovenantsBuilder(built, seed=seed).build()


class CovenantsBuilder:
    def __init__(self, built, *, seed):
        self.built = built
        self.rng = random.Random(seed + 17)
        self.now = timezone.now()
        self.street_admin = built.users["street_admin"]
        self.communities = [c for c, _s, _r in built.communities[: len(data.BASE_COMMUNITIES)]]

    def build(self) -> dict:
        first, second = self.communities[0], self.communities[1]
        self._first(first)
        self._second(second)
        covenants = Covenant.objects.filter(community__in=[first, second])
        signatures = Signature.objects.filter(version__covenant__in=covenants)
        fund = next((c for c in covenants if c.collects_funds), None)
        totals = fund_totals(fund) if fund is not None else {}
        return {
            "covenants": dict(Counter(covenants.values_list("status", flat=True))),
            "covenant_versions": CovenantVersion.objects.filter(covenant__in=covenants).count(),
            "covenant_signatures": signatures.count(),
            "covenant_paper_signatures": signatures.filter(channel="paper").count(),
            "covenant_comments": CovenantComment.objects.filter(covenant__in=covenants).count(),
            "covenant_fund_received": str(
                Decimal(totals.get("received", 0)).quantize(Decimal("0.01"))
            ),
            "covenant_fund_households": totals.get("households", 0),
        }

    # -- helpers -----------------------------------------------------------------------------

    def _worker(self, community):
        return self.built.workers.get(community.pk, self.street_admin)

    def _shift(self, covenant, days):
        """Move every time the services wrote for `covenant` back by `days`."""
        delta = datetime.timedelta(days=days)
        versions = CovenantVersion.objects.filter(covenant=covenant)
        for name in (
            "discussion_opens_at",
            "discussion_closes_at",
            "signing_opens_at",
            "signing_closes_at",
            "decided_at",
            "in_force_at",
            "ended_at",
            "cancelled_at",
            "created_at",
        ):
            versions.filter(**{f"{name}__isnull": False}).update(**{name: F(name) - delta})
        versions.filter(effective_on__isnull=False).update(effective_on=F("effective_on") - delta)
        CovenantEvent.objects.filter(covenant=covenant).update(at=F("at") - delta)
        Signature.objects.filter(version__covenant=covenant).update(
            signed_at=F("signed_at") - delta
        )
        CovenantComment.objects.filter(covenant=covenant).update(created_at=F("created_at") - delta)
        FundEntry.objects.filter(covenant=covenant).update(at=F("at") - delta)
        Covenant.objects.filter(pk=covenant.pk, repealed_at__isnull=False).update(
            repealed_at=F("repealed_at") - delta
        )
        Covenant.objects.filter(pk=covenant.pk).update(created_at=F("created_at") - delta)

    def _signers(self, covenant):
        """One living member per eligible household, (account or None, resident)."""
        households = eligible_households(covenant).values("pk")
        members = (
            Resident.objects.filter(household__in=households, status=Resident.Status.LIVING)
            .select_related("account")
            .order_by("household_id", "account_id", "pk")
        )
        chosen = {}
        for resident in members:
            current = chosen.get(resident.household_id)
            verified = resident.account is not None and resident.account.is_verified
            if current is None or (verified and current[0] is None):
                chosen[resident.household_id] = (resident.account if verified else None, resident)
        rows = list(chosen.values())
        self.rng.shuffle(rows)
        return rows

    def _sign(self, covenant, worker, share, *, choice=None, no_share=0.0):
        """Sign (or vote) for `share` of the eligible households: online where a member has a
        verified account, on paper by the worker otherwise."""
        rows = self._signers(covenant)
        take = int(len(rows) * share + 0.999)
        for n, (account, resident) in enumerate(rows[:take]):
            vote = choice
            if choice is not None and n < int(take * no_share):
                vote = "no"
            try:
                if account is not None:
                    services.covenant_sign(actor=account, covenant=covenant, choice=vote)
                else:
                    services.covenant_paper_sign(
                        actor=worker,
                        covenant=covenant,
                        resident=resident,
                        choice=vote,
                        note="上门签署",
                    )
            except ApplicationError:
                continue

    def _create(self, worker, community, title, text, **kwargs):
        return services.covenant_create(
            actor=worker, community=community, title=title, text_html=text, **kwargs
        )

    def _through(
        self, covenant, worker, *, method="sign_on", basis="eligible", num=2, den=3, signing_days=14
    ):
        services.covenant_open_discussion(
            actor=worker, covenant=covenant, closes_at=self.now + 14 * D
        )
        services.covenant_open_signing(
            actor=worker,
            covenant=covenant,
            closes_at=self.now + signing_days * D,
            method=method,
            threshold_basis=basis,
            threshold_numerator=num,
            threshold_denominator=den,
        )

    def _origin(self, community):
        project = Project.objects.filter(community=community).order_by("pk").first()
        topic = Topic.objects.filter(community=community).exclude(project=project).first()
        return project, topic

    # -- the first community -------------------------------------------------------------------

    def _first(self, community):
        worker = self._worker(community)
        compounds = list(Compound.objects.filter(community=community).order_by("name"))
        compound_a = compounds[0] if compounds else None
        compound_b = compounds[1] if len(compounds) > 1 else compound_a
        scope_a = {"audience": "compound", "compound": compound_a} if compound_a else {}
        scope_b = {"audience": "compound", "compound": compound_b} if compound_b else {}
        project, topic = self._origin(community)

        # A worker's draft.
        self._create(worker, community, "电动自行车停放充电公约", BIKE)

        # In discussion, with comments (one advert hidden by the worker).
        origin = {"origin": "topic", "topic": topic} if topic else {}
        dog = self._create(worker, community, "文明养犬公约", DOG, **origin, **scope_a)
        services.covenant_open_discussion(actor=worker, covenant=dog, closes_at=self.now + 10 * D)
        residents = [a for a, _r in self._signers(dog) if a is not None][: len(COMMENTS)]
        for account, body in zip(residents, COMMENTS, strict=False):
            comment = services.covenant_comment(actor=account, covenant=dog, body=body)
            if body.startswith("这条是广告"):
                services.covenant_comment_hide(
                    actor=worker, comment=comment, reason="广告信息，与规约讨论无关"
                )
        self._shift(dog, 4)

        # In signing, with online and paper signatures.
        stairs = self._create(worker, community, "楼道堆物清理公约", STAIRS, **scope_b)
        self._through(stairs, worker)
        self._sign(stairs, worker, 0.35)
        self._shift(stairs, 5)

        # In force, with money collected in advance (¥320k received in its compound).
        origin = {"origin": "project", "project": project} if project else {}
        lift = self._create(
            worker,
            community,
            "加装电梯及资金预收公约",
            LIFT,
            collects_funds=True,
            fund_purpose="加装电梯工程款，专款专用",
            **origin,
            **scope_a,
        )
        self._through(lift, worker)
        self._sign(lift, worker, 0.75)
        services.covenant_decide(actor=worker, covenant=lift)
        self._fund(lift, worker)
        self._shift(lift, 120)

        # Amended: version 1 superseded by version 2.
        income = self._create(worker, community, "小区公共收益使用公约", INCOME_V1, **scope_a)
        self._through(income, worker, method="vote", basis="voting", num=1, den=2)
        self._sign(income, worker, 0.4, choice="yes", no_share=0.2)
        services.covenant_decide(actor=worker, covenant=income)
        self._shift(income, 300)
        services.covenant_amend(
            actor=worker,
            covenant=income,
            text_html=INCOME_V2,
            change_summary="增加适老化改造比例，公示改为每季度一次",
        )
        self._through(income, worker, method="vote", basis="voting", num=1, den=2)
        self._sign(income, worker, 0.4, choice="yes", no_share=0.25)
        services.covenant_decide(actor=worker, covenant=income)
        self._shift(income, 30)

    def _fund(self, covenant, worker):
        """Pledges and receipts summing to ¥320,000 over the signed households, one receipt
        reversed (entered twice by mistake)."""
        households = list(
            Signature.objects.filter(version__covenant=covenant)
            .order_by("pk")
            .values_list("household_id", flat=True)[:40]
        )
        if not households:
            return
        each = (FUND_TOTAL / len(households)).quantize(Decimal("0.01"))
        amounts = [each] * (len(households) - 1) + [FUND_TOTAL - each * (len(households) - 1)]
        for household_id, amount in zip(households, amounts, strict=True):
            services.covenant_fund_pledge(
                actor=worker, covenant=covenant, household=household_id, amount=amount
            )
            services.covenant_fund_receipt(
                actor=worker, covenant=covenant, household=household_id, amount=amount
            )
        duplicate = services.covenant_fund_receipt(
            actor=worker, covenant=covenant, household=households[0], amount=amounts[0]
        )
        services.covenant_fund_reverse(actor=worker, entry=duplicate, reason="重复录入，冲正")

    # -- the second community ------------------------------------------------------------------

    def _second(self, community):
        worker = self._worker(community)

        parking = self._create(worker, community, "停车位管理公约", PARKING)
        self._through(parking, worker, method="vote", basis="eligible", num=2, den=3)
        self._sign(parking, worker, 0.3, choice="yes", no_share=0.3)
        services.covenant_decide(actor=worker, covenant=parking)
        self._shift(parking, 60)

        market = self._create(worker, community, "临时菜场管理公约", MARKET)
        self._through(market, worker, method="vote", basis="voting", num=1, den=2)
        self._sign(market, worker, 0.3, choice="yes", no_share=0.1)
        services.covenant_decide(actor=worker, covenant=market)
        self._shift(market, 200)
        services.covenant_repeal(
            actor=worker, covenant=market, reason="临时菜场已迁入新建的社区菜市场"
        )
        self._shift(market, 20)

        quiet = self._create(worker, community, "装修噪声管理公约", QUIET)
        services.covenant_open_discussion(actor=worker, covenant=quiet, closes_at=self.now + 7 * D)
        services.covenant_cancel(
            actor=worker, covenant=quiet, reason="与物业服务合同条款重复，改由物业公告"
        )
        self._shift(quiet, 40)


def summary_lines(extra) -> list[str]:
    """The summary's lines about covenants, for load_demo."""
    states = extra.get("covenants")
    if states is None:
        return []
    by_state = ", ".join(
        f"{Covenant.Status(s).label} {states.get(s, 0)}" for s in Covenant.Status.values
    )
    total, versions = sum(states.values()), extra["covenant_versions"]
    signatures, paper = extra["covenant_signatures"], extra["covenant_paper_signatures"]
    return [
        f"  规约公约 / covenants ({total}): {by_state}; 版本 / versions {versions}",
        f"  规约签署 / household signatures: {signatures}（纸质 / paper {paper}）;"
        f" 讨论意见 / comments {extra['covenant_comments']}",
        f"  预收资金 / funds collected in advance: ¥{extra['covenant_fund_received']}，"
        f"{extra['covenant_fund_households']} 户 / households",
    ]
