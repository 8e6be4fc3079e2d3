import pytest
from django.urls import reverse

from notifications.models import Notification
from notifications.services import notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def inbox():
    me = UserFactory(is_staff=True)
    other = UserFactory(is_staff=True)
    notify(recipients=[me], kind="test", title="给我的")
    notify(recipients=[me], kind="test", title="第二条")
    notify(recipients=[other], kind="test", title="给别人的")
    return me, other


def test_api_lists_only_my_messages_and_counts_unread(api, inbox):
    me, _ = inbox
    api.force_authenticate(me)
    body = api.get("/api/v1/notifications/").json()
    assert [n["title"] for n in body["results"]] == ["第二条", "给我的"]
    assert api.get("/api/v1/notifications/unread-count/").json() == {"unread": 2}


def test_mark_one_read_and_all_read(api, inbox):
    me, _ = inbox
    api.force_authenticate(me)
    first = Notification.objects.filter(recipient=me).last()
    assert api.post(f"/api/v1/notifications/{first.pk}/read/").json()["is_read"] is True
    assert api.get("/api/v1/notifications/unread-count/").json() == {"unread": 1}
    assert api.post("/api/v1/notifications/read-all/").json() == {"marked": 1}
    assert api.get("/api/v1/notifications/?unread=true").json()["results"] == []


def test_someone_elses_message_is_a_404(api, inbox):
    me, other = inbox
    theirs = Notification.objects.get(recipient=other)
    api.force_authenticate(me)
    assert api.post(f"/api/v1/notifications/{theirs.pk}/read/").status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_anonymous_is_refused(api):
    assert api.get("/api/v1/notifications/").status_code == 403


def test_list_query_count_does_not_grow(api, inbox, django_assert_max_num_queries):
    me, _ = inbox
    api.force_authenticate(me)
    notify(recipients=[me] * 1, kind="x", title="t")
    with django_assert_max_num_queries(3):
        api.get("/api/v1/notifications/")
    for i in range(40):
        notify(recipients=[me], kind="x", title=f"t{i}")
    with django_assert_max_num_queries(3):
        api.get("/api/v1/notifications/")


def test_admin_inbox_shows_only_mine_and_the_unread_count(client, inbox):
    me, _ = inbox
    client.force_login(me)
    page = client.get(reverse("admin:notifications_notification_changelist")).content.decode()
    assert "给我的" in page and "给别人的" not in page
    assert "2 条未读" in page
