"""The cadres' review in the admin: scoped lists, the draft through the services, cadres added
and removed, the workflow actions, results on the page (per cadre for street admins only),
who took part without scores, and no admin at all for the score counters."""

import datetime
import io

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from openpyxl import load_workbook

from cadres import services
from cadres.models import Cadre, Participation, ReviewRound

from .conftest import vote_all

pytestmark = pytest.mark.django_db


def management(response, **overrides):
    """The management-form data of every inline on an admin page, as the browser sends it."""
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name, field in formset.management_form.fields.items():
            data[f"{formset.prefix}-{name}"] = (
                formset.management_form.initial.get(name, field.initial) or 0
            )
    data.update(overrides)
    return data


def local(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%d %H:%M:%S")


@pytest.fixture
def admin_as(client):
    def _as(user):
        client.force_login(user)
        return client

    return _as


@pytest.mark.parametrize("who", ["worker", "grid_leader", "street_admin", "district_leader"])
def test_staff_open_the_round_list(admin_as, draft, actors, who):
    response = admin_as(getattr(actors, who)).get(reverse("admin:cadres_reviewround_changelist"))
    assert response.status_code == 200
    assert [r.pk for r in response.context["cl"].result_list] == [draft.pk]


def test_other_community_sees_nothing(admin_as, draft, actors):
    response = admin_as(actors.other_worker).get(reverse("admin:cadres_reviewround_changelist"))
    assert list(response.context["cl"].result_list) == []
    url = reverse("admin:cadres_reviewround_change", args=[draft.pk])
    assert admin_as(actors.other_worker).get(url).status_code == 302  # "not found" redirect


def test_worker_creates_a_round_and_lists_cadres(admin_as, org, actors):
    client = admin_as(actors.worker)
    now = timezone.now()
    add = client.get(reverse("admin:cadres_reviewround_add"))
    data = management(
        add,
        community=org.community.pk,
        year=2026,
        title="",
        description="",
        opens_at_0=local(now)[:10],
        opens_at_1=local(now)[11:],
        closes_at_0=local(now + datetime.timedelta(days=9))[:10],
        closes_at_1=local(now + datetime.timedelta(days=9))[11:],
    )
    response = client.post(reverse("admin:cadres_reviewround_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    r = ReviewRound.objects.get()
    assert r.created_by == actors.worker and r.status == "draft"
    # The same year again: the service's answer on the year field.
    response = client.post(reverse("admin:cadres_reviewround_add"), data)
    assert response.status_code == 200
    assert "该居民区本年度已有测评。" in str(response.context["adminform"].form.errors)
    # Cadres through their own admin (a draft's only).
    response = client.post(
        reverse("admin:cadres_cadre_add"),
        {"round": r.pk, "name": "张书记", "body": "party_branch", "post": "书记"},
    )
    assert response.status_code == 302
    cadre = Cadre.objects.get()
    assert cadre.position == 1
    response = client.post(
        reverse("admin:cadres_cadre_add"),
        {"round": r.pk, "name": "张书记", "body": "party_branch", "post": "书记"},
    )
    assert response.status_code == 200 and Cadre.objects.count() == 1
    client.post(reverse("admin:cadres_cadre_delete", args=[cadre.pk]), {"post": "yes"})
    assert not Cadre.objects.exists()


def test_actions_call_the_services(admin_as, draft, actors, voters):
    client = admin_as(actors.worker)
    changelist = reverse("admin:cadres_reviewround_changelist")
    client.post(changelist, {"action": "open_selected", "_selected_action": [draft.pk]})
    assert ReviewRound.objects.get().status == "open"
    vote_all(draft, voters[:5])
    client.post(changelist, {"action": "close_selected", "_selected_action": [draft.pk]})
    assert ReviewRound.objects.get().status == "closed"
    # Publishing is the street admin's: the worker's attempt is refused with a message.
    client.post(changelist, {"action": "publish_selected", "_selected_action": [draft.pk]})
    assert ReviewRound.objects.get().status == "closed"
    admin_as(actors.street_admin).post(
        changelist, {"action": "publish_selected", "_selected_action": [draft.pk]}
    )
    assert ReviewRound.objects.get().status == "published"


def test_cancel_asks_for_the_reason(admin_as, draft, actors):
    client = admin_as(actors.worker)
    changelist = reverse("admin:cadres_reviewround_changelist")
    page = client.post(changelist, {"action": "cancel_selected", "_selected_action": [draft.pk]})
    assert page.status_code == 200 and "原因" in page.content.decode()
    client.post(
        changelist,
        {
            "action": "cancel_selected",
            "_selected_action": [draft.pk],
            "apply": "1",
            "reason": "改期",
        },
    )
    r = ReviewRound.objects.get()
    assert r.status == "cancelled" and r.cancel_reason == "改期"


def test_results_on_the_page_by_role(admin_as, open_round, actors, voters):
    vote_all(open_round, voters[:5], [3, 2, 1])
    url = reverse("admin:cadres_reviewround_change", args=[open_round.pk])

    def results(user):
        response = admin_as(user).get(url)
        assert response.status_code == 200
        assert 'data-role="cadre-results"' in response.content.decode()
        return str(response.context["cadre_results"])

    assert "测评结束后才能查看结果" in results(actors.street_admin)
    services.round_close(actor=actors.worker, round=open_round)
    page = results(actors.street_admin)
    assert "李主任（居委会 主任）" in page and "两委整体" in page
    page = results(actors.worker)
    assert "两委整体" in page and "李主任" not in page
    page = results(actors.district_leader)
    assert "两委整体" in page and "李主任" not in page


def test_export_action_for_street_admins(admin_as, open_round, actors, voters):
    vote_all(open_round, voters[:5])
    services.round_close(actor=actors.worker, round=open_round)
    changelist = reverse("admin:cadres_reviewround_changelist")
    response = admin_as(actors.street_admin).post(
        changelist, {"action": "export_selected", "_selected_action": [open_round.pk]}
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert load_workbook(io.BytesIO(response.content)).sheetnames == ["概况", "结果"]
    response = admin_as(actors.worker).post(
        changelist, {"action": "export_selected", "_selected_action": [open_round.pk]}
    )
    assert response.status_code == 302  # a warning, no file


def test_participation_admin_shows_who_not_what(admin_as, open_round, actors, voters):
    vote_all(open_round, voters[:2])
    response = admin_as(actors.worker).get(reverse("admin:cadres_participation_changelist"))
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 2
    page = response.content.decode()
    assert voters[0].real_name in page and "满意" not in page
    assert Participation.objects.count() == 2
    # District and grid leaders never see names.
    for who in (actors.district_leader, actors.grid_leader, actors.other_worker):
        response = admin_as(who).get(reverse("admin:cadres_participation_changelist"))
        assert response.status_code == 403 or not response.context["cl"].result_list


def test_no_admin_for_score_counters():
    with pytest.raises(NoReverseMatch):
        reverse("admin:cadres_scoretally_changelist")


def test_an_open_rounds_cadres_cannot_be_removed(admin_as, open_round, actors):
    cadre = open_round.cadres.first()
    client = admin_as(actors.worker)
    response = client.post(reverse("admin:cadres_cadre_delete", args=[cadre.pk]), {"post": "yes"})
    assert response.status_code == 403
    changelist = reverse("admin:cadres_cadre_changelist")
    client.post(
        changelist, {"action": "delete_selected", "_selected_action": [cadre.pk], "post": "yes"}
    )
    assert open_round.cadres.count() == 3
