"""Services of the lists sent upward: every legal move, every refused one, who may write."""

import pytest

from reporting import services
from reporting.models import ReportItem, ReportItemEvent, UpwardReport
from tests.factories.reporting import mark, move, topic_in

pytestmark = pytest.mark.django_db

ITEM_MOVES = [
    ("proposed", "accepted"),
    ("proposed", "not_accepted"),
    ("accepted", "in_progress"),
    ("accepted", "done"),
    ("in_progress", "done"),
]
PATHS = {
    "proposed": [],
    "accepted": ["accepted"],
    "not_accepted": ["not_accepted"],
    "in_progress": ["accepted", "in_progress"],
    "done": ["accepted", "in_progress", "done"],
}


def _submitted(place, actors):
    item = mark(place.report, actors.street_admin, topic=place.topic)
    services.report_submit(actor=actors.street_admin, report=place.report)
    item.refresh_from_db()
    return item


def test_create_one_per_street_kind_and_year(org, actors):
    report = services.report_create(
        actor=actors.street_admin, street=org.street, kind="opinion_report", year=2026
    )
    assert report.status == "draft"
    assert "2026" in report.title and org.street.name in report.title
    with pytest.raises(services.ApplicationError) as exc:
        services.report_create(
            actor=actors.street_admin, street=org.street, kind="opinion_report", year=2026
        )
    assert exc.value.code == "conflict"
    assert UpwardReport.objects.count() == 1


@pytest.mark.parametrize(
    ("kind", "year", "field"), [("nope", 2026, "kind"), ("opinion_report", 1900, "year")]
)
def test_create_bad_input(org, actors, kind, year, field):
    with pytest.raises(services.ApplicationError) as exc:
        services.report_create(actor=actors.street_admin, street=org.street, kind=kind, year=year)
    assert field in exc.value.fields
    assert not UpwardReport.objects.exists()


@pytest.mark.parametrize(
    "who", ["district_leader", "worker", "grid_leader", "other_worker", "foreign_admin", "resident"]
)
def test_only_the_streets_admins_create(org, actors, who):
    with pytest.raises(services.ApplicationError) as exc:
        services.report_create(
            actor=getattr(actors, who), street=org.street, kind="opinion_report", year=2026
        )
    assert exc.value.code == "forbidden"


def test_superuser_creates_for_any_street(org, actors):
    report = services.report_create(
        actor=actors.superuser, street=org.foreign_street, kind="opinion_report", year=2026
    )
    assert report.street == org.foreign_street


def test_mark_a_topic_and_an_event(place, actors, org):
    item = mark(place.report, actors.street_admin, topic=place.topic)
    second = mark(place.report, actors.street_admin, grid_event=place.event)
    assert (item.position, second.position) == (1, 2)
    assert item.community == org.community and item.status == "proposed"
    assert item.marked_by == actors.street_admin and item.number == f"T{place.topic.pk}"
    assert second.number == f"E{place.event.pk}"
    event = ReportItemEvent.objects.get(item=item)
    assert (event.verb, event.to_state, event.is_public) == ("mark", "proposed", False)


def test_mark_refuses_twice_both_none_and_another_street(place, actors):
    mark(place.report, actors.street_admin, topic=place.topic)
    for kwargs, code, field in (
        ({"topic": place.topic}, "conflict", None),
        ({}, "invalid", "subject"),
        ({"topic": place.sibling_topic, "grid_event": place.event}, "invalid", "subject"),
        ({"topic": place.foreign_topic}, "invalid", "topic"),
    ):
        with pytest.raises(services.ApplicationError) as exc:
            mark(place.report, actors.street_admin, **kwargs)
        assert exc.value.code == code
        if field:
            assert field in exc.value.fields
    assert ReportItem.objects.count() == 1


@pytest.mark.parametrize("field", ["summary", "beyond_reason"])
def test_mark_needs_the_texts(place, actors, field):
    kwargs = {"summary": "摘要", "beyond_reason": "原因", field: "  "}
    with pytest.raises(services.ApplicationError) as exc:
        services.item_mark(
            actor=actors.street_admin, report=place.report, topic=place.topic, **kwargs
        )
    assert field in exc.value.fields
    assert not ReportItem.objects.exists()


@pytest.mark.parametrize(
    "who", ["district_leader", "worker", "grid_leader", "foreign_admin", "resident"]
)
def test_only_street_staff_mark(place, actors, who):
    with pytest.raises(services.ApplicationError) as exc:
        mark(place.report, getattr(actors, who), topic=place.topic)
    assert exc.value.code == "forbidden"


def test_unmark_only_while_draft(place, actors):
    item = mark(place.report, actors.street_admin, topic=place.topic)
    services.item_unmark(actor=actors.street_admin, item=item)
    assert not ReportItem.objects.exists()
    item = _submitted(place, actors)
    with pytest.raises(services.ApplicationError) as exc:
        services.item_unmark(actor=actors.street_admin, item=item)
    assert exc.value.code == "conflict"
    with pytest.raises(services.ApplicationError) as exc:
        mark(place.report, actors.street_admin, topic=place.sibling_topic)
    assert exc.value.code == "conflict"


def test_unmark_refused_to_others(place, actors):
    item = mark(place.report, actors.street_admin, topic=place.topic)
    for who in ("worker", "district_leader", "foreign_admin"):
        with pytest.raises(services.ApplicationError) as exc:
            services.item_unmark(actor=getattr(actors, who), item=item)
        assert exc.value.code == "forbidden"
    assert ReportItem.objects.count() == 1


def test_report_moves(place, actors):
    with pytest.raises(services.ApplicationError) as exc:
        services.report_submit(actor=actors.street_admin, report=place.report)
    assert "items" in exc.value.fields  # an empty list is not sent up
    with pytest.raises(services.ApplicationError) as exc:
        services.report_close(actor=actors.street_admin, report=place.report)
    assert exc.value.code == "conflict"  # draft → closed is not a move
    _submitted(place, actors)
    place.report.refresh_from_db()
    assert place.report.status == "submitted" and place.report.submitted_at
    with pytest.raises(services.ApplicationError):
        services.report_submit(actor=actors.street_admin, report=place.report)
    for who in ("worker", "district_leader", "foreign_admin"):
        with pytest.raises(services.ApplicationError) as exc:
            services.report_close(actor=getattr(actors, who), report=place.report)
        assert exc.value.code == "forbidden"
    services.report_close(actor=actors.street_admin, report=place.report)
    place.report.refresh_from_db()
    assert place.report.status == "closed" and place.report.closed_at
    for step in (services.report_submit, services.report_close):
        with pytest.raises(services.ApplicationError) as exc:
            step(actor=actors.street_admin, report=place.report)
        assert exc.value.code == "conflict"


@pytest.mark.parametrize(("start", "to"), ITEM_MOVES)
def test_every_legal_item_move(place, actors, start, to):
    item = move(_submitted(place, actors), actors.street_admin, *PATHS[start])
    item = move(item, actors.street_admin, to)
    item.refresh_from_db()
    assert item.status == to
    last = item.events.order_by("pk").last()
    assert (last.verb, last.from_state, last.to_state) == ("status", start, to)
    assert last.actor == actors.street_admin


@pytest.mark.parametrize("start", list(PATHS))
def test_every_illegal_item_move(place, actors, start):
    item = move(_submitted(place, actors), actors.street_admin, *PATHS[start])
    legal = {to for frm, to in ITEM_MOVES if frm == start}
    for to in set(PATHS) - legal:
        with pytest.raises(services.ApplicationError) as exc:
            move(item, actors.street_admin, to)
        assert exc.value.code == "conflict"
    item.refresh_from_db()
    assert item.status == start


def test_status_needs_reason_and_result(place, actors):
    item = _submitted(place, actors)
    for status, field in (("not_accepted", "reason"), ("done", "result_note")):
        with pytest.raises(services.ApplicationError) as exc:
            services.item_set_status(actor=actors.street_admin, item=item, status=status)
        assert field in exc.value.fields
    with pytest.raises(services.ApplicationError) as exc:
        services.item_set_status(actor=actors.street_admin, item=item, status="bogus")
    assert "status" in exc.value.fields
    item = move(item, actors.street_admin, "not_accepted")
    assert item.status_reason == "不在本年度计划内"


def test_status_moves_only_on_a_submitted_list(place, actors):
    item = mark(place.report, actors.street_admin, topic=place.topic)
    with pytest.raises(services.ApplicationError) as exc:
        move(item, actors.street_admin, "accepted")
    assert exc.value.code == "conflict"
    services.report_submit(actor=actors.street_admin, report=place.report)
    services.report_close(actor=actors.street_admin, report=place.report)
    with pytest.raises(services.ApplicationError) as exc:
        move(item, actors.street_admin, "accepted")
    assert exc.value.code == "conflict"


@pytest.mark.parametrize("who", ["worker", "district_leader", "grid_leader", "foreign_admin"])
def test_status_refused_to_others(place, actors, who):
    item = _submitted(place, actors)
    with pytest.raises(services.ApplicationError) as exc:
        move(item, getattr(actors, who), "accepted")
    assert exc.value.code == "forbidden"


def test_database_backs_exactly_one_subject(place, actors):
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportItem.objects.create(
            report=place.report,
            community=place.topic.community,
            summary="x",
            beyond_reason="y",
            marked_at=now,
            status_changed_at=now,
        )
    topic = topic_in(place.topic.community)
    ReportItem.objects.create(
        report=place.report,
        topic=topic,
        community=topic.community,
        summary="x",
        beyond_reason="y",
        marked_at=now,
        status_changed_at=now,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportItem.objects.create(
            report=place.report,
            topic=topic,
            community=topic.community,
            summary="x",
            beyond_reason="y",
            marked_at=now,
            status_changed_at=now,
        )
