"""Factories for the lists sent upward. They make first rows only (a draft list); items are
marked and moved through the real services."""

import factory
from django.utils import timezone

from reporting import services
from reporting.models import UpwardReport
from tests.factories.cases import EventCategoryFactory, file_event
from tests.factories.proposals import TopicFactory


class UpwardReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UpwardReport

    street = factory.SubFactory("tests.factories.org.StreetFactory")
    kind = UpwardReport.Kind.PRACTICAL_PROJECTS
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    title = factory.Sequence(lambda n: f"年度政府实事项目{n}")


def topic_in(community, **kwargs):
    return TopicFactory(community=community, **kwargs)


def grid_event_in(grid, actor, **kwargs):
    category = EventCategoryFactory(street=grid.community.street)
    return file_event(actor, grid, category, **kwargs)


def mark(report, actor, *, topic=None, grid_event=None, summary="小区加装电梯资金缺口"):
    return services.item_mark(
        actor=actor,
        report=report,
        topic=topic,
        grid_event=grid_event,
        summary=summary,
        beyond_reason="需要区里协调资金和规划审批",
    )


def move(item, actor, *statuses):
    """Move `item` through `statuses` with the notes each move needs."""
    for status in statuses:
        item = services.item_set_status(
            actor=actor,
            item=item,
            status=status,
            reason="不在本年度计划内" if status == "not_accepted" else "",
            result_note="已完成施工" if status == "done" else "",
        )
    return item
