"""Forums in the admin: scoped lists, writing through the services, the hold page, actions with
a reason, the street admin's musts table (missed months in red) and its export; who may NOT."""

import datetime
import io

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from forums import services
from forums.models import Decision, Forum, Meeting, MustActivity
from proposals.models import TopicEvent
from tests.factories.forums import ForumFactory

pytestmark = pytest.mark.django_db

MODELS = ("forum", "forummember", "meeting", "decision", "mustactivity", "monthlymusts")


@pytest.fixture
def admin_as(client):
    def _as(user):
        client.force_login(user)
        return client

    return _as


def local(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%d %H:%M:%S")


@pytest.mark.parametrize("who", ["worker", "grid_leader", "street_admin", "district_leader"])
def test_staff_open_every_list(admin_as, org, actors, forum, meeting, who):
    client = admin_as(getattr(actors, who))
    services.meeting_hold(
        actor=actors.worker, meeting=meeting, minutes="纪要", present_members=[forum.chair]
    )
    for model in MODELS:
        expected = 403 if (who, model) == ("district_leader", "forummember") else 200
        response = client.get(reverse(f"admin:forums_{model}_changelist"))
        assert response.status_code == expected, model
    page = client.get(reverse("admin:forums_meeting_change", args=[meeting.pk]))
    assert page.status_code == 200
    # Names of people are not shown to district leaders.
    assert ("王书记" in page.content.decode()) == (who != "district_leader")


def test_scope_of_the_lists(admin_as, org, actors, forum):
    ForumFactory(community=org.sibling_community, name="二居议事会")
    client = admin_as(actors.worker)
    page = client.get(reverse("admin:forums_forum_changelist")).content.decode()
    assert "一居同心议事会" in page and "二居议事会" not in page
    other = Forum.objects.get(name="二居议事会")
    assert client.get(reverse("admin:forums_forum_change", args=[other.pk])).status_code in (
        302,
        404,
    )


def test_create_forum_and_meeting_through_the_services(admin_as, org, actors):
    client = admin_as(actors.worker)
    response = client.post(
        reverse("admin:forums_forum_add"),
        {
            "community": org.community.pk,
            "kind": "sub_committee",
            "name": "环境委员会",
            "description": "",
            "established_on": "2026-01-05",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    forum = Forum.objects.get(name="环境委员会")
    assert forum.street == org.street and forum.events.filter(verb="create").exists()
    response = client.post(
        reverse("admin:forums_meeting_add"),
        {
            "forum": forum.pk,
            "title": "绿化补种",
            "held_at_0": "2030-01-05",
            "held_at_1": "10:00:00",
            "place": "会议室",
            "agenda": "补种计划",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Meeting.objects.get(title="绿化补种").events.filter(verb="schedule").exists()


def test_hold_page(admin_as, org, actors, forum, meeting, topic):
    client = admin_as(actors.worker)
    url = reverse("admin:forums_meeting_hold", args=[meeting.pk])
    page = client.get(url)
    assert page.status_code == 200 and "王书记" in page.content.decode()
    data = {
        "held_at": local(meeting.held_at),
        "minutes": "<p>同意</p>",
        "present_members": [forum.chair.pk],
        "guests-TOTAL_FORMS": 1,
        "guests-INITIAL_FORMS": 0,
        "guests-0-name": "物业经理",
        "guests-0-represents": "property_company",
        "decisions-TOTAL_FORMS": 2,
        "decisions-INITIAL_FORMS": 0,
        "decisions-0-text": "成立工作小组",
        "decisions-0-topic": topic.pk,
        "decisions-1-text": "",
    }
    # A refusal from the service shows on the page and writes nothing.
    refused = client.post(url, {**data, "minutes": "<script>x</script>"})
    assert refused.status_code == 200 and "请填写会议纪要" in refused.content.decode()
    assert Meeting.objects.get(pk=meeting.pk).status == "scheduled"
    response = client.post(url, data)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == "held"
    assert meeting.attendance.filter(is_guest=True, name="物业经理").exists()
    assert TopicEvent.objects.filter(topic=topic, verb="forum_decision").exists()
    # Held: no second hold (back to the meeting with a warning, nothing written).
    again = client.post(url, data)
    assert again.status_code == 302 and meeting.attendance.count() == 3


def test_hold_page_refused(admin_as, actors, meeting):
    url = reverse("admin:forums_meeting_hold", args=[meeting.pk])
    assert admin_as(actors.district_leader).get(url).status_code == 403
    assert admin_as(actors.other_worker).get(url).status_code == 404


def test_cancel_action_with_reason(admin_as, actors, meeting):
    client = admin_as(actors.worker)
    changelist = reverse("admin:forums_meeting_changelist")
    ask = client.post(changelist, {"action": "cancel_selected", "_selected_action": [meeting.pk]})
    assert ask.status_code == 200 and "原因" in ask.content.decode()
    client.post(
        changelist,
        {
            "action": "cancel_selected",
            "_selected_action": [meeting.pk],
            "apply": "1",
            "reason": "场地冲突",
        },
    )
    meeting.refresh_from_db()
    assert meeting.status == "cancelled" and meeting.cancel_reason == "场地冲突"


def test_dissolve_and_follow_up_actions(admin_as, actors, forum, meeting):
    services.meeting_hold(
        actor=actors.worker,
        meeting=meeting,
        minutes="纪要",
        present_members=[forum.chair],
        decisions=[{"text": "修路灯"}],
    )
    client = admin_as(actors.worker)
    decision = Decision.objects.get()
    client.post(
        reverse("admin:forums_decision_changelist"),
        {"action": "mark_done", "_selected_action": [decision.pk]},
    )
    decision.refresh_from_db()
    assert decision.follow_up == "done"
    client.post(
        reverse("admin:forums_forum_changelist"),
        {
            "action": "dissolve_selected",
            "_selected_action": [forum.pk],
            "apply": "1",
            "reason": "合并",
        },
    )
    forum.refresh_from_db()
    assert forum.status == "dissolved"


def test_actions_refused_to_readers(admin_as, actors, meeting):
    client = admin_as(actors.district_leader)
    client.post(
        reverse("admin:forums_meeting_changelist"),
        {
            "action": "cancel_selected",
            "_selected_action": [meeting.pk],
            "apply": "1",
            "reason": "x",
        },
    )
    meeting.refresh_from_db()
    assert meeting.status == "scheduled"


@time_machine.travel(datetime.datetime(2026, 11, 20, 4, 0, tzinfo=datetime.UTC), tick=False)
def test_record_must_and_the_table(admin_as, org, actors):
    client = admin_as(actors.worker)
    response = client.post(
        reverse("admin:forums_mustactivity_add"),
        {
            "community": org.community.pk,
            "kind": "moral_review",
            "held_on": "2026-10-08",
            "title": "道德评议会",
            "note": "",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert MustActivity.objects.get().month == datetime.date(2026, 10, 1)
    future = client.post(
        reverse("admin:forums_mustactivity_add"),
        {"community": org.community.pk, "kind": "moral_review", "held_on": "2026-12-08"}
        | {"title": "x"},
    )
    assert future.status_code == 200 and MustActivity.objects.count() == 1

    client = admin_as(actors.street_admin)
    table = reverse("admin:forums_monthlymusts_changelist")
    october = client.get(table, {"month": "2026-10"}).content.decode()
    assert "每月三必做：2026-10" in october and october.count("color:#ba2121") == 2
    missed = client.get(table, {"month": "2026-10", "state": "missed"})
    assert len(missed.context["cl"].result_list) == 2
    november = client.get(table).content.decode()
    assert "2026-11" in november and "color:#ba2121" not in november
    export = client.get(
        reverse("admin:forums_monthlymusts_export"), {"street": org.street.pk, "month": "2026-10"}
    )
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet["A1"].value == "甲一街道 每月三必做"


def test_no_deleting(admin_as, actors, forum, meeting):
    client = admin_as(actors.worker)
    for model, obj in (("forum", forum), ("meeting", meeting)):
        url = reverse(f"admin:forums_{model}_delete", args=[obj.pk])
        assert client.get(url).status_code == 403


def test_scheduled_meeting_is_editable(admin_as, actors, meeting):
    client = admin_as(actors.worker)
    url = reverse("admin:forums_meeting_change", args=[meeting.pk])
    page = client.get(url)
    assert "记录召开情况" in page.content.decode()
