"""The demo's consultations: open (per resident with live results; per household in a
compound), closed with results, cancelled with its reason, a draft; answered online by the
residents' accounts and on paper by the worker for residents without one."""

import datetime

from board import services
from board.models import Consultation, ConsultationEvent, Question, Response
from core.exceptions import ApplicationError
from grids.models import Compound

D = datetime.timedelta(days=1)
H = datetime.timedelta(hours=1)

OPINIONS = [
    "希望施工时间避开午休。",
    "费用分摊方案请提前公示。",
    "建议多听听老年人的意见。",
    "夜里照明要足，老人走路不方便。",
    "希望尽快落实，谢谢居委会。",
    "请考虑无障碍通道。",
]


class ConsultationsMixin:
    # -- consultations ---------------------------------------------------------------------------

    def _answers(self, consultation, weights):
        """A random sheet: one weighted choice per single question, one or two choices per
        multiple question, a short opinion now and then."""
        sheet = []
        for question in consultation.questions.prefetch_related("options"):
            options = list(question.options.all())
            if question.kind == Question.Kind.SINGLE:
                w = weights[: len(options)] if weights else None
                sheet.append(
                    {"question": question.pk, "options": [self.rng.choices(options, w)[0].pk]}
                )
            elif question.kind == Question.Kind.MULTIPLE:
                k = min(question.max_choices or 2, 2, len(options))
                picked = self.rng.sample(options, self.rng.randint(1, k))
                sheet.append({"question": question.pk, "options": [o.pk for o in picked]})
            elif self.rng.random() < 0.3:
                sheet.append({"question": question.pk, "text": self.rng.choice(OPINIONS)})
        return sheet

    def _open(self, actor, consultation, *, opens, closes):
        services.consultation_publish(actor=actor, consultation=consultation)
        Consultation.objects.filter(pk=consultation.pk).update(
            opens_at=opens, closes_at=closes, published_at=opens - H
        )
        ConsultationEvent.objects.filter(consultation=consultation, verb="publish").update(
            at=opens - H
        )
        consultation.refresh_from_db()
        return consultation

    def _answer(self, consultation, *, online, offline, worker, weights, until=None):
        """Online sheets from `online`, paper sheets for `offline` entered by `worker`. A
        second member of an already answered household is skipped (one per household)."""
        opens = consultation.opens_at
        for user in online:
            try:
                services.consultation_respond(
                    actor=user,
                    consultation=consultation,
                    answers=self._answers(consultation, weights),
                )
            except ApplicationError:
                continue  # the household has answered already
        for resident in offline:
            try:
                services.consultation_paper_response(
                    actor=worker,
                    consultation=consultation,
                    resident=resident,
                    answers=self._answers(consultation, weights),
                    note="上门走访纸质答卷",
                )
            except ApplicationError:
                continue
        end = until or self.now
        span = max((end - opens).total_seconds(), 3600)
        for response in Response.objects.filter(consultation=consultation):
            Response.objects.filter(pk=response.pk).update(
                submitted_at=opens + datetime.timedelta(seconds=self.rng.uniform(0.05, 0.95) * span)
            )
        if until is not None:
            # A closed consultation: answered while open, then its window ends in the past.
            Consultation.objects.filter(pk=consultation.pk).update(closes_at=until)

    def _consultations(self, first, second):
        now = self.now
        worker = self._worker(first)
        compounds = list(Compound.objects.filter(community=first).order_by("name"))

        garden = services.consultation_create(
            actor=worker,
            community=first,
            kind=Consultation.Kind.POLL,
            title="睦邻花园改造方案投票",
            description="社区“微更新”项目：请在三个设计方案中选择一个，并选出最希望增加的设施。",
            opens_at=now,
            closes_at=now + 14 * D,
            results_visibility=Consultation.ResultsVisibility.LIVE,
            questions=[
                {
                    "kind": "single",
                    "text": "您支持哪个设计方案？",
                    "options": [
                        "方案一：保留大树，增设座椅",
                        "方案二：增设儿童游乐区",
                        "方案三：改建为健身步道",
                    ],
                },
                {
                    "kind": "multiple",
                    "text": "最希望增加哪些设施？（最多选两项）",
                    "options": ["遮阳廊架", "无障碍坡道", "夜间照明", "宠物便溺箱"],
                    "max_choices": 2,
                },
                {"kind": "text", "text": "其他建议", "required": False, "max_length": 300},
            ],
        )
        garden = self._open(worker, garden, opens=now - 3 * D, closes=now + 11 * D)
        self._answer(
            garden,
            online=self._accounts(first)[:16],
            offline=self._offline(first, n=3),
            worker=worker,
            weights=[5, 3, 2],
        )

        if compounds:
            lift_compound = compounds[0]
            lift = services.consultation_create(
                actor=worker,
                audience="compound",
                compound=lift_compound,
                title=f"{lift_compound.name}加装电梯意愿征询",
                description="老旧多层住宅加装电梯须征得本楼组业主同意，本次按户征询意愿，每户一份。",
                opens_at=now,
                closes_at=now + 20 * D,
                one_per=Consultation.OnePer.HOUSEHOLD,
                questions=[
                    {
                        "kind": "single",
                        "text": "您家是否同意本楼加装电梯？",
                        "options": ["同意", "不同意", "视费用分摊而定"],
                    },
                    {"kind": "text", "text": "您的顾虑或建议", "required": False},
                ],
            )
            lift = self._open(worker, lift, opens=now - 6 * D, closes=now + 14 * D)
            self._answer(
                lift,
                online=self._accounts(first, compound=lift_compound),
                offline=self._offline(first, compound=lift_compound, n=2),
                worker=worker,
                weights=[6, 2, 3],
            )

        projects = services.consultation_create(
            actor=worker,
            community=first,
            title="2026年度为民实事项目意见征集",
            description="请从候选项目中选出您最关心的两项，结果将报街道列入年度实事项目清单。",
            opens_at=now,
            closes_at=now + D,
            questions=[
                {
                    "kind": "multiple",
                    "text": "您最关心哪些项目？",
                    "options": ["老年助餐点扩容", "楼道照明改造", "非机动车充电棚", "健身器材更新"],
                    "max_choices": 2,
                },
                {"kind": "text", "text": "还有哪些实事建议？", "required": False},
            ],
        )
        projects = self._open(worker, projects, opens=now - 40 * D, closes=now + D)
        self._answer(
            projects,
            online=self._accounts(first)[10:28],
            offline=self._offline(first, n=2),
            worker=worker,
            weights=None,
            until=now - 10 * D,
        )

        charging = services.consultation_create(
            actor=worker,
            community=first,
            title="非机动车充电棚选址征询",
            opens_at=now,
            closes_at=now + 10 * D,
            questions=[
                {
                    "kind": "single",
                    "text": "充电棚设在哪里？",
                    "options": ["东门停车区", "3号楼北侧"],
                }
            ],
        )
        charging = self._open(worker, charging, opens=now - D, closes=now + 9 * D)
        services.consultation_cancel(
            actor=worker,
            consultation=charging,
            reason="消防部门现场踏勘后两处均不符合间距要求，重新选址后再征询。",
        )

        services.consultation_create(
            actor=worker,
            community=first,
            title="春节慰问活动需求调查（草稿）",
            opens_at=now + 7 * D,
            closes_at=now + 21 * D,
            questions=[
                {"kind": "single", "text": "是否需要上门慰问？", "options": ["需要", "不需要"]}
            ],
        )

        # Published ahead of its window: residents see it coming, answers open in three days.
        evening = services.consultation_create(
            actor=worker,
            community=first,
            title="社区晚间活动室开放时间征询",
            opens_at=now + 3 * D,
            closes_at=now + 17 * D,
            questions=[
                {
                    "kind": "single",
                    "text": "活动室晚间开放到几点合适？",
                    "options": ["20:00", "21:00", "22:00"],
                }
            ],
        )
        services.consultation_publish(actor=worker, consultation=evening)

        other_worker = self._worker(second)
        property_poll = services.consultation_create(
            actor=other_worker,
            community=second,
            kind=Consultation.Kind.POLL,
            title="选聘物业服务企业投票",
            description="业委会推荐两家候选物业服务企业，按户投票，每户一票。",
            opens_at=now,
            closes_at=now + 10 * D,
            one_per=Consultation.OnePer.HOUSEHOLD,
            results_visibility=Consultation.ResultsVisibility.AFTER_CLOSE,
            questions=[
                {
                    "kind": "single",
                    "text": "您家选择哪家物业服务企业？",
                    "options": ["甲物业服务有限公司", "乙物业管理有限公司", "弃权"],
                }
            ],
        )
        property_poll = self._open(
            other_worker, property_poll, opens=now - 2 * D, closes=now + 8 * D
        )
        self._answer(
            property_poll,
            online=self._accounts(second),
            offline=self._offline(second, n=2),
            worker=other_worker,
            weights=[5, 4, 1],
        )
