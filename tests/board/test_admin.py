"""The board in the admin: scoped lists with read and acknowledgement counts, drafting through
the services, actions (publish, withdraw and cancel with a reason, export), questions inline,
paper answers, results on the page; who may NOT."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from board import services
from board.models import Consultation, Notice, Question, Response
from tests.factories.board import ConsultationFactory, NoticeFactory, add_questions

from .conftest import answers

pytestmark = pytest.mark.django_db


def management(response, **overrides):
    """The management-form data of every inline on an admin page, as the browser sends it."""
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name, field in formset.management_form.fields.items():
            key = f"{formset.prefix}-{name}"
            data[key] = formset.management_form.initial.get(name, field.initial) or 0
        for n, form in enumerate(formset.initial_forms):
            data[f"{formset.prefix}-{n}-id"] = form.instance.pk
            data[f"{formset.prefix}-{n}-{formset.fk.name}"] = formset.instance.pk
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


# -- notices ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["worker", "grid_leader", "street_admin", "district_leader"])
def test_staff_open_the_notice_and_consultation_lists(admin_as, org, actors, who):
    NoticeFactory(community=org.community)
    client = admin_as(getattr(actors, who))
    for model in ("notice", "consultation"):
        assert client.get(reverse(f"admin:board_{model}_changelist")).status_code == 200, model


def test_the_notice_list_shows_read_and_ack_counts_in_scope(admin_as, org, actors, place):
    mine = NoticeFactory(community=org.community, requires_ack=True, title="停水通知")
    NoticeFactory(community=org.foreign_community, title="外区公告")
    mine = services.notice_publish(actor=actors.worker, notice=mine)
    services.notice_mark_read(actor=place.alice, notice=mine)
    services.notice_acknowledge(actor=place.bob, notice=mine)
    response = admin_as(actors.worker).get(reverse("admin:board_notice_changelist"))
    rows = list(response.context["cl"].result_list)
    assert [n.title for n in rows] == ["停水通知"]
    assert (rows[0].read_count, rows[0].ack_count) == (2, 1)
    page = response.content.decode()
    assert "阅读人数" in page and "确认人数" in page


def test_worker_drafts_publishes_and_withdraws_in_the_admin(admin_as, org, actors, place):
    client = admin_as(actors.worker)
    add = client.get(reverse("admin:board_notice_add"))
    data = management(
        add,
        audience="compound",
        compound=place.compound_a.pk,
        title="电梯维保通知",
        body="<p>周三电梯维保<script>x</script></p>",
        requires_ack="on",
    )
    response = client.post(reverse("admin:board_notice_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    notice = Notice.objects.get()
    assert notice.status == "draft" and notice.community == org.community
    assert "script" not in notice.body and notice.created_by == actors.worker
    changelist = reverse("admin:board_notice_changelist")
    client.post(changelist, {"action": "publish_selected", "_selected_action": [notice.pk]})
    assert Notice.objects.get().status == "published"
    # Withdraw asks for the reason first, then calls the service.
    page = client.post(changelist, {"action": "withdraw_selected", "_selected_action": [notice.pk]})
    assert page.status_code == 200 and "原因" in page.content.decode()
    client.post(
        changelist,
        {
            "action": "withdraw_selected",
            "_selected_action": [notice.pk],
            "apply": "1",
            "reason": "",
        },
    )
    assert Notice.objects.get().status == "published"
    client.post(
        changelist,
        {
            "action": "withdraw_selected",
            "_selected_action": [notice.pk],
            "apply": "1",
            "reason": "时间调整",
        },
    )
    notice = Notice.objects.get()
    assert notice.status == "withdrawn" and notice.withdraw_reason == "时间调整"


def test_admin_refusals_come_back_as_form_errors(admin_as, org, actors, place):
    client = admin_as(actors.worker)
    add = client.get(reverse("admin:board_notice_add"))
    data = management(add, audience="street", street=org.street.pk, title="t", body="<p>x</p>")
    response = client.post(reverse("admin:board_notice_add"), data)
    assert response.status_code == 200  # shown again with the refusal
    assert not Notice.objects.exists()


def test_unacknowledged_page_for_people_staff_only(admin_as, org, actors, place):
    notice = NoticeFactory(community=org.community, requires_ack=True)
    services.notice_publish(actor=actors.worker, notice=notice)
    page = reverse("admin:board_notice_unacknowledged", args=[notice.pk])
    response = admin_as(actors.worker).get(page)
    assert response.status_code == 200
    text = response.content.decode()
    assert "孙奶奶" in text and "139****5678" in text and "13912345678" not in text
    change = admin_as(actors.worker).get(reverse("admin:board_notice_change", args=[notice.pk]))
    assert page in change.content.decode()
    assert admin_as(actors.district_leader).get(page).status_code == 403
    assert admin_as(actors.other_worker).get(page).status_code == 404


# -- consultations ----------------------------------------------------------------------------


def test_worker_drafts_a_consultation_with_inline_questions(admin_as, org, actors):
    client = admin_as(actors.worker)
    add = client.get(reverse("admin:board_consultation_add"))
    now = timezone.now()
    data = management(
        add,
        audience="community",
        community=org.community.pk,
        kind="poll",
        title="选聘物业公司",
        opens_at_0=timezone.localtime(now).strftime("%Y-%m-%d"),
        opens_at_1=timezone.localtime(now).strftime("%H:%M:%S"),
        closes_at_0=timezone.localtime(now + datetime.timedelta(days=7)).strftime("%Y-%m-%d"),
        closes_at_1="20:00:00",
        one_per="household",
        results_visibility="after_close",
        **{
            "questions-TOTAL_FORMS": 2,
            "questions-0-kind": "single",
            "questions-0-text": "选择哪家物业？",
            "questions-0-options_text": "甲物业\n乙物业\n",
            "questions-0-required": "on",
            "questions-1-kind": "single",
            "questions-1-text": "坏问题",
            "questions-1-options_text": "只有一个",
        },
    )
    response = client.post(reverse("admin:board_consultation_add"), data)
    assert response.status_code == 200  # the second question has one option
    assert not Consultation.objects.exists()
    data["questions-1-options_text"] = "同意\n反对"
    response = client.post(reverse("admin:board_consultation_add"), data)
    assert response.status_code == 302
    c = Consultation.objects.get()
    assert c.one_per == "household" and c.kind == "poll"
    assert [(q.text, [o.text for o in q.options.all()]) for q in c.questions.all()] == [
        ("选择哪家物业？", ["甲物业", "乙物业"]),
        ("坏问题", ["同意", "反对"]),
    ]
    changelist = reverse("admin:board_consultation_changelist")
    client.post(changelist, {"action": "publish_selected", "_selected_action": [c.pk]})
    assert Consultation.objects.get().status == "published"


def test_paper_answers_results_and_export_in_the_admin(admin_as, org, actors, place):
    c = ConsultationFactory(community=org.community, title="加装电梯")
    c.single, c.multiple, c.text = add_questions(c)
    services.consultation_publish(actor=actors.worker, consultation=c)
    services.consultation_respond(actor=place.alice, consultation=c, answers=answers(c))
    client = admin_as(actors.worker)
    change = client.get(reverse("admin:board_consultation_change", args=[c.pk])).content.decode()
    assert "应参与 6，已参与 1" in change
    paper = reverse("admin:board_consultation_paper", args=[c.pk])
    assert paper in change
    singles = list(c.single.options.all())
    multiples = list(c.multiple.options.all())
    # A required question left out: the refusal names it on the form, nothing is written.
    response = client.post(paper, {"resident": place.sun.pk, f"q{c.single.pk}": singles[1].pk})
    assert response.status_code == 200 and "此题为必答题" in response.content.decode()
    assert Response.objects.count() == 1
    response = client.post(
        paper,
        {
            "resident": place.sun.pk,
            f"q{c.single.pk}": singles[1].pk,
            f"q{c.multiple.pk}": [multiples[0].pk, multiples[2].pk],
            f"q{c.text.pk}": "腿脚不便，盼早日装好",
            "note": "上门走访",
        },
    )
    assert response.status_code == 302
    sheet = Response.objects.get(channel="paper")
    assert sheet.entered_by == actors.worker and sheet.resident == place.sun
    export = client.get(reverse("admin:board_consultation_export", args=[c.pk]))
    book = load_workbook(io.BytesIO(export.content))
    assert "参与名单" in book.sheetnames
    names = [row[0].value for row in book["参与名单"].iter_rows(min_row=2)]
    assert sorted(names) == ["孙奶奶", "王阿姨"]
    # The grid leader reads, but enters nothing; the district leader sees no paper page.
    assert admin_as(actors.grid_leader).get(paper).status_code == 403
    assert admin_as(actors.district_leader).get(paper).status_code == 403


def test_cancel_action_asks_for_a_reason(admin_as, org, actors):
    c = ConsultationFactory(community=org.community)
    add_questions(c)
    services.consultation_publish(actor=actors.worker, consultation=c)
    client = admin_as(actors.worker)
    changelist = reverse("admin:board_consultation_changelist")
    client.post(
        changelist,
        {
            "action": "cancel_selected",
            "_selected_action": [c.pk],
            "apply": "1",
            "reason": "重新设计问卷",
        },
    )
    c.refresh_from_db()
    assert c.status == "cancelled" and c.cancel_reason == "重新设计问卷"


def test_published_questions_are_read_only(admin_as, org, actors):
    c = ConsultationFactory(community=org.community)
    add_questions(c)
    services.consultation_publish(actor=actors.worker, consultation=c)
    client = admin_as(actors.worker)
    response = client.get(reverse("admin:board_consultation_change", args=[c.pk]))
    inline = next(
        i for i in response.context["inline_admin_formsets"] if i.formset.model is Question
    )
    assert not inline.has_change_permission and not inline.has_add_permission


def test_answer_sheets_are_for_people_staff(admin_as, org, actors, place, consultation):
    services.consultation_respond(
        actor=place.erin, consultation=consultation, answers=answers(consultation)
    )
    services.consultation_respond(
        actor=place.alice, consultation=consultation, answers=answers(consultation)
    )
    response = admin_as(actors.worker).get(reverse("admin:board_response_changelist"))
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 2
    response = admin_as(actors.grid_leader).get(reverse("admin:board_response_changelist"))
    assert [r.resident.name for r in response.context["cl"].result_list] == ["王阿姨"]
    index = admin_as(actors.district_leader).get(reverse("admin:index"))
    models = {m["object_name"] for app in index.context["app_list"] for m in app["models"]}
    assert "Response" not in models and "Notice" in models
    assert (
        admin_as(actors.district_leader).get(reverse("admin:board_response_changelist")).status_code
        == 403
    )
