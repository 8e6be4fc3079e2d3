"""Reporting upward on the demo street: this year's two lists and last year's closed one.

Built through reporting.services as the street admin would: the opinion report
民主生活会前期意见征集报告 stays a draft with a few topics and grid events marked; the
practical-projects list 年度政府实事项目 is submitted, its items in every status (已列入, 已采纳,
未采纳 with its reason, 实施中, 已完成 with its result); last year's practical-projects list is
closed. Topics adopted 已立项 or declined 不予采纳 (ones a community cannot carry alone) come first,
then grid events the departments could not settle. Summaries are the topic titles and event
categories, never a resident's name. The services stamp "now"; the rows are then moved back
with queryset `update()` (as core/demo/board does) so the lists have a past.
"""

import datetime
import random
from collections import Counter

from django.utils import timezone

from cases.models import GridEvent
from proposals.models import Topic
from reporting import services
from reporting.models import ReportItem, ReportItemEvent, UpwardReport

Kind = UpwardReport.Kind
ItemStatus = ReportItem.Status

BEYOND_REASONS = [
    "涉及资金超出居民区自治金额度，需要区里统筹",
    "涉及多个部门和跨街道协调，居民区无权限推动",
    "需要区规划和资源部门审批，居民区无法办理",
    "属于市政设施改造，需纳入区年度实事项目",
]
# The submitted list's items, in order: the moves each one goes through.
TRACKED = [
    [],
    [ItemStatus.ACCEPTED],
    [ItemStatus.NOT_ACCEPTED],
    [ItemStatus.ACCEPTED, ItemStatus.IN_PROGRESS],
    [ItemStatus.ACCEPTED, ItemStatus.IN_PROGRESS, ItemStatus.DONE],
    [ItemStatus.ACCEPTED, ItemStatus.DONE],
    [ItemStatus.ACCEPTED, ItemStatus.IN_PROGRESS],
]


def build_reporting(built, *, seed) -> dict:
    """The demo street's lists sent upward. Returns counts for the summary."""
    return ReportingBuilder(built, seed=seed).build()


class ReportingBuilder:
    def __init__(self, built, *, seed):
        self.built = built
        self.rng = random.Random(seed + 29)
        self.now = timezone.now()
        self.year = timezone.localdate().year
        self.street = built.streets[0]
        self.admin = built.users["street_admin"]

    def build(self) -> dict:
        topics, events = self._subjects()
        if not topics and not events:
            return {}
        subjects = [("topic", t) for t in topics] + [("grid_event", e) for e in events]
        self.rng.shuffle(subjects)
        # Adopted / declined topics first: the ones a community cannot carry alone.
        subjects.sort(key=lambda s: 0 if s[0] == "topic" else 1)
        projects_share = subjects[: len(TRACKED)]
        opinion_share = subjects[len(TRACKED) : len(TRACKED) + 4]
        last_year_share = subjects[len(TRACKED) + 4 : len(TRACKED) + 7] or subjects[:2]

        last_year = self._report(Kind.PRACTICAL_PROJECTS, self.year - 1, last_year_share)
        services.report_submit(actor=self.admin, report=last_year)
        for item in last_year.items.all():
            self._move(item, [ItemStatus.ACCEPTED, ItemStatus.DONE])
        services.report_close(actor=self.admin, report=last_year)
        self._backdate(last_year, days=300)

        projects = self._report(Kind.PRACTICAL_PROJECTS, self.year, projects_share)
        services.report_submit(actor=self.admin, report=projects)
        items = list(projects.items.order_by("position"))
        for item, moves in zip(items, TRACKED, strict=False):
            self._move(item, moves)
        self._backdate(projects, days=30)

        opinion = self._report(Kind.OPINION_REPORT, self.year, opinion_share or subjects[:2])
        self._backdate(opinion, days=3)

        reports = UpwardReport.objects.filter(street=self.street)
        return {
            "reporting_reports": dict(Counter(reports.values_list("status", flat=True))),
            "reporting_items": dict(
                Counter(
                    ReportItem.objects.filter(report__in=reports).values_list("status", flat=True)
                )
            ),
        }

    def _subjects(self):
        topics = list(
            Topic.objects.filter(
                community__street=self.street,
                state__in=[Topic.State.ADOPTED, Topic.State.DECLINED],
            ).order_by("pk")[:12]
        )
        events = list(
            GridEvent.objects.filter(community__street=self.street)
            .exclude(state=GridEvent.State.CANCELLED)
            .select_related("category")
            .order_by("pk")[:8]
        )
        return topics, events

    def _report(self, kind, year, subjects):
        report = services.report_create(actor=self.admin, street=self.street, kind=kind, year=year)
        for field, subject in subjects:
            summary = (
                subject.title
                if field == "topic"
                else f"{subject.category}：{subject.location or subject.community.name}"
            )
            services.item_mark(
                actor=self.admin,
                report=report,
                summary=summary,
                beyond_reason=self.rng.choice(BEYOND_REASONS),
                **{field: subject},
            )
        return report

    def _move(self, item, moves):
        for status in moves:
            item = services.item_set_status(
                actor=self.admin,
                item=item,
                status=status,
                reason="本年度财力已安排，建议列入下一年度计划"
                if status == ItemStatus.NOT_ACCEPTED
                else "",
                result_note="工程已完工并通过验收"
                if status == ItemStatus.DONE
                else ("已立项，施工单位进场" if status == ItemStatus.IN_PROGRESS else ""),
            )

    def _backdate(self, report, *, days):
        """Move the list's stamps `days` back (marked first, later moves a day apart)."""
        delta = datetime.timedelta(days=days)
        later = datetime.timedelta(days=max(days // 3, 1))
        report.refresh_from_db()
        UpwardReport.objects.filter(pk=report.pk).update(
            created_at=self.now - delta,
            submitted_at=report.submitted_at and report.submitted_at - delta + later,
            closed_at=report.closed_at and report.closed_at - later,
        )
        items = ReportItem.objects.filter(report=report)
        items.update(marked_at=self.now - delta, created_at=self.now - delta)
        items.exclude(status=ItemStatus.PROPOSED).update(status_changed_at=self.now - later)
        ReportItemEvent.objects.filter(item__report=report, verb="mark").update(at=self.now - delta)
        ReportItemEvent.objects.filter(item__report=report, verb="status").update(
            at=self.now - later
        )


def summary_lines(extra) -> list[str]:
    """The summary's lines about reporting upward, for load_demo."""
    reports = extra.get("reporting_reports")
    if reports is None:
        return []
    items = extra.get("reporting_items", {})
    r_states = ", ".join(
        f"{UpwardReport.Status(s).label} {reports.get(s, 0)}" for s in UpwardReport.Status.values
    )
    i_states = ", ".join(f"{ItemStatus(s).label} {items.get(s, 0)}" for s in ItemStatus.values)
    return [
        f"  上报清单 / upward reports ({sum(reports.values())}): {r_states}",
        f"  上报事项 / reported items ({sum(items.values())}): {i_states}",
    ]
