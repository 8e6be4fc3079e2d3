"""Areas, contracts (one current per area), companies, committees and members, merges
(联小建大, history kept), 选聘 through a board consultation, the term-end reminder."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.utils import timezone

from board import services as board_services
from board.models import Consultation
from core.exceptions import ApplicationError
from notifications.clocks import reminders_sweep
from notifications.models import Notification, Reminder
from property_governance import services
from property_governance.models import (
    CommitteeMember,
    Merge,
    OwnersCommittee,
    PropertyArea,
    PropertyContract,
)
from property_governance.services.committees import TRANSITIONS
from tests.factories.board import CompoundFactory
from tests.factories.property_governance import (
    OwnersCommitteeFactory,
    PropertyAreaFactory,
    PropertyCompanyFactory,
    current_contract,
)

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 3, 2)


def days(n):
    return datetime.timedelta(days=n)


# ---------------------------------------------------------------------------------------------
# Areas, companies, contracts


def test_a_compound_is_in_one_active_area(place, actors, org):
    with pytest.raises(ApplicationError) as err:
        services.area_create(
            actor=actors.worker, community=org.community, name="重复", compounds=[place.compound_a]
        )
    assert err.value.fields.keys() == {"compounds"}
    other = CompoundFactory(community=org.sibling_community)
    with pytest.raises(ApplicationError) as err:
        services.area_create(
            actor=actors.worker, community=org.community, name="跨居", compounds=[other]
        )
    assert err.value.fields.keys() == {"compounds"}
    with pytest.raises(ApplicationError) as err:
        services.area_create(
            actor=actors.other_worker,
            community=org.community,
            name="越权",
            compounds=[CompoundFactory(community=org.community)],
        )
    assert err.value.code == "forbidden"


def test_company_register_is_the_street_admins(actors, org):
    company = services.company_create(
        actor=actors.street_admin,
        street=org.street,
        name="安居物业",
        credit_code="91310000ma1k000001",
    )
    assert company.credit_code == "91310000MA1K000001"
    with pytest.raises(ApplicationError) as err:
        services.company_create(
            actor=actors.street_admin,
            street=org.street,
            name="重复",
            credit_code=company.credit_code,
        )
    assert err.value.fields.keys() == {"credit_code"}
    with pytest.raises(ApplicationError) as err:
        services.company_create(
            actor=actors.street_admin, street=org.street, name="短码", credit_code="123"
        )
    assert err.value.fields.keys() == {"credit_code"}
    with pytest.raises(ApplicationError) as err:
        services.company_create(
            actor=actors.worker, street=org.street, name="工作者", credit_code="91310000MA1K000002"
        )
    assert err.value.code == "forbidden"


def test_one_current_contract_per_area(place, actors, org):
    company = PropertyCompanyFactory(street=org.street)
    first = services.contract_create(
        actor=actors.worker,
        area=place.area,
        company=company,
        starts_on=TODAY,
        ends_on=TODAY + days(1095),
        fees={"residential": "2.3", "commercial": Decimal("5.00")},
    )
    assert sorted(str(f.yuan_per_m2_month) for f in first.fees.all()) == ["2.30", "5.00"]
    with pytest.raises(ApplicationError) as err:
        services.contract_create(
            actor=actors.worker,
            area=place.area,
            company=company,
            starts_on=TODAY,
            ends_on=TODAY + days(30),
            fees={"residential": 2},
        )
    assert err.value.code == "conflict"
    # The database holds the same rule.
    with pytest.raises(IntegrityError), transaction.atomic():
        PropertyContract.objects.create(
            area=place.area,
            company=company,
            starts_on=TODAY,
            ends_on=TODAY + days(9),
            chosen_by="renewal",
        )
    second = services.contract_create(
        actor=actors.worker,
        area=place.area,
        company=company,
        starts_on=TODAY + days(100),
        ends_on=TODAY + days(1000),
        fees={"residential": 2},
        chosen_by="renewal",
        replace_current=True,
    )
    first.refresh_from_db()
    assert first.status == "ended" and first.ended_on == TODAY + days(99)
    assert second.status == "current"
    services.contract_end(
        actor=actors.worker, contract=second, reason="企业退出", ended_on=TODAY + days(200)
    )
    with pytest.raises(ApplicationError) as err:
        services.contract_end(actor=actors.worker, contract=second, reason="再次")
    assert err.value.code == "conflict"


@pytest.mark.parametrize(
    ("fees", "field"),
    [
        ({}, "fees"),
        ({"residential": "0"}, "fees.residential"),
        ({"residential": "x"}, "fees.residential"),
        ({"villa": 3}, "fees"),
    ],
)
def test_bad_fees_write_nothing(place, actors, org, fees, field):
    with pytest.raises(ApplicationError) as err:
        services.contract_create(
            actor=actors.worker,
            area=place.area,
            company=PropertyCompanyFactory(street=org.street),
            starts_on=TODAY,
            ends_on=TODAY + days(10),
            fees=fees,
        )
    assert field in err.value.fields
    assert not PropertyContract.objects.exists()


# ---------------------------------------------------------------------------------------------
# Committees


def test_committee_moves_and_members(place, actors):
    w = actors.worker
    committee = services.committee_create(
        actor=w,
        area=place.area,
        term_starts_on=TODAY,
        term_ends_on=TODAY + days(1825),
        status="preparing",
    )
    with pytest.raises(ApplicationError):  # nobody recorded yet
        services.committee_start(actor=w, committee=committee)
    director = services.committee_member_add(
        actor=w, committee=committee, resident=place.alice.resident, role="director"
    )
    with pytest.raises(ApplicationError) as err:
        services.committee_member_add(
            actor=w, committee=committee, resident=place.erin.resident, role="director"
        )
    assert err.value.code == "conflict"
    deputy = services.committee_member_add(
        actor=w, committee=committee, resident=place.erin.resident
    )
    services.committee_member_set_role(actor=w, member=deputy, role="deputy")
    with pytest.raises(ApplicationError) as err:
        services.committee_member_add(actor=w, committee=committee, resident=place.carol.resident)
    assert err.value.fields.keys() == {"resident"}  # lives in compound B
    services.committee_start(actor=w, committee=committee)
    with pytest.raises(ApplicationError) as err:
        services.committee_create(
            actor=w, area=place.area, term_starts_on=TODAY, term_ends_on=TODAY + days(9)
        )
    assert err.value.code == "conflict"  # one serving committee per area
    services.committee_end(actor=w, committee=committee, ended_on=TODAY + days(1825))
    committee.refresh_from_db()
    assert committee.status == "ended"
    director.refresh_from_db()
    assert director.ends_on == TODAY + days(1825)


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (a, b)
        for a in OwnersCommittee.Status
        for b in (OwnersCommittee.Status.SERVING, OwnersCommittee.Status.ENDED)
        if b not in TRANSITIONS[a]
    ],
)
def test_forbidden_committee_moves(place, actors, start, target):
    committee = OwnersCommitteeFactory(
        area=place.area,
        status=start,
        ended_on=TODAY if start in ("ended", "merged") else None,
    )
    CommitteeMember.objects.create(
        committee=committee, resident=place.alice.resident, starts_on=TODAY
    )
    call = services.committee_start if target == "serving" else services.committee_end
    with pytest.raises(ApplicationError) as err:
        call(actor=actors.worker, committee=committee)
    assert err.value.code == "conflict"


# ---------------------------------------------------------------------------------------------
# Merges 联小建大


def test_seven_committees_become_one_and_keep_their_history(org, actors):
    w = actors.worker
    compounds = [CompoundFactory(community=org.community, name=f"新村{i}街坊") for i in range(7)]
    areas = [
        PropertyAreaFactory(community=org.community, name=f"新村{i}", compounds=[c])
        for i, c in enumerate(compounds)
    ]
    committees = [OwnersCommitteeFactory(area=a) for a in areas]
    area_merge = services.merge_areas(
        actor=w, areas=areas, name="新村物业管理区域", merged_on=TODAY, reason="联小建大，统一管理"
    )
    big = area_merge.after_area
    assert set(big.compounds.all()) == set(compounds)
    assert set(PropertyArea.objects.filter(ended_by_merge=area_merge)) == set(areas)
    merge = services.merge_committees(
        actor=w,
        committees=committees,
        area=big,
        merged_on=TODAY,
        reason="七个业委会合并为一个",
        term_starts_on=TODAY,
        term_ends_on=TODAY + days(1825),
    )
    assert merge.kind == Merge.Kind.COMMITTEE and merge.before_committees.count() == 7
    assert merge.after_committee.status == "preparing" and merge.after_committee.area == big
    for committee in committees:
        committee.refresh_from_db()
        assert committee.status == "merged" and committee.ended_by_merge == merge
    with pytest.raises(ApplicationError) as err:
        services.merge_areas(actor=w, areas=areas[:2], name="再合并", merged_on=TODAY, reason="x")
    assert err.value.code == "conflict"
    with pytest.raises(ApplicationError) as err:
        services.merge_areas(actor=w, areas=[big], name="单个", merged_on=TODAY, reason="x")
    assert err.value.fields.keys() == {"areas"}


# ---------------------------------------------------------------------------------------------
# 选聘 as a household consultation


def test_selection_runs_as_a_household_poll_and_makes_the_contract(place, actors, org):
    w = actors.worker
    a, b = (PropertyCompanyFactory(street=org.street, name=n) for n in ("甲物业", "乙物业"))
    old = current_contract(place.area, a)
    now = timezone.now()
    selection = services.selection_start(
        actor=w,
        area=place.area,
        title="望春里一期物业选聘",
        companies=[a, b],
        opens_at=now,
        closes_at=now + days(7),
    )
    consultation = selection.consultation
    assert (consultation.kind, consultation.one_per, consultation.audience) == (
        "poll",
        "household",
        "compound",
    )
    assert consultation.compound == place.compound_a and consultation.status == "published"
    question = consultation.questions.get()
    first, second = question.options.order_by("position")
    assert (first.text, second.text) == ("甲物业", "乙物业")
    sheet = [{"question": question.pk, "options": [second.pk]}]
    board_services.consultation_respond(actor=place.alice, consultation=consultation, answers=sheet)
    board_services.consultation_respond(actor=place.erin, consultation=consultation, answers=sheet)
    with pytest.raises(ApplicationError):  # closed only after closes_at
        services.selection_decide(
            actor=w,
            selection=selection,
            starts_on=TODAY,
            ends_on=TODAY + days(1095),
            fees={"residential": "2.80"},
        )
    with time_machine.travel(consultation.closes_at + days(1), tick=False):
        contract = services.selection_decide(
            actor=w,
            selection=selection,
            starts_on=timezone.localdate(),
            ends_on=timezone.localdate() + days(1095),
            fees={"residential": "2.80"},
        )
    assert contract.company == b and contract.chosen_by == "selection"
    assert contract.selection == selection and selection.consultation == consultation
    old.refresh_from_db()
    assert old.status == "ended"
    selection.refresh_from_db()
    assert selection.status == "decided"
    with pytest.raises(ApplicationError) as err:
        services.selection_cancel(actor=w, selection=selection, reason="x")
    assert err.value.code == "conflict"


def test_a_tied_selection_cannot_decide_and_cancel_cancels_the_poll(place, actors, org):
    w = actors.worker
    companies = [PropertyCompanyFactory(street=org.street) for _ in range(2)]
    now = timezone.now()
    selection = services.selection_start(
        actor=w,
        area=place.area,
        title="选聘",
        companies=companies,
        opens_at=now,
        closes_at=now + days(7),
    )
    with time_machine.travel(now + days(8), tick=False), pytest.raises(ApplicationError) as err:
        services.selection_decide(
            actor=w,
            selection=selection,
            starts_on=TODAY,
            ends_on=TODAY + days(9),
            fees={"residential": 2},
        )
    assert err.value.code == "conflict"
    selection2 = services.selection_start(
        actor=w,
        area=place.area,
        title="选聘二",
        companies=companies,
        opens_at=now,
        closes_at=now + days(7),
    )
    services.selection_cancel(actor=w, selection=selection2, reason="候选企业资质有误")
    selection2.consultation.refresh_from_db()
    assert selection2.consultation.status == Consultation.Status.CANCELLED
    with pytest.raises(ApplicationError) as err:
        services.selection_start(
            actor=w,
            area=place.area,
            title="x",
            companies=companies[:1],
            opens_at=now,
            closes_at=now + days(1),
        )
    assert err.value.fields.keys() == {"companies"}


# ---------------------------------------------------------------------------------------------
# The term-end reminder


def test_term_end_reminders_90_and_30_days_once_each(place, actors):
    committee = OwnersCommitteeFactory(
        area=place.area, term_starts_on=TODAY - days(1700), term_ends_on=TODAY + days(120)
    )
    kind = "property_governance.committee.term_end"
    at = datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC)
    with time_machine.travel(at, tick=False):
        reminders_sweep()
    assert not Reminder.objects.filter(clock=kind).exists()
    with time_machine.travel(at + days(31), tick=False):  # 89 days left
        reminders_sweep()
        reminders_sweep()
    got = Notification.objects.filter(kind=f"{kind}.90_days")
    assert {n.recipient for n in got} == {actors.worker, actors.street_admin}
    assert got.count() == 2 and "届满" in got.first().title
    with time_machine.travel(at + days(95), tick=False):  # 25 days left
        reminders_sweep()
        reminders_sweep()
    assert Notification.objects.filter(kind=f"{kind}.30_days").count() == 2
    assert Reminder.objects.filter(clock=kind, subject_id=committee.pk).count() == 2
    # Other communities' staff are not told.
    assert not Notification.objects.filter(recipient=actors.other_worker).exists()


def test_an_ended_committee_is_not_reminded(place, actors):
    committee = OwnersCommitteeFactory(area=place.area, term_ends_on=TODAY + days(20))
    services.committee_end(actor=actors.worker, committee=committee, ended_on=TODAY)
    with time_machine.travel(datetime.datetime(2026, 3, 3, tzinfo=datetime.UTC), tick=False):
        reminders_sweep()
    assert not Notification.objects.filter(kind__startswith="property_governance").exists()
