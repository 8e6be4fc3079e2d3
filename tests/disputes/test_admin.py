"""Disputes in the admin: scoped rows, intake and sweeps through the services, the case page
logs the read, actions call the services (cancel asks for a reason), the access log for street
admins only."""

import pytest
from django.contrib.admin import helpers
from django.urls import reverse

from disputes.models import DisputeAccessLog, DisputeCase, DisputeSetting, DisputeSweep
from tests.factories.disputes import case_in

pytestmark = pytest.mark.django_db
S = DisputeCase.Status
CHANGELIST = "admin:disputes_disputecase_changelist"


def test_case_pages_are_scoped_and_log_the_read(client, org, actors, people):
    case = case_in(S.RESOLVED, actor=actors.worker, owner=people.owner, community=org.community)
    client.force_login(actors.worker)
    assert client.get(reverse(CHANGELIST)).status_code == 200
    page = client.get(reverse("admin:disputes_disputecase_change", args=[case.pk]))
    assert page.status_code == 200
    assert (
        DisputeAccessLog.objects.filter(case=case, channel="admin", user=actors.worker).count() == 1
    )
    for user in (actors.other_worker, actors.district_leader):
        client.force_login(user)
        page = client.get(reverse("admin:disputes_disputecase_change", args=[case.pk]))
        assert page.status_code in (302, 403, 404)
        listing = client.get(reverse(CHANGELIST))
        assert listing.status_code == 403 or case.summary not in listing.content.decode()
    assert DisputeAccessLog.objects.count() == 1


def test_intake_through_the_admin(client, org, actors):
    client.force_login(actors.worker)
    response = client.post(
        reverse("admin:disputes_disputecase_add"),
        {
            "community": org.community.pk,
            "category": "family",
            "risk_level": "medium",
            "summary": "赡养纠纷",
            "source": "referral",
            "referral_from": "司法所",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    case = DisputeCase.objects.get()
    assert case.opened_by == actors.worker and case.events.get().verb == "open"
    response = client.post(
        reverse("admin:disputes_disputesweep_add"),
        {"grid": org.grid.pk, "swept_on": "2026-01-05", "found_count": 0},
    )
    assert response.status_code == 302
    assert DisputeSweep.objects.get().found_count == 0


def test_cancel_action_asks_for_a_reason_then_calls_the_service(client, org, actors, people):
    case = case_in(S.INTAKE, actor=actors.worker, owner=people.owner, community=org.community)
    client.force_login(actors.worker)
    data = {"action": "cancel_cases", helpers.ACTION_CHECKBOX_NAME: [case.pk]}
    page = client.post(reverse(CHANGELIST), data)
    assert page.status_code == 200 and DisputeCase.objects.get().status == S.INTAKE
    client.post(reverse(CHANGELIST), {**data, "apply": "1", "reason": ""})
    assert DisputeCase.objects.get().status == S.INTAKE
    client.post(reverse(CHANGELIST), {**data, "apply": "1", "reason": "重复登记"})
    case.refresh_from_db()
    assert case.status == S.CANCELLED and case.cancel_reason == "重复登记"


def test_close_and_followup_actions(client, org, actors, people):
    case = case_in(S.RESOLVED, actor=actors.worker, owner=people.owner, community=org.community)
    client.force_login(actors.worker)
    data = {"action": "record_followups", helpers.ACTION_CHECKBOX_NAME: [case.pk]}
    client.post(reverse(CHANGELIST), {**data, "apply": "1", "reason": "已履行"})
    assert DisputeCase.objects.get().status == S.FOLLOWED_UP
    client.post(
        reverse(CHANGELIST), {"action": "close_cases", helpers.ACTION_CHECKBOX_NAME: [case.pk]}
    )
    assert DisputeCase.objects.get().status == S.CLOSED


def test_the_access_log_and_setting_are_street_admins(client, org, actors, people):
    case = case_in(S.INTAKE, actor=actors.worker, owner=people.owner, community=org.community)
    client.force_login(actors.worker)
    client.get(reverse("admin:disputes_disputecase_change", args=[case.pk]))
    log_url = reverse("admin:disputes_disputeaccesslog_changelist")
    assert client.get(log_url).status_code == 403
    client.force_login(actors.street_admin)
    page = client.get(log_url)
    assert page.status_code == 200 and page.context["cl"].result_count == 1
    client.force_login(actors.foreign_admin)
    assert client.get(log_url).context["cl"].result_count == 0
    client.force_login(actors.street_admin)
    response = client.post(
        reverse("admin:disputes_disputesetting_add"),
        {"street": org.street.pk, "followup_days": 10},
    )
    assert response.status_code == 302
    assert DisputeSetting.objects.get().followup_days == 10
    response = client.post(
        reverse("admin:disputes_disputesetting_add"),
        {"street": org.foreign_street.pk, "followup_days": 10},
    )
    assert response.status_code == 200 and DisputeSetting.objects.count() == 1


def test_assign_action_names_the_owner(client, org, actors, people):
    case = case_in(S.INTAKE, actor=actors.worker, owner=people.owner, community=org.community)
    client.force_login(actors.worker)
    data = {"action": "assign_owner", helpers.ACTION_CHECKBOX_NAME: [case.pk]}
    page = client.post(reverse(CHANGELIST), data)
    assert page.status_code == 200
    choices = {u.pk for u in page.context["form"].fields["owner"].queryset}
    assert people.owner.pk in choices and actors.other_worker.pk not in choices
    client.post(reverse(CHANGELIST), {**data, "apply": "1", "owner": people.owner.pk})
    case.refresh_from_db()
    assert case.status == S.MEDIATING and case.owner == people.owner


def test_export_writes_one_log_row_per_case(client, org, actors, people):
    import io

    from openpyxl import load_workbook

    cases = [
        case_in(S.MEDIATING, actor=actors.worker, owner=people.owner, community=org.community)
        for _ in range(2)
    ]
    from disputes import services

    services.case_add_party(actor=actors.worker, case=cases[0], resident=people.zhang)
    client.force_login(actors.worker)
    response = client.post(
        reverse(CHANGELIST),
        {"action": "export_cases", helpers.ACTION_CHECKBOX_NAME: [c.pk for c in cases]},
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 3 and "张三丰" in str(list(sheet.values))
    logs = DisputeAccessLog.objects.filter(action="export", user=actors.worker)
    assert sorted(logs.values_list("case_id", flat=True)) == sorted(c.pk for c in cases)


def test_district_leader_sees_no_dispute_model_on_the_admin_home(client, actors):
    client.force_login(actors.district_leader)
    response = client.get(reverse("admin:index"))
    labels = {app["app_label"] for app in response.context["app_list"]}
    assert "disputes" not in labels
    client.force_login(actors.worker)
    response = client.get(reverse("admin:index"))
    models = {m["object_name"] for a in response.context["app_list"] for m in a["models"]}
    assert {"DisputeCase", "DisputeSweep", "ReceptionDay"} <= models
    assert "DisputeAccessLog" not in models
