"""Every move of a grid event through the services, every forbidden one, and who is refused."""

import datetime

import pytest

from cases import services
from cases.models import EventPhoto, GridEvent, GridEventStep
from cases.services import TRANSITIONS
from core.exceptions import ApplicationError
from notifications.models import Notification
from proposals.models import TopicEvent
from tests.factories.cases import advance, file_event, photo
from tests.factories.grids_work import VisitRecordFactory
from tests.factories.proposals import TopicFactory

pytestmark = pytest.mark.django_db
S = GridEvent.State
NOW = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC)  # a Monday, 17:00 local


def _steps(event):
    return list(event.steps.order_by("pk").values_list("verb", flat=True))


def test_filed_event_keeps_place_photos_and_one_step(org, actors, place):
    event = file_event(
        actors.grid_leader, org.grid, place.weekly, building=place.building, photos=[photo()]
    )
    assert event.state == S.FILED
    assert event.community == org.community
    assert event.filed_by == actors.grid_leader
    assert event.photos.get().stage == EventPhoto.Stage.FILED
    assert _steps(event) == ["file"]


def test_the_main_path_stamps_each_state(org, actors, place, event, time_machine):
    time_machine.move_to(NOW, tick=False)
    services.grid_event_dispatch(actor=actors.worker, event=event)
    event.refresh_from_db()
    assert event.state == S.DISPATCHED
    assert event.department == place.chengguan  # the category's default
    assert event.due_at == NOW + datetime.timedelta(hours=168)
    # The department's staff are told; the other department's are not.
    assert Notification.objects.filter(recipient=place.cg_staff).count() == 1
    assert not Notification.objects.filter(recipient=place.wy_staff).exists()

    services.grid_event_accept(actor=place.cg_staff, event=event)
    services.grid_event_handle(
        actor=place.cg_staff, event=event, note="摊位已劝离", photos=[photo(), photo("b.png")]
    )
    event.refresh_from_db()
    assert event.state == S.HANDLED and event.handled_on_time is True
    assert event.photos.filter(stage=EventPhoto.Stage.HANDLED).count() == 2
    # The filer is asked to check.
    assert Notification.objects.filter(
        recipient=actors.grid_leader, kind="cases.event.handled"
    ).exists()

    services.grid_event_check_pass(actor=actors.grid_leader, event=event)
    event.refresh_from_db()
    assert event.state == S.CLOSED
    assert event.checked_by == actors.grid_leader
    assert event.cleared_within_week is True
    assert _steps(event) == ["file", "dispatch", "accept", "handle", "check_pass"]


def test_returned_then_redispatched_elsewhere_or_cancelled(org, actors, place, event):
    services.grid_event_dispatch(actor=actors.worker, event=event)
    services.grid_event_return(actor=place.cg_staff, event=event, reason="属物业职责")
    event.refresh_from_db()
    assert event.state == S.RETURNED and event.returned_count == 1
    assert event.return_reason == "属物业职责"
    assert Notification.objects.filter(
        recipient=actors.grid_leader, kind="cases.event.returned"
    ).exists()
    # The return is between the grid and the department: not public.
    assert not event.steps.get(verb="return").is_public

    services.grid_event_dispatch(actor=actors.worker, event=event, department=place.wuye)
    event.refresh_from_db()
    assert event.state == S.DISPATCHED and event.department == place.wuye
    services.grid_event_return(actor=place.wy_staff, event=event, reason="非物业范围")
    services.grid_event_cancel(actor=actors.worker, event=event, reason="已由居民自行解决")
    event.refresh_from_db()
    assert event.state == S.CANCELLED and event.returned_count == 2
    assert event.cancel_reason == "已由居民自行解决"


def test_failed_check_sends_it_back_to_handling(org, actors, place, event):
    advance(event, "handled", grid_actor=actors.worker, department_actor=place.cg_staff)
    services.grid_event_check_fail(actor=actors.grid_leader, event=event, reason="摊位仍在")
    event.refresh_from_db()
    assert event.state == S.ACCEPTED
    assert event.reopened_count == 1 and event.handled_on_time is None
    assert Notification.objects.filter(
        recipient=place.cg_staff, kind="cases.event.reopened"
    ).exists()
    services.grid_event_handle(actor=place.cg_staff, event=event, note="再次清理", photos=[photo()])
    services.grid_event_check_pass(actor=actors.grid_leader, event=event)
    event.refresh_from_db()
    assert event.state == S.CLOSED and event.reopened_count == 1


def test_cancel_from_filed(actors, event):
    services.grid_event_cancel(actor=actors.grid_leader, event=event, reason="重复上报")
    event.refresh_from_db()
    assert event.state == S.CANCELLED


def test_late_handling_is_stored_late(org, actors, place, time_machine):
    time_machine.move_to(NOW, tick=False)
    event = file_event(actors.worker, org.grid, place.urgent)
    services.grid_event_dispatch(actor=actors.worker, event=event)
    services.grid_event_accept(actor=place.cg_staff, event=event)
    time_machine.move_to(NOW + datetime.timedelta(hours=5), tick=False)
    services.grid_event_handle(actor=place.cg_staff, event=event, note="已修复", photos=[photo()])
    event.refresh_from_db()
    assert event.handled_on_time is False


def test_closed_in_a_later_week_is_not_cleared_within_week(org, actors, place, time_machine):
    time_machine.move_to(NOW, tick=False)
    event = file_event(actors.worker, org.grid, place.weekly)
    advance(event, "handled", grid_actor=actors.worker, department_actor=place.cg_staff)
    # Sunday 23:30 local is still the same week; Monday 00:30 local is not.
    time_machine.move_to(datetime.datetime(2026, 11, 29, 15, 30, tzinfo=datetime.UTC), tick=False)
    services.grid_event_check_fail(actor=actors.worker, event=event, reason="未修好")
    services.grid_event_handle(actor=place.cg_staff, event=event, note="修好", photos=[photo()])
    time_machine.move_to(datetime.datetime(2026, 11, 29, 16, 30, tzinfo=datetime.UTC), tick=False)
    services.grid_event_check_pass(actor=actors.worker, event=event)
    event.refresh_from_db()
    assert event.cleared_within_week is False


# --- forbidden moves: every (state, move) not in the table answers 409 ---------------------

MOVES = {
    "dispatch": (S.DISPATCHED, "grid"),
    "accept": (S.ACCEPTED, "department"),
    "return": (S.RETURNED, "department"),
    "handle": (S.HANDLED, "department"),
    "check_pass": (S.CLOSED, "grid"),
    "check_fail": (S.ACCEPTED, "grid"),
    "cancel": (S.CANCELLED, "grid"),
}
# The only legal (from, move) pairs; accept is legal only from dispatched (accepted is also
# where a failed check lands, but only the check moves there from handled).
LEGAL = {
    (S.FILED, "dispatch"),
    (S.FILED, "cancel"),
    (S.DISPATCHED, "accept"),
    (S.DISPATCHED, "return"),
    (S.RETURNED, "dispatch"),
    (S.RETURNED, "cancel"),
    (S.ACCEPTED, "handle"),
    (S.HANDLED, "check_pass"),
    (S.HANDLED, "check_fail"),
}


def _call(move, event, grid_actor, dept_actor):
    s = services
    calls = {
        "dispatch": lambda: s.grid_event_dispatch(actor=grid_actor, event=event),
        "accept": lambda: s.grid_event_accept(actor=dept_actor, event=event),
        "return": lambda: s.grid_event_return(actor=dept_actor, event=event, reason="不归我们"),
        "handle": lambda: s.grid_event_handle(
            actor=dept_actor, event=event, note="好了", photos=[photo()]
        ),
        "check_pass": lambda: s.grid_event_check_pass(actor=grid_actor, event=event),
        "check_fail": lambda: s.grid_event_check_fail(actor=grid_actor, event=event, reason="没好"),
        "cancel": lambda: s.grid_event_cancel(actor=grid_actor, event=event, reason="重复"),
    }
    return calls[move]()


def test_the_table_matches_the_legal_moves():
    table = {
        (src, move)
        for src, targets in TRANSITIONS.items()
        for move, (target, _side) in MOVES.items()
        if target in targets
    }
    # check_fail lands on accepted and accept on accepted too: the services tell them apart.
    assert table >= LEGAL


@pytest.mark.parametrize("state", [s for s in S.values])
@pytest.mark.parametrize("move", list(MOVES))
def test_every_illegal_move_is_refused(org, actors, place, state, move):
    if (state, move) in LEGAL:
        pytest.skip("legal")
    event = file_event(actors.grid_leader, org.grid, place.weekly)
    if state != S.FILED:
        advance(event, state, grid_actor=actors.worker, department_actor=place.cg_staff)
    before = (event.state, GridEventStep.objects.count())
    with pytest.raises(ApplicationError) as exc:
        _call(move, event, actors.worker, place.cg_staff)
    # Before dispatch the department side has no department to act for: refused outright.
    side = MOVES[move][1]
    expected = {"forbidden"} if side == "department" and not event.department_id else {"conflict"}
    assert exc.value.code in expected
    event.refresh_from_db()
    assert (event.state, GridEventStep.objects.count()) == before


# --- who is refused ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who", ["district_leader", "resident", "other_worker", "foreign_admin", "wy_staff", "cg_staff"]
)
def test_grid_side_moves_refused_to_others(org, actors, place, event, who):
    actor = getattr(place, who, None) or getattr(actors, who)
    with pytest.raises(ApplicationError) as exc:
        services.grid_event_dispatch(actor=actor, event=event)
    assert exc.value.code == "forbidden"
    with pytest.raises(ApplicationError):
        services.grid_event_cancel(actor=actor, event=event, reason="x")


@pytest.mark.parametrize(
    "who", ["district_leader", "resident", "worker", "grid_leader", "street_admin", "wy_staff"]
)
def test_department_moves_refused_to_others(org, actors, place, event, who):
    services.grid_event_dispatch(actor=actors.worker, event=event)
    actor = getattr(place, who, None) or getattr(actors, who)
    for call in (
        lambda: services.grid_event_accept(actor=actor, event=event),
        lambda: services.grid_event_return(actor=actor, event=event, reason="x"),
    ):
        with pytest.raises(ApplicationError) as exc:
            call()
        assert exc.value.code == "forbidden"
    event.refresh_from_db()
    assert event.state == S.DISPATCHED


@pytest.mark.parametrize(
    "who", ["district_leader", "resident", "street_admin", "other_worker", "cg_staff"]
)
def test_filing_refused_to_all_but_grid_workers(org, actors, place, who):
    actor = getattr(place, who, None) or getattr(actors, who)
    with pytest.raises(ApplicationError) as exc:
        file_event(actor, org.grid, place.weekly)
    assert exc.value.code == "forbidden"
    assert not GridEvent.objects.exists()


def test_a_grid_leader_files_only_in_their_grid(org, actors, place):
    with pytest.raises(ApplicationError):
        file_event(actors.grid_leader, org.sibling_grid, place.weekly)
    assert file_event(place.sibling_grid_leader, org.sibling_grid, place.weekly).pk


# --- bad input: 400 with the field, nothing written ----------------------------------------


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"description": "  "}, "description"),
        ({"description": "x" * 2001}, "description"),
        ({"category": None}, "category"),
        ({"category": "foreign"}, "category"),
        ({"building": "other"}, "building"),
        ({"photos": ["bad"]}, "photos"),
        ({"photos": ["many"]}, "photos"),
    ],
)
def test_filing_bad_input(org, actors, place, kwargs, field):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import BuildingFactory

    if kwargs.get("category") == "foreign":
        kwargs["category"] = place.foreign_category
    if kwargs.get("building") == "other":
        kwargs["building"] = BuildingFactory(grid=org.other_community_grid)
    if kwargs.get("photos") == ["bad"]:
        kwargs["photos"] = [SimpleUploadedFile("a.png", b"not an image")]
    if kwargs.get("photos") == ["many"]:
        kwargs["photos"] = [photo() for _ in range(10)]
    kwargs.setdefault("category", place.weekly)
    with pytest.raises(ApplicationError) as exc:
        services.grid_event_file(
            actor=actors.worker, grid=org.grid, **{"description": "x", **kwargs}
        )
    assert field in exc.value.fields
    assert not GridEvent.objects.exists() and not EventPhoto.objects.exists()


def test_patrol_filing_needs_a_photo_and_routes_the_problem(org, actors, place):
    from grids.models import PatrolProblem
    from grids.services.work import patrol_problem_report
    from tests.factories.grids_work import PatrolRecordFactory

    patrol = PatrolRecordFactory(grid=org.grid, patroller=actors.grid_leader)
    problem = patrol_problem_report(actor=actors.grid_leader, patrol=patrol, description="井盖缺失")
    with pytest.raises(ApplicationError) as exc:
        services.grid_event_file(
            actor=actors.grid_leader,
            category=place.urgent,
            description="井盖缺失",
            patrol_problem=problem,
        )
    assert "photos" in exc.value.fields
    event = services.grid_event_file(
        actor=actors.grid_leader,
        category=place.urgent,
        description="井盖缺失",
        patrol_problem=problem,
        photos=[photo()],
    )
    assert event.source == GridEvent.Source.PATROL and event.grid == org.grid
    services.grid_event_dispatch(actor=actors.grid_leader, event=event)
    problem.refresh_from_db()
    assert problem.status == PatrolProblem.Status.ROUTED
    assert problem.department == place.chengguan.name


def test_visit_filing_takes_the_visit_grid(org, actors, place):
    visit = VisitRecordFactory(grid=org.grid, visitor=actors.worker)
    event = services.grid_event_file(
        actor=actors.worker, category=place.weekly, description="楼道堆物", visit=visit
    )
    assert event.source == GridEvent.Source.VISIT and event.visit == visit


@pytest.mark.parametrize(
    "call, field",
    [
        ("return_blank", "reason"),
        ("handle_no_photo", "photos"),
        ("handle_no_note", "note"),
        ("dispatch_foreign", "department"),
        ("dispatch_uncovered", "department"),
    ],
)
def test_bad_input_on_moves(org, actors, place, event, call, field):
    from tests.factories.cases import DepartmentFactory

    if call == "dispatch_foreign":
        fn = lambda: services.grid_event_dispatch(  # noqa: E731
            actor=actors.worker, event=event, department=place.foreign_dept
        )
    elif call == "dispatch_uncovered":
        other = DepartmentFactory(street=org.street, name="二居物业")
        other.communities.add(org.sibling_community)
        fn = lambda: services.grid_event_dispatch(  # noqa: E731
            actor=actors.worker, event=event, department=other
        )
    else:
        services.grid_event_dispatch(actor=actors.worker, event=event)
        if call == "return_blank":
            fn = lambda: services.grid_event_return(  # noqa: E731
                actor=place.cg_staff, event=event, reason=" "
            )
        else:
            services.grid_event_accept(actor=place.cg_staff, event=event)
            fn = lambda: services.grid_event_handle(  # noqa: E731
                actor=place.cg_staff,
                event=event,
                note="" if call == "handle_no_note" else "好了",
                photos=[] if call == "handle_no_photo" else [photo()],
            )
    state = GridEvent.objects.get(pk=event.pk).state
    steps = GridEventStep.objects.count()
    with pytest.raises(ApplicationError) as exc:
        fn()
    assert field in exc.value.fields
    assert GridEvent.objects.get(pk=event.pk).state == state
    assert GridEventStep.objects.count() == steps


def test_topic_event_public_steps_reach_the_topic_timeline(org, actors, place):
    topic = TopicFactory(community=org.community, grid=org.grid)
    before = TopicEvent.objects.filter(topic=topic).count()
    event = services.grid_event_file(
        actor=actors.worker, category=place.weekly, description="路灯不亮", topic=topic
    )
    assert event.source == GridEvent.Source.TOPIC and event.grid == org.grid
    services.grid_event_dispatch(actor=actors.worker, event=event)
    services.grid_event_return(actor=place.cg_staff, event=event, reason="内部原因")
    verbs = list(
        TopicEvent.objects.filter(topic=topic).order_by("pk").values_list("verb", flat=True)
    )[before:]
    # The return is internal: it does not reach the topic's public timeline.
    assert verbs == ["event_file", "event_dispatch"]
    assert TopicEvent.objects.filter(topic=topic, verb="event_dispatch").get().is_public
