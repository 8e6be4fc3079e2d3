"""Every step of a case from its admin page: the buttons shown (legal move and rule), each form
calling its service, refusals on the form's fields with nothing written, other communities'
workers refused, the read-only lists and the logged agreement download."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from disputes.models import (
    DisputeAccessLog,
    DisputeCase,
    DisputeCaseEvent,
    DisputeMediator,
    DisputeParty,
    DisputeSession,
)
from tests.factories.disputes import agreement_upload, case_in

pytestmark = pytest.mark.django_db
S = DisputeCase.Status


def step_url(case, step):
    return reverse("admin:disputes_disputecase_step", args=[case.pk, step])


def change_url(case):
    return reverse("admin:disputes_disputecase_change", args=[case.pk])


def steps_on_page(client, case):
    page = client.get(change_url(case))
    assert page.status_code == 200
    return {url.rstrip("/").rsplit("/", 1)[-1] for url, _label in page.context["case_steps"]}


def events(case):
    return DisputeCaseEvent.objects.filter(case=case).count()


@pytest.fixture
def mediating(org, actors, people):
    return case_in(S.MEDIATING, actor=actors.worker, owner=people.owner, community=org.community)


def test_the_page_offers_only_legal_steps(client, org, actors, people):
    client.force_login(actors.worker)
    intake = case_in(S.INTAKE, actor=actors.worker, owner=people.owner, community=org.community)
    assert steps_on_page(client, intake) == {"assign", "add_party", "add_mediator", "cancel"}
    mediating = case_in(
        S.MEDIATING, actor=actors.worker, owner=people.owner, community=org.community
    )
    assert steps_on_page(client, mediating) == {
        "assign",
        "add_party",
        "add_mediator",
        "record_session",
        "record_outcome",
    }
    for step in steps_on_page(client, mediating):
        page = client.get(step_url(mediating, step))
        assert page.status_code == 200 and page.context["original"] == mediating, step
    resolved = case_in(S.RESOLVED, actor=actors.worker, owner=people.owner, community=org.community)
    assert steps_on_page(client, resolved) == {"record_followup"}
    done = case_in(S.FOLLOWED_UP, actor=actors.worker, owner=people.owner, community=org.community)
    assert steps_on_page(client, done) == {"close"}
    closed = case_in(S.CLOSED, actor=actors.worker, owner=people.owner, community=org.community)
    assert steps_on_page(client, closed) == set()
    # An illegal move typed by hand is refused and writes nothing.
    before = events(closed)
    assert client.get(step_url(closed, "record_session")).status_code == 403
    assert client.post(step_url(closed, "close")).status_code == 403
    assert client.get(step_url(closed, "nonsense")).status_code == 404
    assert events(closed) == before


def test_a_mediator_works_but_does_not_manage(client, org, actors, people, mediating):
    from disputes import services

    services.case_add_mediator(
        actor=actors.worker, case=mediating, user=actors.grid_leader, role="helper"
    )
    client.force_login(actors.grid_leader)
    assert steps_on_page(client, mediating) == {
        "add_party",
        "add_mediator",
        "record_session",
        "record_outcome",
    }
    assert client.get(step_url(mediating, "assign")).status_code == 403
    response = client.post(step_url(mediating, "assign"), {"owner": actors.worker.pk})
    assert response.status_code == 403
    mediating.refresh_from_db()
    assert mediating.owner == people.owner


def test_add_a_resident_party_and_an_organisation(client, org, actors, people, mediating):
    client.force_login(actors.worker)
    page = client.get(step_url(mediating, "add_party"))
    residents = set(page.context["form"].fields["resident"].queryset)
    assert residents == {people.zhang, people.li}  # not the other community's resident
    response = client.post(step_url(mediating, "add_party"), {"resident": people.zhang.pk})
    assert response.status_code == 302 and response["Location"] == change_url(mediating)
    response = client.post(
        step_url(mediating, "add_party"),
        {"org_name": "某物业公司", "org_kind": "property_company", "note": "维修费用"},
    )
    assert response.status_code == 302
    parties = DisputeParty.objects.filter(case=mediating)
    assert {p.name for p in parties} == {"张三丰", "某物业公司"}
    page = client.get(change_url(mediating))
    assert "某物业公司" in page.content.decode()


def test_bad_party_forms_write_nothing(client, org, actors, people, mediating):
    client.force_login(actors.worker)
    before = events(mediating)
    for data, field in (
        ({}, "org_name"),  # neither a resident nor an organisation
        ({"org_name": "业委会"}, "org_kind"),  # organisation without its kind
        ({"resident": people.zhang.pk, "org_name": "业委会"}, "resident"),  # both
        ({"resident": people.outsider.pk}, "resident"),  # not a choice
    ):
        page = client.post(step_url(mediating, "add_party"), data)
        assert page.status_code == 200 and field in page.context["form"].errors, data
    assert not DisputeParty.objects.exists() and events(mediating) == before


def test_add_mediators_by_account_and_by_name(client, org, actors, people, mediating):
    client.force_login(actors.worker)
    page = client.get(step_url(mediating, "add_mediator"))
    accounts = set(page.context["form"].fields["user"].queryset)
    assert {actors.worker, people.owner, actors.street_admin, actors.grid_leader} <= accounts
    assert actors.other_worker not in accounts and actors.foreign_admin not in accounts
    response = client.post(
        step_url(mediating, "add_mediator"), {"user": actors.grid_leader.pk, "role": "mediator"}
    )
    assert response.status_code == 302
    response = client.post(
        step_url(mediating, "add_mediator"), {"name": "王律师", "role": "legal_officer"}
    )
    assert response.status_code == 302
    rows = DisputeMediator.objects.filter(case=mediating)
    assert {(m.user_id, m.role) for m in rows} == {
        (actors.grid_leader.pk, "mediator"),
        (None, "legal_officer"),
    }
    # The grid leader, now a mediator with an account, may read and work the case.
    client.force_login(actors.grid_leader)
    assert "record_session" in steps_on_page(client, mediating)


def test_bad_mediator_forms_write_nothing(client, org, actors, people, mediating):
    client.force_login(actors.worker)
    for data, field in (
        ({"role": "mediator"}, "name"),
        ({"name": "王律师"}, "role"),
        ({"user": actors.other_worker.pk, "role": "mediator"}, "user"),
    ):
        page = client.post(step_url(mediating, "add_mediator"), data)
        assert page.status_code == 200 and field in page.context["form"].errors, data
    client.post(step_url(mediating, "add_mediator"), {"name": "王律师", "role": "helper"})
    page = client.post(
        step_url(mediating, "add_mediator"), {"user": actors.worker.pk, "role": "mediator"}
    )
    assert page.status_code == 302
    page = client.post(
        step_url(mediating, "add_mediator"), {"user": actors.worker.pk, "role": "helper"}
    )
    # The service refuses a second time (a conflict names no field): shown above the form.
    assert page.status_code == 200 and page.context["form"].non_field_errors()
    assert DisputeMediator.objects.filter(case=mediating).count() == 2


def test_record_a_session(client, org, actors, people, mediating):
    client.force_login(actors.worker)
    data = {
        "held_on": "2026-01-10",
        "place": "居委会调解室",
        "attendance": "张三丰、李四海、调解员",
        "notes": "双方同意分担维修费用。",
    }
    before = events(mediating)
    for missing in ("held_on", "place", "attendance", "notes"):
        page = client.post(
            step_url(mediating, "record_session"), {k: v for k, v in data.items() if k != missing}
        )
        assert page.status_code == 200 and missing in page.context["form"].errors
    future = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    page = client.post(step_url(mediating, "record_session"), {**data, "held_on": future})
    assert page.status_code == 200 and "held_on" in page.context["form"].errors
    assert not DisputeSession.objects.exists() and events(mediating) == before
    response = client.post(step_url(mediating, "record_session"), data)
    assert response.status_code == 302
    session = DisputeSession.objects.get(case=mediating)
    assert session.recorded_by == actors.worker and session.place == "居委会调解室"
    assert events(mediating) == before + 1


def test_record_an_agreement_with_the_signed_copy(client, org, actors, people, mediating):
    client.force_login(actors.worker)
    url = step_url(mediating, "record_outcome")
    page = client.post(url, {"outcome": "agreement"})
    assert page.status_code == 200 and "agreement_file" in page.context["form"].errors
    bad = SimpleUploadedFile("x.exe", b"MZ", content_type="application/octet-stream")
    page = client.post(url, {"outcome": "agreement", "agreement_file": bad})
    assert page.status_code == 200 and "agreement_file" in page.context["form"].errors
    mediating.refresh_from_db()
    assert mediating.status == S.MEDIATING and not mediating.agreement_file
    response = client.post(url, {"outcome": "agreement", "agreement_file": agreement_upload()})
    assert response.status_code == 302
    mediating.refresh_from_db()
    assert mediating.status == S.RESOLVED and mediating.outcome == "agreement"
    assert mediating.agreement_file and mediating.followup_due_at is not None


def test_record_a_referral_or_a_withdrawal(client, org, actors, people):
    client.force_login(actors.worker)
    referred = case_in(
        S.MEDIATING, actor=actors.worker, owner=people.owner, community=org.community
    )
    url = step_url(referred, "record_outcome")
    before = events(referred)
    for data, field in (
        ({"outcome": "referred", "note": "涉及工程质量"}, "referred_to_kind"),
        (
            {"outcome": "referred", "note": "涉及工程质量", "referred_to_kind": "court"},
            "referred_to",
        ),
        ({"outcome": "referred", "referred_to_kind": "court", "referred_to": "区法院"}, "note"),
        ({"outcome": "withdrawn", "note": "撤回", "referred_to": "区法院"}, "referred_to_kind"),
        ({"outcome": "settled"}, "outcome"),
    ):
        page = client.post(url, data)
        assert page.status_code == 200 and field in page.context["form"].errors, data
    referred.refresh_from_db()
    assert referred.status == S.MEDIATING and events(referred) == before
    response = client.post(
        url,
        {
            "outcome": "referred",
            "note": "涉及工程质量鉴定",
            "referred_to_kind": "court",
            "referred_to": "某区人民法院",
        },
    )
    assert response.status_code == 302
    referred.refresh_from_db()
    assert (referred.status, referred.referred_to_kind) == (S.RESOLVED, "court")
    withdrawn = case_in(
        S.MEDIATING, actor=actors.worker, owner=people.owner, community=org.community
    )
    response = client.post(
        step_url(withdrawn, "record_outcome"), {"outcome": "withdrawn", "note": "双方和解"}
    )
    assert response.status_code == 302
    withdrawn.refresh_from_db()
    assert withdrawn.status == S.RESOLVED and withdrawn.outcome == "withdrawn"


def test_followup_then_close(client, org, actors, people):
    case = case_in(S.RESOLVED, actor=actors.worker, owner=people.owner, community=org.community)
    client.force_login(actors.worker)
    page = client.post(step_url(case, "record_followup"), {"note": ""})
    assert page.status_code == 200 and "note" in page.context["form"].errors
    assert client.post(step_url(case, "record_followup"), {"note": "已履行"}).status_code == 302
    case.refresh_from_db()
    assert case.status == S.FOLLOWED_UP and case.followup_on_time is True
    # Closing only confirms: GET shows the page, POST closes.
    assert client.get(step_url(case, "close")).status_code == 200
    case.refresh_from_db()
    assert case.status == S.FOLLOWED_UP
    assert client.post(step_url(case, "close")).status_code == 302
    case.refresh_from_db()
    assert case.status == S.CLOSED


def test_assign_and_cancel_from_the_page(client, org, actors, people):
    client.force_login(actors.worker)
    case = case_in(S.INTAKE, actor=actors.worker, owner=people.owner, community=org.community)
    page = client.get(step_url(case, "assign"))
    owners = set(page.context["form"].fields["owner"].queryset)
    assert people.owner in owners and actors.other_worker not in owners
    assert actors.grid_leader not in owners
    page = client.post(step_url(case, "assign"), {})
    assert page.status_code == 200 and "owner" in page.context["form"].errors
    assert client.post(step_url(case, "assign"), {"owner": people.owner.pk}).status_code == 302
    case.refresh_from_db()
    assert case.status == S.MEDIATING and case.owner == people.owner
    other = case_in(S.INTAKE, actor=actors.worker, owner=people.owner, community=org.community)
    page = client.post(step_url(other, "cancel"), {"reason": ""})
    assert page.status_code == 200 and "reason" in page.context["form"].errors
    assert client.post(step_url(other, "cancel"), {"reason": "重复登记"}).status_code == 302
    other.refresh_from_db()
    assert other.status == S.CANCELLED and other.cancel_reason == "重复登记"


@pytest.mark.parametrize(
    "step,data",
    [
        ("add_party", {"org_name": "业委会", "org_kind": "owners_committee"}),
        ("add_mediator", {"name": "王律师", "role": "helper"}),
        (
            "record_session",
            {"held_on": "2026-01-10", "place": "调解室", "attendance": "双方", "notes": "记录"},
        ),
        ("record_outcome", {"outcome": "withdrawn", "note": "撤回"}),
        ("assign", {"owner": 0}),
    ],
)
def test_other_communities_are_refused(client, org, actors, people, mediating, step, data):
    """A worker of another community (and a district leader) cannot reach the case at all: 404;
    a resident's account is not staff: sent to the admin's sign-in."""
    data = {**data, "owner": people.owner.pk} if step == "assign" else data
    before = events(mediating)
    for user in (actors.other_worker, actors.foreign_admin, actors.district_leader):
        client.force_login(user)
        assert client.get(step_url(mediating, step)).status_code == 404
        assert client.post(step_url(mediating, step), data).status_code == 404
    client.force_login(actors.resident)
    assert client.post(step_url(mediating, step), data).status_code == 302
    mediating.refresh_from_db()
    assert mediating.status == S.MEDIATING and events(mediating) == before
    assert not DisputeParty.objects.exists() and not DisputeSession.objects.exists()
    assert not DisputeMediator.objects.exists()


def test_a_grid_leader_reads_their_grid_but_may_not_work_it(client, org, actors, people):
    case = case_in(
        S.MEDIATING,
        actor=actors.worker,
        owner=people.owner,
        community=org.community,
        grid=org.grid,
    )
    client.force_login(actors.grid_leader)
    assert steps_on_page(client, case) == set()
    response = client.post(step_url(case, "add_mediator"), {"name": "王律师", "role": "helper"})
    assert response.status_code == 403
    assert not DisputeMediator.objects.exists()


def test_the_case_page_lists_and_logs(client, org, actors, people, settings):
    case = case_in(S.MEDIATING, actor=actors.worker, owner=people.owner, community=org.community)
    from disputes import services

    services.case_add_party(actor=actors.worker, case=case, resident=people.zhang)
    services.case_add_mediator(actor=actors.worker, case=case, name="王律师", role="helper")
    services.case_record_session(
        actor=actors.worker,
        case=case,
        held_on=datetime.date(2026, 1, 10),
        place="调解室",
        attendance="双方",
        notes="第一次调解",
    )
    services.case_record_outcome(
        actor=actors.worker, case=case, outcome="agreement", agreement_file=agreement_upload()
    )
    client.force_login(actors.worker)
    page = client.get(change_url(case))
    body = page.content.decode()
    for shown in ("张三丰", "王律师", "第一次调解", "step/record_followup/"):
        assert shown in body, shown
    download = reverse("admin:disputes_disputecase_agreement", args=[case.pk])
    assert download in body and "/media" not in body and "-private" not in body
    # Every inline is read-only: nothing on the page is a form row of an inline.
    inlines = page.context["inline_admin_formsets"]
    assert len(inlines) == 4
    assert not any(fs.has_add_permission or fs.has_change_permission for fs in inlines)
    assert DisputeAccessLog.objects.filter(case=case, action="view", channel="admin").count() == 1
    # Step pages and refused posts are not reads of the file; the download is, logged.
    client.get(step_url(case, "record_followup"))
    assert DisputeAccessLog.objects.filter(case=case).count() == 1
    settings.DEBUG = True
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    log = DisputeAccessLog.objects.get(case=case, action="download")
    assert (log.user, log.channel) == (actors.worker, "admin")
    for user in (actors.other_worker, actors.district_leader):
        client.force_login(user)
        assert client.get(download).status_code == 404
    assert DisputeAccessLog.objects.filter(case=case).count() == 2


def test_no_agreement_no_download(client, org, actors, people, mediating):
    client.force_login(actors.worker)
    url = reverse("admin:disputes_disputecase_agreement", args=[mediating.pk])
    assert client.get(url).status_code == 404
    assert not DisputeAccessLog.objects.filter(action="download").exists()
