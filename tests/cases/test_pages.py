"""The grid workers' phone page /events/new/: open to community workers and grid leaders,
a clear refusal (in words, 403) to anyone else, the sign-in page for a visitor."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
URL = "/events/new/"


def test_the_route():
    assert reverse("case_pages:event_new") == URL


@pytest.mark.parametrize("who", ["worker", "grid_leader"])
def test_grid_workers_get_the_form(client, actors, who):
    client.force_login(getattr(actors, who))
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-role="event-form"' in body
    assert "resident/js/pages/event_new.js" in body


@pytest.mark.parametrize("who", ["resident", "district_leader", "street_admin"])
def test_others_are_refused_in_words(client, actors, who):
    client.force_login(getattr(actors, who))
    response = client.get(URL)
    assert response.status_code == 403
    body = response.content.decode()
    assert "只有微网格长和社区工作者可以上报网格事件" in body
    assert 'data-role="event-form"' not in body


def test_department_staff_are_refused(client, place):
    client.force_login(place.cg_staff)
    assert client.get(URL).status_code == 403


def test_a_visitor_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/login/" in response["Location"]
