"""Covenants in the admin: scoped lists, drafting through the services, the workflow as
actions (with their forms), signatures and the fund's ledger within scope; who may NOT."""

import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django.utils import timezone

from covenants import services
from covenants.models import Covenant, CovenantComment, FundEntry, Signature
from tests.factories.covenants import CovenantFactory, to_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_as(client):
    def _as(user):
        client.force_login(user)
        return client

    return _as


def management(response, **overrides):
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name, field in formset.management_form.fields.items():
            data[f"{formset.prefix}-{name}"] = (
                formset.management_form.initial.get(name, field.initial) or 0
            )
    data.update(overrides)
    return data


def _action(client, model, action, pks, **form):
    url = reverse(f"admin:covenants_{model}_changelist")
    data = {"action": action, ACTION_CHECKBOX_NAME: [str(pk) for pk in pks], **form}
    return client.post(url, data)


@pytest.mark.parametrize("who", ["worker", "grid_leader", "street_admin", "district_leader"])
def test_staff_open_the_lists(admin_as, org, actors, who):
    to_state(CovenantFactory(community=org.community), actors.worker, "discussion")
    client = admin_as(getattr(actors, who))
    for model in ("covenant", "signature", "fundentry", "covenantcomment"):
        response = client.get(reverse(f"admin:covenants_{model}_changelist"))
        # Who signed and the money per household name households: people-level staff only.
        names = model in ("signature", "fundentry")
        expected = 403 if names and who == "district_leader" else 200
        assert response.status_code == expected, (who, model)


def test_the_list_is_scoped(admin_as, org, actors):
    to_state(
        CovenantFactory(community=org.community, title="本居公约"), actors.worker, "discussion"
    )
    CovenantFactory(community=org.sibling_community, title="二居公约")
    response = admin_as(actors.worker).get(reverse("admin:covenants_covenant_changelist"))
    assert [c.title for c in response.context["cl"].result_list] == ["本居公约"]
    response = admin_as(actors.other_worker).get(reverse("admin:covenants_covenant_changelist"))
    assert [c.title for c in response.context["cl"].result_list] == ["二居公约"]


def test_worker_drafts_and_walks_the_path_in_the_admin(admin_as, org, actors, place):
    client = admin_as(actors.worker)
    add = client.get(reverse("admin:covenants_covenant_add"))
    response = client.post(
        reverse("admin:covenants_covenant_add"),
        management(
            add,
            audience="community",
            community=org.community.pk,
            title="垃圾分类公约",
            origin="worker",
            text_html="<p>按时定点投放</p>",
            fund_purpose="",
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    covenant = Covenant.objects.get(title="垃圾分类公约")
    assert covenant.created_by == actors.worker
    closes = (timezone.localtime() + datetime.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    page = _action(client, "covenant", "open_discussion", [covenant.pk])
    assert page.status_code == 200 and "讨论截止时间" in page.content.decode()
    _action(client, "covenant", "open_discussion", [covenant.pk], apply="1", closes_at=closes)
    covenant.refresh_from_db()
    assert covenant.status == "discussion"
    _action(
        client,
        "covenant",
        "open_signing",
        [covenant.pk],
        apply="1",
        closes_at=closes,
        method="sign_on",
        threshold_basis="eligible",
        threshold_numerator=1,
        threshold_denominator=3,
    )
    covenant.refresh_from_db()
    assert covenant.status == "signing"
    services.covenant_sign(actor=place.alice, covenant=covenant)
    _action(
        client,
        "covenant",
        "paper_signature",
        [covenant.pk],
        apply="1",
        resident=str(place.sun.pk),
        choice="",
        note="上门签署",
    )
    paper = Signature.objects.get(channel="paper")
    assert paper.entered_by == actors.worker and paper.household == place.home_2
    _action(client, "covenant", "decide", [covenant.pk], apply="1", effective_on="")
    covenant.refresh_from_db()
    assert covenant.status == "in_force"
    _action(
        client,
        "covenant",
        "amend",
        [covenant.pk],
        apply="1",
        text_html="<p>按时定点投放，违者公示</p>",
        change_summary="增加公示条款",
    )
    covenant.refresh_from_db()
    assert covenant.current_version.number == 2
    _action(client, "covenant", "cancel", [covenant.pk], apply="1", reason="暂缓修订")
    _action(client, "covenant", "repeal", [covenant.pk], apply="1", reason="并入新的公约")
    covenant.refresh_from_db()
    assert covenant.status == "repealed" and covenant.repeal_reason == "并入新的公约"
    page = client.get(reverse("admin:covenants_covenant_change", args=[covenant.pk]))
    assert page.status_code == 200 and "按时定点投放" in page.content.decode()


def test_refusals_are_reported_not_applied(admin_as, org, actors):
    covenant = CovenantFactory(community=org.community)
    client = admin_as(actors.worker)
    response = _action(client, "covenant", "repeal", [covenant.pk], apply="1", reason="x")
    assert response.status_code == 302
    covenant.refresh_from_db()
    assert covenant.status == "draft"


def test_grid_leader_cannot_move_a_covenant(admin_as, org, actors):
    covenant = to_state(CovenantFactory(community=org.community), actors.worker, "discussion")
    client = admin_as(actors.grid_leader)
    _action(client, "covenant", "cancel", [covenant.pk], apply="1", reason="x")
    covenant.refresh_from_db()
    assert covenant.status == "discussion"
    assert client.get(reverse("admin:covenants_covenant_add")).status_code == 403


def test_fund_ledger_and_reversal_in_the_admin(admin_as, org, actors, place):
    covenant = to_state(
        CovenantFactory(community=org.community, collects_funds=True), actors.worker, "signing"
    )
    client = admin_as(actors.worker)
    response = client.post(
        reverse("admin:covenants_fundentry_add"),
        {
            "covenant": covenant.pk,
            "household": place.home_1.pk,
            "kind": "receipt",
            "amount": "1200.00",
            "reason": "",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = FundEntry.objects.get()
    assert entry.entered_by == actors.worker
    _action(client, "fundentry", "reverse_selected", [entry.pk], apply="1", reason="录错户")
    assert FundEntry.objects.filter(kind="reversal", reverses=entry).exists()
    bad = client.post(
        reverse("admin:covenants_fundentry_add"),
        {"covenant": covenant.pk, "household": place.home_1.pk, "kind": "receipt", "amount": "0"},
    )
    assert bad.status_code == 200 and FundEntry.objects.count() == 2


def test_comment_moderation_in_the_admin(admin_as, org, actors, place):
    covenant = to_state(CovenantFactory(community=org.community), actors.worker, "discussion")
    comment = services.covenant_comment(actor=place.alice, covenant=covenant, body="广告")
    client = admin_as(actors.worker)
    _action(client, "covenantcomment", "hide_selected", [comment.pk], apply="1", reason="广告")
    comment.refresh_from_db()
    assert comment.hidden and comment.hidden_reason == "广告"
    _action(client, "covenantcomment", "restore_selected", [comment.pk])
    assert not CovenantComment.objects.get().hidden
