"""Every move of the case workflow, and every forbidden one, through the services."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from core.exceptions import ApplicationError
from disputes import services
from disputes.models import DisputeCase, DisputeCaseEvent, DisputeSetting
from notifications.models import Notification
from tests.factories.disputes import agreement_upload, case_in

pytestmark = pytest.mark.django_db
S = DisputeCase.Status


def _call(verb, case, actor, people):
    calls = {
        "assign": lambda: services.case_assign(actor=actor, case=case, owner=people.owner),
        "record_outcome": lambda: services.case_record_outcome(
            actor=actor, case=case, outcome="withdrawn", note="当事人不再坚持"
        ),
        "record_followup": lambda: services.case_record_followup(
            actor=actor, case=case, note="已回访"
        ),
        "close": lambda: services.case_close(actor=actor, case=case),
        "cancel": lambda: services.case_cancel(actor=actor, case=case, reason="重复"),
    }
    return calls[verb]()


def test_the_whole_way_with_an_internal_timeline(org, actors, people):
    worker = actors.worker
    case = case_in(S.INTAKE, actor=worker, owner=people.owner, community=org.community)
    services.case_assign(actor=worker, case=case, owner=people.owner)
    assert case.status == S.MEDIATING and case.owner == people.owner
    assert Notification.objects.filter(
        recipient=people.owner, kind="disputes.case.assigned"
    ).exists()
    services.case_add_party(actor=people.owner, case=case, resident=people.zhang)
    services.case_add_party(
        actor=people.owner, case=case, org_name="某物业公司", org_kind="property_company"
    )
    services.case_add_mediator(actor=worker, case=case, role="legal_officer", user=people.legal)
    services.case_add_mediator(actor=worker, case=case, role="mediator", name="老调解员")
    services.case_record_session(
        actor=people.legal,
        case=case,
        held_on=timezone.localdate(),
        place="居委会调解室",
        attendance="双方当事人、调解员",
        notes="初步达成一致",
    )
    services.case_record_outcome(
        actor=people.owner, case=case, outcome="agreement", agreement_file=agreement_upload()
    )
    case.refresh_from_db()
    assert case.status == S.RESOLVED and case.agreement_file
    assert (case.followup_due_at - case.outcome_at).days == 15
    # The signed copy is stored outside the public media directory.
    assert "-private" in case.agreement_file.path
    services.case_record_followup(actor=people.owner, case=case, note="协议已履行")
    assert case.followup_on_time is True
    services.case_close(actor=worker, case=case)
    assert case.status == S.CLOSED
    events = list(DisputeCaseEvent.objects.filter(case=case).values_list("verb", "is_public"))
    assert [v for v, _p in events] == [
        "open",
        "assign",
        "add_party",
        "add_party",
        "add_mediator",
        "add_mediator",
        "session",
        "record_outcome",
        "record_followup",
        "close",
    ]
    assert not any(p for _v, p in events)


@pytest.mark.parametrize("state", [s for s in S.values])
@pytest.mark.parametrize("verb", list(services.MOVES))
def test_only_the_table_s_moves_are_allowed(org, actors, people, state, verb):
    case = case_in(state, actor=actors.worker, owner=people.owner, community=org.community)
    sources, _target = services.MOVES[verb]
    if state in sources:
        if verb == "assign" and state == S.MEDIATING:
            # Reassigning names a different owner.
            services.case_assign(actor=actors.worker, case=case, owner=actors.worker)
        else:
            _call(verb, case, actors.worker, people)
        return
    before = DisputeCaseEvent.objects.filter(case=case).count()
    with pytest.raises(ApplicationError) as exc:
        _call(verb, case, actors.worker, people)
    assert exc.value.code == "conflict"
    assert DisputeCaseEvent.objects.filter(case=case).count() == before
    assert DisputeCase.objects.get(pk=case.pk).status == state


def test_parties_and_sessions_only_while_open(org, actors, people):
    case = case_in(S.RESOLVED, actor=actors.worker, owner=people.owner, community=org.community)
    with pytest.raises(ApplicationError) as exc:
        services.case_add_party(actor=actors.worker, case=case, resident=people.li)
    assert exc.value.code == "conflict"
    with pytest.raises(ApplicationError):
        services.case_record_session(
            actor=actors.worker,
            case=case,
            held_on=timezone.localdate(),
            place="x",
            attendance="x",
            notes="x",
        )
    intake = case_in(S.INTAKE, actor=actors.worker, owner=people.owner, community=org.community)
    with pytest.raises(ApplicationError) as exc:
        services.case_record_session(
            actor=actors.worker,
            case=intake,
            held_on=timezone.localdate(),
            place="x",
            attendance="x",
            notes="x",
        )
    assert exc.value.code == "conflict"


def test_who_may_move(org, actors, people):
    case = case_in(S.INTAKE, actor=actors.worker, owner=people.owner, community=org.community)
    for refused in (actors.district_leader, actors.other_worker, actors.grid_leader, people.legal):
        with pytest.raises(ApplicationError) as exc:
            services.case_assign(actor=refused, case=case, owner=people.owner)
        assert exc.value.code == "forbidden"
    services.case_assign(actor=actors.street_admin, case=case, owner=people.owner)
    services.case_add_mediator(
        actor=people.owner, case=case, role="legal_officer", user=people.legal
    )
    # The mediator works the case but neither closes nor reassigns it.
    services.case_add_party(actor=people.legal, case=case, resident=people.zhang)
    with pytest.raises(ApplicationError):
        services.case_assign(actor=people.legal, case=case, owner=actors.worker)


def test_the_owner_must_be_staff_of_the_community(org, actors, people):
    case = case_in(S.INTAKE, actor=actors.worker, owner=people.owner, community=org.community)
    for bad in (actors.other_worker, people.legal, actors.district_leader):
        with pytest.raises(ApplicationError) as exc:
            services.case_assign(actor=actors.worker, case=case, owner=bad)
        assert exc.value.fields == {"owner": [exc.value.fields["owner"][0]]}
    assert DisputeCase.objects.get(pk=case.pk).status == S.INTAKE


def test_followup_days_come_from_the_street_setting(org, actors, people):
    DisputeSetting.objects.create(street=org.street, followup_days=7)
    case = case_in(S.RESOLVED, actor=actors.worker, owner=people.owner, community=org.community)
    assert (case.followup_due_at - case.outcome_at) == datetime.timedelta(days=7)


def test_a_late_followup_is_stored_late(org, actors, people):
    with time_machine.travel(datetime.datetime(2026, 3, 1, 9, tzinfo=datetime.UTC), tick=False):
        case = case_in(S.RESOLVED, actor=actors.worker, owner=people.owner, community=org.community)
    with time_machine.travel(datetime.datetime(2026, 3, 20, 9, tzinfo=datetime.UTC), tick=False):
        services.case_record_followup(actor=people.owner, case=case, note="晚了")
    assert case.followup_on_time is False


def test_the_source_must_be_named_and_match(org, actors, people):
    from tests.factories.disputes import DisputeSweepFactory

    sweep = DisputeSweepFactory(grid=org.grid)
    other = DisputeSweepFactory(grid=org.other_community_grid)
    base = {"actor": actors.worker, "community": org.community, "category": "neighbour"}
    with pytest.raises(ApplicationError) as exc:
        services.case_open(**base, summary="x", source="sweep")
    assert "sweep" in exc.value.fields
    with pytest.raises(ApplicationError) as exc:
        services.case_open(**base, summary="x", source="sweep", sweep=other)
    assert "sweep" in exc.value.fields
    with pytest.raises(ApplicationError) as exc:
        services.case_open(**base, summary="x", source="referral")
    assert "referral_from" in exc.value.fields
    case = services.case_open(**base, summary="x", source="sweep", sweep=sweep)
    assert case.grid == org.grid and list(sweep.cases.all()) == [case]
