"""The page shells of the projects, volunteering, points and rewards pages: each renders its own
template with its script and the pages' stylesheet, and a detail page carries its id for the
script. (Who may open a page at all is tested with the pages app in tests/pages.)"""

import pytest
from django.test import Client

from tests.factories import CommunityFactory
from tests.factories.proposals import verified_resident

PAGES = [
    ("/projects/", "resident/projects.html", "projects"),
    ("/projects/7/", "resident/project.html", "project"),
    ("/activities/", "resident/activities.html", "activities"),
    ("/activities/9/", "resident/activity.html", "activity"),
    ("/points/", "resident/points.html", "points"),
    ("/rewards/", "resident/rewards.html", "rewards"),
]


@pytest.fixture
def client_signed_in(db):
    client = Client()
    client.force_login(verified_resident(CommunityFactory(name="一居"), real_name="王阿姨"))
    return client


@pytest.mark.parametrize(("url", "template", "script"), PAGES)
def test_page_renders_its_template_script_and_stylesheet(client_signed_in, url, template, script):
    response = client_signed_in.get(url)

    assert response.status_code == 200
    assert template in [t.name for t in response.templates]
    html = response.content.decode()
    assert f"resident/js/pages/{script}.js" in html
    assert "resident/css/pages.css" in html
    # The stylesheet is in the head, before the body starts painting.
    assert html.index("resident/css/pages.css") < html.index("<body")


@pytest.mark.parametrize(
    ("url", "role", "pk"), [("/projects/7/", "project", "7"), ("/activities/9/", "activity", "9")]
)
def test_detail_page_carries_the_id_for_its_script(client_signed_in, url, role, pk):
    html = client_signed_in.get(url).content.decode()

    assert f'data-role="{role}" data-id="{pk}"' in html


@pytest.mark.parametrize(("url", "template", "script"), PAGES)
def test_anonymous_visitor_is_sent_to_sign_in(db, url, template, script):
    response = Client().get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")
