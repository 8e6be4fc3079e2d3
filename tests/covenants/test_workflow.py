"""Every move of a covenant's versions, and every move the table forbids."""

import datetime

import pytest
import time_machine
from django.db import IntegrityError
from django.utils import timezone

from core.exceptions import ApplicationError
from covenants import services, tasks
from covenants.models import Covenant, CovenantEvent, CovenantVersion, VersionState
from covenants.services.workflow import TRANSITIONS
from notifications.models import Notification
from tests.factories.covenants import CovenantFactory, later, to_state

pytestmark = pytest.mark.django_db
S = VersionState


def _refresh(covenant):
    return Covenant.objects.select_related("current_version", "in_force_version").get(
        pk=covenant.pk
    )


def _adopt(covenant, worker, signers):
    for user in signers:
        services.covenant_sign(actor=user, covenant=covenant)
    return services.covenant_decide(actor=worker, covenant=covenant)


def test_create_draft_sanitises_the_text_and_records_the_origin(org, actors):
    covenant = services.covenant_create(
        actor=actors.worker,
        title="楼道堆物公约",
        text_html='<p onclick="x()">不在楼道堆物</p><script>alert(1)</script>',
        community=org.community,
    )
    covenant = _refresh(covenant)
    assert covenant.status == Covenant.Status.DRAFT
    assert covenant.origin == "worker" and covenant.created_by == actors.worker
    version = covenant.current_version
    assert version.number == 1 and version.state == S.DRAFT
    assert "script" not in version.text and "onclick" not in version.text
    assert "不在楼道堆物" in version.text
    assert CovenantEvent.objects.filter(covenant=covenant, verb="create").count() == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": ""}, "title"),
        ({"text_html": "<script>x</script>"}, "text"),
        ({"origin": "project"}, "project"),
        ({"origin": "topic"}, "topic"),
        ({"origin": "nonsense"}, "origin"),
        ({"audience": "street"}, "audience"),
        ({"audience": "compound"}, "compound"),
    ],
)
def test_create_refuses_bad_input_and_writes_nothing(org, actors, fields, field):
    data = {"title": "公约", "text_html": "<p>正文</p>", "community": org.community, **fields}
    with pytest.raises(ApplicationError) as err:
        services.covenant_create(actor=actors.worker, **data)
    assert err.value.code == "invalid" and field in err.value.fields
    assert not Covenant.objects.exists()


def test_origin_must_agree_with_its_source_in_the_database(org):
    covenant = CovenantFactory(community=org.community)
    with pytest.raises(IntegrityError):
        Covenant.objects.filter(pk=covenant.pk).update(origin="project")


@pytest.mark.parametrize("who", ["grid_leader", "district_leader", "other_worker", "resident"])
def test_only_the_communitys_workers_and_admins_create(org, actors, who):
    with pytest.raises(ApplicationError) as err:
        services.covenant_create(
            actor=getattr(actors, who), title="公约", text_html="<p>x</p>", community=org.community
        )
    assert err.value.code == "forbidden"


def test_sign_on_path_to_in_force_with_stored_counts(org, actors, place, covenant):
    to_state(covenant, actors.worker, "signing")
    covenant = _adopt(covenant, actors.worker, [place.alice, place.carol])
    covenant = _refresh(covenant)
    version = covenant.current_version
    assert covenant.status == Covenant.Status.IN_FORCE
    assert covenant.in_force_version == version and version.state == S.IN_FORCE
    assert (version.eligible_households, version.yes_count, version.no_count) == (3, 2, 0)
    assert version.effective_on == timezone.localdate()
    verbs = list(CovenantEvent.objects.filter(covenant=covenant).values_list("verb", flat=True))
    assert verbs == ["discussion_opened", "signing_opened", "adopted"]


def test_threshold_missed_is_not_adopted(org, actors, place, covenant):
    to_state(covenant, actors.worker, "signing")
    covenant = _adopt(covenant, actors.worker, [place.alice])  # 1 of 3 < 2/3
    covenant = _refresh(covenant)
    assert covenant.status == Covenant.Status.NOT_ADOPTED
    assert covenant.current_version.yes_count == 1
    assert covenant.in_force_version is None


def test_vote_of_the_households_voting(org, actors, place, covenant):
    to_state(covenant, actors.worker, "signing", method="vote", basis="voting", num=1, den=2)
    services.covenant_sign(actor=place.alice, covenant=covenant, choice="yes")
    services.covenant_sign(actor=place.carol, covenant=covenant, choice="no")
    covenant = _refresh(services.covenant_decide(actor=actors.worker, covenant=covenant))
    assert covenant.status == Covenant.Status.IN_FORCE  # 1 of 2 voting ≥ 1/2
    assert (covenant.current_version.yes_count, covenant.current_version.no_count) == (1, 1)


def test_sign_on_threshold_is_of_eligible_households_only(org, actors, covenant):
    to_state(covenant, actors.worker, "discussion")
    with pytest.raises(ApplicationError) as err:
        services.covenant_open_signing(
            actor=actors.worker, covenant=covenant, closes_at=later(), threshold_basis="voting"
        )
    assert "threshold_basis" in err.value.fields
    assert _refresh(covenant).current_version.state == S.DISCUSSION


@pytest.mark.parametrize(("num", "den"), [(0, 3), (4, 3), ("a", 3), (1, 101)])
def test_bad_threshold_is_refused(org, actors, covenant, num, den):
    to_state(covenant, actors.worker, "discussion")
    with pytest.raises(ApplicationError) as err:
        services.covenant_open_signing(
            actor=actors.worker,
            covenant=covenant,
            closes_at=later(),
            threshold_numerator=num,
            threshold_denominator=den,
        )
    assert err.value.code == "invalid"


def test_amendment_supersedes_the_version_in_force_and_keeps_both_texts(
    org, actors, place, covenant
):
    to_state(covenant, actors.worker, "signing")
    _adopt(covenant, actors.worker, [place.alice, place.carol])
    services.covenant_amend(
        actor=actors.worker,
        covenant=covenant,
        text_html="<p>遛狗牵绳，晚十点后不在小区遛狗。</p>",
        change_summary="增加夜间条款",
    )
    covenant = _refresh(covenant)
    assert covenant.status == Covenant.Status.IN_FORCE  # v1 still in force
    assert covenant.current_version.number == 2 and covenant.current_version.state == S.DRAFT
    to_state(covenant, actors.worker, "signing")
    assert _refresh(covenant).status == Covenant.Status.IN_FORCE
    _adopt(covenant, actors.worker, [place.bob, place.erin])
    covenant = _refresh(covenant)
    v1, v2 = CovenantVersion.objects.filter(covenant=covenant).order_by("number")
    assert v1.state == S.SUPERSEDED and v1.ended_at is not None
    assert v2.state == S.IN_FORCE and covenant.in_force_version == v2
    assert "牵绳" in v1.text and "晚十点" in v2.text
    assert CovenantEvent.objects.filter(covenant=covenant, verb="superseded").exists()


def test_amendment_not_adopted_leaves_the_old_version_in_force(org, actors, place, covenant):
    to_state(covenant, actors.worker, "signing")
    _adopt(covenant, actors.worker, [place.alice, place.carol])
    services.covenant_amend(
        actor=actors.worker, covenant=covenant, text_html="<p>新</p>", change_summary="改"
    )
    to_state(covenant, actors.worker, "signing")
    covenant = _refresh(services.covenant_decide(actor=actors.worker, covenant=covenant))
    assert covenant.status == Covenant.Status.IN_FORCE
    assert covenant.in_force_version.number == 1
    assert covenant.current_version.state == S.NOT_ADOPTED


def test_cancelled_amendment_leaves_the_covenant_in_force(org, actors, place, covenant):
    to_state(covenant, actors.worker, "signing")
    _adopt(covenant, actors.worker, [place.alice, place.carol])
    services.covenant_amend(
        actor=actors.worker, covenant=covenant, text_html="<p>新</p>", change_summary="改"
    )
    with pytest.raises(ApplicationError) as err:
        services.covenant_amend(
            actor=actors.worker, covenant=covenant, text_html="<p>又</p>", change_summary="再改"
        )
    assert err.value.code == "conflict"
    with pytest.raises(ApplicationError):
        services.covenant_repeal(actor=actors.worker, covenant=covenant, reason="不再适用")
    services.covenant_cancel(actor=actors.worker, covenant=covenant, reason="意见分歧大")
    covenant = _refresh(covenant)
    assert covenant.status == Covenant.Status.IN_FORCE
    assert covenant.current_version.state == S.CANCELLED


def test_amend_needs_a_summary_and_an_in_force_covenant(org, actors, place, covenant):
    with pytest.raises(ApplicationError) as err:
        services.covenant_amend(
            actor=actors.worker, covenant=covenant, text_html="<p>x</p>", change_summary="改"
        )
    assert err.value.code == "conflict"
    to_state(covenant, actors.worker, "signing")
    _adopt(covenant, actors.worker, [place.alice, place.carol])
    with pytest.raises(ApplicationError) as err:
        services.covenant_amend(
            actor=actors.worker, covenant=covenant, text_html="<p>x</p>", change_summary=""
        )
    assert "change_summary" in err.value.fields
    assert CovenantVersion.objects.filter(covenant=covenant).count() == 1


def test_repeal_with_a_reason(org, actors, place, covenant):
    to_state(covenant, actors.worker, "signing")
    _adopt(covenant, actors.worker, [place.alice, place.carol])
    with pytest.raises(ApplicationError) as err:
        services.covenant_repeal(actor=actors.worker, covenant=covenant, reason=" ")
    assert "reason" in err.value.fields
    services.covenant_repeal(actor=actors.street_admin, covenant=covenant, reason="小区已改造")
    covenant = _refresh(covenant)
    assert covenant.status == Covenant.Status.REPEALED and covenant.repeal_reason == "小区已改造"
    assert covenant.in_force_version is None
    assert covenant.current_version.state == S.REPEALED
    event = CovenantEvent.objects.get(covenant=covenant, verb="repealed")
    assert event.note == "小区已改造" and event.is_public


@pytest.mark.parametrize("state", ["draft", "discussion"])
def test_cancel_a_draft_or_discussion(org, actors, covenant, state):
    if state == "discussion":
        to_state(covenant, actors.worker, "discussion")
    services.covenant_cancel(actor=actors.worker, covenant=covenant, reason="重新起草")
    covenant = _refresh(covenant)
    assert covenant.status == Covenant.Status.CANCELLED
    assert covenant.current_version.cancel_reason == "重新起草"


def _reach(state, covenant, actors, place):
    if state == "draft":
        return covenant
    if state in ("discussion", "signing"):
        return to_state(covenant, actors.worker, state)
    to_state(covenant, actors.worker, "signing")
    signers = [place.alice, place.carol] if state in ("in_force", "repealed") else []
    _adopt(covenant, actors.worker, signers)
    if state == "repealed":
        services.covenant_repeal(actor=actors.worker, covenant=covenant, reason="废止")
    if state == "cancelled":
        raise AssertionError
    return covenant


MOVES = {
    "discussion": lambda a, c: services.covenant_open_discussion(
        actor=a, covenant=c, closes_at=later()
    ),
    "signing": lambda a, c: services.covenant_open_signing(actor=a, covenant=c, closes_at=later()),
    "decide": lambda a, c: services.covenant_decide(actor=a, covenant=c),
    "repeal": lambda a, c: services.covenant_repeal(actor=a, covenant=c, reason="理由"),
    "cancel": lambda a, c: services.covenant_cancel(actor=a, covenant=c, reason="理由"),
}
LEGAL = {
    "draft": {"discussion", "cancel"},
    "discussion": {"signing", "cancel"},
    "signing": {"decide"},
    "in_force": {"repeal"},
    "not_adopted": set(),
    "repealed": set(),
}


@pytest.mark.parametrize(
    ("state", "move"),
    [(s, m) for s, legal in LEGAL.items() for m in MOVES if m not in legal],
)
def test_forbidden_moves_are_refused(org, actors, place, covenant, state, move):
    covenant = _reach(state, covenant, actors, place)
    before = list(CovenantVersion.objects.values_list("pk", "state"))
    with pytest.raises(ApplicationError) as err:
        MOVES[move](actors.worker, covenant)
    assert err.value.code == "conflict"
    assert list(CovenantVersion.objects.values_list("pk", "state")) == before


def test_the_move_table_is_closed():
    assert set(TRANSITIONS) == set(VersionState)
    for targets in TRANSITIONS.values():
        assert targets <= set(VersionState)


@pytest.mark.parametrize("who", ["grid_leader", "district_leader", "other_worker", "foreign_admin"])
def test_moves_refused_to_who_does_not_manage_the_community(org, actors, covenant, who):
    for move in ("discussion", "cancel"):
        with pytest.raises(ApplicationError) as err:
            MOVES[move](getattr(actors, who), covenant)
        assert err.value.code == "forbidden"
    assert _refresh(covenant).status == Covenant.Status.DRAFT


def test_window_must_end_in_the_future(org, actors, covenant):
    past = timezone.now() - datetime.timedelta(minutes=1)
    with pytest.raises(ApplicationError) as err:
        services.covenant_open_discussion(actor=actors.worker, covenant=covenant, closes_at=past)
    assert "closes_at" in err.value.fields
    assert _refresh(covenant).current_version.state == S.DRAFT


def test_discussion_and_signing_notify_the_residents_in_scope(org, actors, place, covenant):
    to_state(covenant, actors.worker, "signing")
    notified = set(
        Notification.objects.filter(kind="covenants.discussion").values_list(
            "recipient__real_name", flat=True
        )
    )
    assert notified == {"王阿姨", "王大伯", "李女士", "钱阿姨"}  # not pending Dave, not Olga
    signing = Notification.objects.filter(kind="covenants.signing")
    assert signing.count() == 4
    assert signing.first().url == f"/covenants/{covenant.pk}/"


def test_compound_covenant_notifies_only_its_compound(org, actors, place, compound_covenant):
    to_state(compound_covenant, actors.worker, "discussion")
    notified = set(Notification.objects.values_list("recipient__real_name", flat=True))
    assert notified == {"王阿姨", "王大伯", "钱阿姨"}


def test_close_due_decides_ended_windows_once(org, actors, place, covenant):
    to_state(covenant, actors.worker, "signing")
    services.covenant_sign(actor=place.alice, covenant=covenant)
    services.covenant_sign(actor=place.carol, covenant=covenant)
    assert tasks.close_due() == 0  # still open
    with pytest.raises(ApplicationError):
        services.covenant_decide(actor=None, covenant=covenant)
    with time_machine.travel(later(days=8)):
        assert tasks.close_due() == 1
        assert tasks.close_due() == 0  # idempotent
    covenant = _refresh(covenant)
    assert covenant.status == Covenant.Status.IN_FORCE
    assert CovenantEvent.objects.get(covenant=covenant, verb="adopted").actor is None


def test_draft_text_can_change_until_discussion(org, actors, covenant):
    services.covenant_update_draft(
        actor=actors.worker, covenant=covenant, text="<p>新正文</p>", title="新标题"
    )
    covenant = _refresh(covenant)
    assert covenant.title == "新标题" and "新正文" in covenant.current_version.text
    to_state(covenant, actors.worker, "discussion")
    with pytest.raises(ApplicationError) as err:
        services.covenant_update_draft(actor=actors.worker, covenant=covenant, text="<p>再改</p>")
    assert err.value.code == "conflict"
