"""The cases API: who reads what (404 out of scope), the access log, no names in lists, every
verb's bad input (400 with the field, nothing written), the agreement download."""

import pytest
from django.urls import reverse
from django.utils import timezone

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


@pytest.fixture
def case(org, actors, people):
    c = case_in(S.MEDIATING, actor=actors.worker, owner=people.owner, community=org.community)
    c.grid = org.grid
    DisputeCase.objects.filter(pk=c.pk).update(grid=org.grid)
    from disputes import services

    services.case_add_party(actor=actors.worker, case=c, resident=people.zhang)
    services.case_add_mediator(actor=actors.worker, case=c, role="legal_officer", user=people.legal)
    return c


def _detail(api, user, case):
    api.force_authenticate(user)
    return api.get(reverse("dispute-case-detail", args=[case.pk]))


def test_who_reads_a_case_file(api, org, actors, people, case):
    readers = [
        actors.superuser,
        actors.street_admin,
        actors.worker,
        actors.grid_leader,  # the case is in their grid
        people.owner,
        people.legal,  # a mediator with an account, no staff role
    ]
    for user in readers:
        response = _detail(api, user, case)
        assert response.status_code == 200, user
        assert response.json()["parties"][0]["name"] == "张三丰"
    assert DisputeAccessLog.objects.filter(case=case, action="view", channel="api").count() == 6
    refused = [actors.district_leader, actors.other_worker, actors.foreign_admin, people.stranger]
    for user in refused:
        assert _detail(api, user, case).status_code == 404, user
    assert DisputeAccessLog.objects.count() == 6


def test_a_grid_leader_reads_only_their_grid_s_cases(api, org, actors, people):
    c = case_in(S.INTAKE, actor=actors.worker, owner=people.owner, community=org.community)
    assert _detail(api, actors.grid_leader, c).status_code == 404
    DisputeCase.objects.filter(pk=c.pk).update(grid=org.sibling_grid)
    assert _detail(api, actors.grid_leader, c).status_code == 404


def test_the_list_is_scoped_and_names_nobody(api, org, actors, people, case):
    api.force_authenticate(actors.worker)
    body = api.get(reverse("dispute-case-list")).json()
    assert body["count"] == 1 and body["results"][0]["party_count"] == 1
    assert "张三丰" not in str(body)
    assert not DisputeAccessLog.objects.exists()
    for user, count in (
        (actors.other_worker, 0),
        (actors.district_leader, 0),
        (people.legal, 1),
        (people.stranger, 0),
    ):
        api.force_authenticate(user)
        assert api.get(reverse("dispute-case-list")).json()["count"] == count, user


def test_followups_due_first(api, org, actors, people):
    mediating = case_in(
        S.MEDIATING, actor=actors.worker, owner=people.owner, community=org.community
    )
    resolved = case_in(S.RESOLVED, actor=actors.worker, owner=people.owner, community=org.community)
    api.force_authenticate(actors.worker)
    ids = [
        r["id"]
        for r in api.get(reverse("dispute-case-list"), {"followup_first": "true"}).json()["results"]
    ]
    assert ids == [resolved.pk, mediating.pk]


def _post(api, user, case, verb, data, **kwargs):
    api.force_authenticate(user)
    return api.post(reverse(f"dispute-case-{verb}", args=[case.pk]), data, **kwargs)


def test_open_and_every_verb_over_the_api(api, org, actors, people):
    api.force_authenticate(actors.worker)
    response = api.post(
        reverse("dispute-case-list"),
        {
            "community": org.community.pk,
            "category": "property",
            "summary": "物业费纠纷",
            "source": "referral",
            "referral_from": "信访办",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    case = DisputeCase.objects.get(pk=response.json()["id"])
    assert response.json()["actions"] == ["assign", "add_party", "add_mediator", "cancel"]
    steps = [
        ("assign", {"owner": people.owner.pk}),
        ("parties", {"org_name": "某物业", "org_kind": "property_company"}),
        ("mediators", {"name": "老调解员", "role": "mediator"}),
        (
            "sessions",
            {
                "held_on": timezone.localdate().isoformat(),
                "place": "调解室",
                "attendance": "双方",
                "notes": "调解",
            },
        ),
    ]
    for verb, data in steps:
        response = _post(api, actors.worker, case, verb, data, format="json")
        assert response.status_code == 200, (verb, response.json())
    response = _post(
        api,
        people.owner,
        case,
        "outcome",
        {"outcome": "agreement", "agreement_file": agreement_upload()},
        format="multipart",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["has_agreement_file"] is True
    response = _post(api, people.owner, case, "follow-up", {"note": "已履行"}, format="json")
    assert response.status_code == 200
    response = _post(api, actors.worker, case, "close", {}, format="json")
    assert response.json()["status"] == "closed"


@pytest.mark.parametrize(
    ("verb", "data", "field"),
    [
        ("assign", {}, "owner"),
        ("assign", {"owner": 999999}, "owner"),
        ("parties", {"org_name": "某物业"}, "org_kind"),
        ("parties", {"resident": 0}, "resident"),
        ("mediators", {"role": "boss", "name": "x"}, "role"),
        ("mediators", {"role": "mediator"}, "name"),
        (
            "sessions",
            {"held_on": "2020-13-01", "place": "x", "attendance": "x", "notes": "x"},
            "held_on",
        ),
        (
            "sessions",
            {"held_on": "2099-01-01", "place": "x", "attendance": "x", "notes": "x"},
            "held_on",
        ),
        (
            "sessions",
            {"held_on": "2024-01-01", "place": "", "attendance": "x", "notes": "x"},
            "place",
        ),
        ("outcome", {"outcome": "agreement"}, "agreement_file"),
        ("outcome", {"outcome": "referred", "note": "x"}, "referred_to_kind"),
        (
            "outcome",
            {"outcome": "referred", "note": "x", "referred_to_kind": "court"},
            "referred_to",
        ),
        ("outcome", {"outcome": "won"}, "outcome"),
        ("outcome", {"outcome": "withdrawn"}, "note"),
    ],
)
def test_bad_input_is_a_400_with_the_field_and_nothing_written(
    api, org, actors, people, case, verb, data, field
):
    before = (
        DisputeCaseEvent.objects.count(),
        DisputeParty.objects.count(),
        DisputeMediator.objects.count(),
        DisputeSession.objects.count(),
    )
    response = _post(api, actors.worker, case, verb, data, format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()["fields"], response.json()
    after = (
        DisputeCaseEvent.objects.count(),
        DisputeParty.objects.count(),
        DisputeMediator.objects.count(),
        DisputeSession.objects.count(),
    )
    assert after == before
    assert DisputeCase.objects.get(pk=case.pk).status == S.MEDIATING


def test_bad_agreement_file(api, org, actors, people, case):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("x.exe", b"MZ", content_type="application/octet-stream")
    response = _post(
        api,
        actors.worker,
        case,
        "outcome",
        {"outcome": "agreement", "agreement_file": upload},
        format="multipart",
    )
    assert response.status_code == 400 and "agreement_file" in response.json()["fields"]


def test_bad_open_and_cancel_input(api, org, actors, people):
    api.force_authenticate(actors.worker)
    for data, field in (
        (
            {
                "community": org.community.pk,
                "category": "x",
                "summary": "s",
                "source": "referral",
                "referral_from": "a",
            },
            "category",
        ),
        (
            {
                "community": org.sibling_community.pk,
                "category": "family",
                "summary": "s",
                "source": "referral",
                "referral_from": "a",
            },
            "community",
        ),
        (
            {
                "community": org.community.pk,
                "category": "family",
                "summary": "",
                "source": "referral",
                "referral_from": "a",
            },
            "summary",
        ),
        (
            {
                "community": org.community.pk,
                "category": "family",
                "summary": "s",
                "source": "visit",
            },
            "visit",
        ),
        (
            {
                "community": org.community.pk,
                "grid": org.other_community_grid.pk,
                "category": "family",
                "summary": "s",
                "source": "referral",
                "referral_from": "a",
            },
            "grid",
        ),
    ):
        response = api.post(reverse("dispute-case-list"), data, format="json")
        assert response.status_code == 400 and field in response.json()["fields"], (
            field,
            response.json(),
        )
    assert not DisputeCase.objects.exists()
    case = case_in(S.INTAKE, actor=actors.worker, owner=people.owner, community=org.community)
    response = _post(api, actors.worker, case, "cancel", {"reason": ""}, format="json")
    assert response.status_code == 400 and "reason" in response.json()["fields"]
    assert DisputeCase.objects.get(pk=case.pk).status == S.INTAKE


def test_other_community_s_worker_gets_404_on_every_verb(api, org, actors, people, case):
    for verb in (
        "assign",
        "parties",
        "mediators",
        "sessions",
        "outcome",
        "follow-up",
        "close",
        "cancel",
        "agreement",
    ):
        api.force_authenticate(actors.other_worker)
        url = reverse(f"dispute-case-{verb}", args=[case.pk])
        response = api.get(url) if verb == "agreement" else api.post(url, {}, format="json")
        assert response.status_code == 404, verb


def test_a_grid_leader_reads_but_may_not_assign(api, org, actors, people, case):
    response = _post(
        api, actors.grid_leader, case, "assign", {"owner": actors.worker.pk}, format="json"
    )
    assert response.status_code == 403


def test_the_agreement_download_is_logged(api, org, actors, people, settings):
    case = case_in(S.RESOLVED, actor=actors.worker, owner=people.owner, community=org.community)
    url = reverse("dispute-case-agreement", args=[case.pk])
    api.force_authenticate(people.owner)
    settings.DEBUG = False
    response = api.get(url)
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected/{case.agreement_file.name}"
    assert not response.content
    settings.DEBUG = True
    response = api.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    logs = DisputeAccessLog.objects.filter(case=case, action="download")
    assert logs.count() == 2 and {log.user for log in logs} == {people.owner}
    api.force_authenticate(actors.district_leader)
    assert api.get(url).status_code == 404
    assert logs.count() == 2
    # The private file has no public URL.
    with pytest.raises(ValueError):
        case.agreement_file.url  # noqa: B018
