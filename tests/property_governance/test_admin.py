"""Property governance in the admin: scoped lists and pages, saves through the services,
workflow actions (with their intermediate forms), who may NOT."""

import datetime
import io

import pytest
import time_machine
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from property_governance import services
from property_governance.models import (
    Election,
    Merge,
    OwnersCommittee,
    PropertyArea,
    PropertyCompany,
    PropertyContract,
)
from tests.factories.board import CompoundFactory
from tests.factories.property_governance import (
    OwnersCommitteeFactory,
    PropertyAreaFactory,
    PropertyCompanyFactory,
    current_contract,
)

from .conftest import candidates

pytestmark = pytest.mark.django_db

MODELS = (
    "propertyarea",
    "propertycompany",
    "propertycontract",
    "merge",
    "ownerscommittee",
    "committeemember",
    "election",
    "candidate",
    "propertyselection",
)


@pytest.fixture
def admin_as(client):
    def _as(user):
        client.force_login(user)
        return client

    return _as


def act(client, model, action, objs, **data):
    return client.post(
        reverse(f"admin:property_governance_{model}_changelist"),
        {"action": action, ACTION_CHECKBOX_NAME: [o.pk for o in objs], **data},
    )


@pytest.mark.parametrize("who", ["worker", "grid_leader", "street_admin", "district_leader"])
def test_staff_open_every_list_and_page(admin_as, place, actors, who, voting):
    client = admin_as(getattr(actors, who))
    for model in MODELS:
        assert (
            client.get(reverse(f"admin:property_governance_{model}_changelist")).status_code == 200
        )
    page = client.get(reverse("admin:property_governance_election_change", args=[voting.pk]))
    assert page.status_code == 200


def test_lists_are_scoped(admin_as, place, actors, org, voting):
    other = PropertyAreaFactory(community=org.sibling_community, name="二居区域")
    response = admin_as(actors.other_worker).get(
        reverse("admin:property_governance_propertyarea_changelist")
    )
    assert [a.name for a in response.context["cl"].result_list] == [other.name]
    response = admin_as(actors.other_worker).get(
        reverse("admin:property_governance_election_change", args=[voting.pk])
    )
    assert response.status_code == 302  # not in scope: back to the admin index


def test_ballots_are_people_level(admin_as, place, actors, voting):
    services.election_vote(
        actor=place.alice, election=voting, candidates=[candidates(voting)[0].pk]
    )
    url = reverse("admin:property_governance_ballot_changelist")
    assert len(admin_as(actors.worker).get(url).context["cl"].result_list) == 1
    assert admin_as(actors.district_leader).get(url).status_code == 403


def test_area_is_created_through_the_service(admin_as, place, actors, org):
    compound = CompoundFactory(community=org.community, name="新建小区")
    client = admin_as(actors.worker)
    response = client.post(
        reverse("admin:property_governance_propertyarea_add"),
        {"community": org.community.pk, "name": "新建区域", "compounds": [compound.pk]},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert PropertyArea.objects.get(name="新建区域").compounds.get() == compound
    response = client.post(
        reverse("admin:property_governance_propertyarea_add"),
        {"community": org.community.pk, "name": "重复", "compounds": [compound.pk]},
    )
    assert response.status_code == 200 and not PropertyArea.objects.filter(name="重复").exists()


def test_election_actions(admin_as, place, actors, election):
    client = admin_as(actors.worker)
    act(client, "election", "publish_candidates_selected", [election])
    response = act(client, "election", "open_voting_selected", [election])
    assert response.status_code == 200  # the intermediate form
    act(client, "election", "open_voting_selected", [election], apply="1", closes_at="")
    election.refresh_from_db()
    assert election.status == "voting"
    services.election_vote(
        actor=place.alice, election=election, candidates=[candidates(election)[0].pk]
    )
    with time_machine.travel(election.closes_at + datetime.timedelta(minutes=1), tick=False):
        act(client, "election", "count_selected", [election])
    election.refresh_from_db()
    assert election.status == "counted" and election.committee is not None
    response = act(client, "election", "export_selected", [election])
    assert load_workbook(io.BytesIO(response.content)).sheetnames == ["概况", "候选人", "投票户"]


def test_cancel_action_needs_a_reason(admin_as, place, actors, election):
    client = admin_as(actors.worker)
    act(client, "election", "cancel_selected", [election], apply="1", reason="")
    election.refresh_from_db()
    assert election.status == "draft"
    act(client, "election", "cancel_selected", [election], apply="1", reason="候选人不足")
    election.refresh_from_db()
    assert election.status == "cancelled" and election.cancel_reason == "候选人不足"


def test_merge_and_contract_actions(admin_as, place, actors, org):
    client = admin_as(actors.worker)
    committees = [OwnersCommitteeFactory(area=a) for a in (place.area, place.area_b)]
    today = timezone.localdate()
    act(
        client,
        "propertyarea",
        "merge_selected",
        [place.area, place.area_b],
        apply="1",
        name="望春里物业管理区域",
        merged_on=str(today),
        reason="联小建大",
    )
    merge = Merge.objects.get(kind="area")
    act(
        client,
        "ownerscommittee",
        "merge_selected",
        committees,
        apply="1",
        area=merge.after_area.pk,
        merged_on=str(today),
        term_starts_on=str(today),
        term_ends_on=str(today + datetime.timedelta(days=1825)),
        reason="两个业委会合并",
    )
    assert OwnersCommittee.objects.filter(status="merged").count() == 2
    contract = current_contract(merge.after_area, PropertyCompanyFactory(street=org.street))
    act(
        client,
        "propertycontract",
        "end_selected",
        [contract],
        apply="1",
        ended_on=str(today),
        reason="合同到期",
    )
    contract.refresh_from_db()
    assert contract.status == PropertyContract.Status.ENDED


def test_workers_do_not_keep_the_company_register(admin_as, org, actors):
    response = admin_as(actors.worker).post(
        reverse("admin:property_governance_propertycompany_add"),
        {"street": org.street.pk, "name": "某物业", "credit_code": "91310000MA1K000009"},
    )
    assert response.status_code == 403
    assert not PropertyCompany.objects.exists()
    response = admin_as(actors.street_admin).post(
        reverse("admin:property_governance_propertycompany_add"),
        {"street": org.street.pk, "name": "某物业", "credit_code": "91310000MA1K000009"},
    )
    assert response.status_code == 302 and PropertyCompany.objects.count() == 1


def test_nothing_is_deleted(admin_as, actors, election):
    response = admin_as(actors.worker).get(
        reverse("admin:property_governance_election_delete", args=[election.pk])
    )
    assert response.status_code == 403
    assert Election.objects.filter(pk=election.pk).exists()


def test_contract_election_and_selection_are_added_through_the_services(
    admin_as, place, actors, org
):
    client = admin_as(actors.worker)
    company, other = (PropertyCompanyFactory(street=org.street) for _ in range(2))
    today = timezone.localdate()
    response = client.post(
        reverse("admin:property_governance_propertycontract_add"),
        {
            "area": place.area.pk,
            "company": company.pk,
            "starts_on": str(today),
            "ends_on": str(today + datetime.timedelta(days=1095)),
            "chosen_by": "early_stage",
            "residential": "2.40",
            "commercial": "",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    contract = PropertyContract.objects.get()
    assert [str(f.yuan_per_m2_month) for f in contract.fees.all()] == ["2.40"]
    # No fee at all: the service's refusal is shown on the form, nothing written.
    response = client.post(
        reverse("admin:property_governance_propertycontract_add"),
        {
            "area": place.area_b.pk,
            "company": company.pk,
            "starts_on": str(today),
            "ends_on": str(today + datetime.timedelta(days=9)),
            "chosen_by": "early_stage",
        },
    )
    assert response.status_code == 200 and PropertyContract.objects.count() == 1

    closes = timezone.localtime() + datetime.timedelta(days=7)
    response = client.post(
        reverse("admin:property_governance_election_add"),
        {
            "area": place.area.pk,
            "title": "第一届业委会选举",
            "seats": 3,
            "closes_at_0": closes.strftime("%Y-%m-%d"),
            "closes_at_1": closes.strftime("%H:%M:%S"),
            "term_starts_on": str(today),
            "term_ends_on": str(today + datetime.timedelta(days=1825)),
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Election.objects.get().created_by == actors.worker

    response = client.post(
        reverse("admin:property_governance_propertyselection_add"),
        {
            "area": place.area.pk,
            "title": "物业选聘",
            "companies": [company.pk, other.pk],
            "opens_at_0": closes.strftime("%Y-%m-%d"),
            "opens_at_1": "08:00:00",
            "closes_at_0": (closes + datetime.timedelta(days=7)).strftime("%Y-%m-%d"),
            "closes_at_1": "20:00:00",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    from property_governance.models import PropertySelection

    selection = PropertySelection.objects.get()
    assert selection.consultation.one_per == "household"
    assert selection.candidates.count() == 2
