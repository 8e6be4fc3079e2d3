"""The residents' page shells: who may open them, which template, and the header's words."""

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import User
from tests.factories import CommunityFactory, StreetFactory, UserFactory
from tests.factories.proposals import verified_resident

pytestmark = pytest.mark.django_db

# (route name, kwargs) for every page that needs a signed-in resident.
SIGNED_IN_PAGES = [
    ("home", {}),
    ("topics", {}),
    ("topic_new", {}),
    ("topic", {"pk": 7}),
    ("projects", {}),
    ("project", {"pk": 7}),
    ("activities", {}),
    ("activity", {"pk": 7}),
    ("points", {}),
    ("rewards", {}),
    ("notifications", {}),
    ("me", {}),
    ("board", {}),
    ("notices", {}),
    ("notice", {"pk": 7}),
    ("consultations", {}),
    ("consultation", {"pk": 7}),
]
# The pages whose templates this app's helper wrote (the others are tested with theirs).
OWN_PAGES = ["home", "topics", "topic_new", "topic", "notifications", "me"]


@pytest.fixture
def resident(db):
    return verified_resident(CommunityFactory(name="一居"), real_name="王阿姨")


@pytest.mark.parametrize(("name", "kwargs"), SIGNED_IN_PAGES)
def test_anonymous_visitor_is_sent_to_sign_in_with_next(client, name, kwargs):
    url = reverse(f"pages:{name}", kwargs=kwargs)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('pages:login')}?next={url}"


@pytest.mark.parametrize("name", OWN_PAGES)
def test_signed_in_resident_gets_the_page_shell(client, resident, name):
    kwargs = {"pk": 7} if name == "topic" else {}
    client.force_login(resident)
    response = client.get(reverse(f"pages:{name}", kwargs=kwargs))
    assert response.status_code == 200
    templates = [t.name for t in response.templates]
    assert f"resident/{name}.html" in templates and "resident/base.html" in templates
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert '<main id="main"' in html and 'href="#main"' in html
    assert "/jsi18n/" in html and "resident/js/portal.js" in html
    # 长辈版 is applied in <head>, before the stylesheet paints anything.
    assert html.index('classList.add("elder")') < html.index("resident/css/portal.css")
    assert "王阿姨" in html and "实名状态：已实名" in html


def test_topic_page_carries_the_topic_id_for_its_script(client, resident):
    client.force_login(resident)
    html = client.get(reverse("pages:topic", kwargs={"pk": 42})).content.decode()
    assert 'data-topic-id="42"' in html


@pytest.mark.parametrize(
    ("status", "words"),
    [
        (User.Verification.PENDING, "实名状态：待核验"),
        (User.Verification.REJECTED, "实名状态：未通过"),
    ],
)
def test_header_and_me_say_the_real_name_status_in_words(client, status, words):
    user = UserFactory(
        claimed_community=CommunityFactory(),
        verification_status=status,
        verification_note="查无此人",
    )
    client.force_login(user)
    html = client.get(reverse("pages:me")).content.decode()
    assert words in html
    assert ("查无此人" in html) == (status == User.Verification.REJECTED)


@pytest.mark.parametrize("name", ["login", "register"])
def test_sign_in_and_sign_up_are_open_to_anyone(client, name):
    response = client.get(reverse(f"pages:{name}"))
    assert response.status_code == 200
    assert f"resident/{name}.html" in [t.name for t in response.templates]
    # The page's script posts with the CSRF cookie the page sets.
    assert "csrftoken" in response.cookies


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [("/topics/", "/topics/"), ("https://evil.example/", "/"), ("", "/")],
)
def test_signed_in_visitor_skips_the_sign_in_page(client, resident, next_url, expected):
    client.force_login(resident)
    response = client.get(reverse("pages:login"), {"next": next_url})
    assert response.status_code == 302 and response["Location"] == expected


def test_sign_in_page_keeps_only_a_safe_next(client):
    html = client.get(reverse("pages:login"), {"next": "//evil.example/"}).content.decode()
    assert 'data-next="/"' in html
    html = client.get(reverse("pages:login"), {"next": "/topics/3/"}).content.decode()
    assert 'data-next="/topics/3/"' in html


def test_register_lists_communities_by_street_and_preselects_from_a_poster(client):
    east, west = StreetFactory(name="东街道"), StreetFactory(name="西街道")
    one = CommunityFactory(street=east, name="一居")
    CommunityFactory(street=west, name="二居")
    response = client.get(reverse("pages:register"), {"community": one.pk})
    choices = response.context["community_choices"]
    assert [street for street, _ in choices] == ["东街道", "西街道"]
    assert choices[0][1] == [(one.pk, "一居")]
    html = response.content.decode()
    assert f'<option value="{one.pk}" selected>一居</option>' in html
    assert 'id="reg-street"' in html  # more than one street: ask for the street first


@pytest.mark.parametrize("communities", [1, 50])
def test_register_page_reads_communities_in_one_query(
    client, communities, django_assert_max_num_queries
):
    street = StreetFactory()
    CommunityFactory.create_batch(communities, street=street)
    # The communities, and nothing per row (no session row for an anonymous visitor).
    with django_assert_max_num_queries(1):
        response = client.get(reverse("pages:register"))
    assert response.status_code == 200
    assert len(response.context["community_choices"][0][1]) == communities


def test_page_shell_costs_a_fixed_handful_of_queries(
    client, resident, django_assert_max_num_queries
):
    client.force_login(resident)
    # Session, user, the claimed community for the header: data comes from the API later.
    with django_assert_max_num_queries(3):
        assert client.get(reverse("pages:topics")).status_code == 200


def test_javascript_catalogue_serves_gettext(client):
    response = client.get(reverse("pages:jsi18n"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "django.gettext" in body or "gettext" in body
    assert response["Content-Type"].startswith("text/javascript")


# --- The community board's pages (issue 7) ---------------------------------------------------

BOARD_PAGES = [
    ("board", {}),
    ("notices", {}),
    ("notice", {"pk": 42}),
    ("consultations", {}),
    ("consultation", {"pk": 42}),
]


@pytest.mark.parametrize(("name", "kwargs"), BOARD_PAGES)
def test_board_pages_render_their_shell_and_script(client, resident, name, kwargs):
    client.force_login(resident)
    response = client.get(reverse(f"pages:{name}", kwargs=kwargs))
    assert response.status_code == 200
    assert f"resident/{name}.html" in [t.name for t in response.templates]
    html = response.content.decode()
    assert f"resident/js/pages/{name}.js" in html and "resident/css/board.css" in html
    if name in ("notices", "consultations", "consultation"):
        # The list renderers (PortalBoard) come first.
        assert html.index("pages/board.js") < html.index(f"pages/{name}.js")
    if kwargs:
        assert 'data-id="42"' in html
    # The 社区 entry is in the nav and marked current on every board page.
    assert f'href="{reverse("pages:board")}" aria-current="page"' in html


def test_nav_has_seven_sections_and_the_board_first(client, resident):
    client.force_login(resident)
    html = client.get(reverse("pages:home")).content.decode()
    nav = html[html.index('<nav class="site-nav"') : html.index("</nav>")]
    assert nav.count("<li>") == 7
    assert nav.index(reverse("pages:board")) < nav.index(reverse("pages:topics"))
    # One row of seven on a phone, two rows in elder mode (portal.css).
    css = (settings.BASE_DIR / "static/resident/css/portal.css").read_text()
    assert "repeat(7, minmax(0, 1fr))" in css and "repeat(4, minmax(0, 1fr))" in css


def test_home_has_the_board_section(client, resident):
    client.force_login(resident)
    html = client.get(reverse("pages:home")).content.decode()
    assert 'data-role="board-notices"' in html and 'data-role="board-consultations"' in html
    assert html.index("pages/board.js") < html.index("pages/home.js")


def test_board_hub_links_only_to_pages_that_exist(client, resident):
    """The self-governance cards are written with `{% url … as u %}`: a page whose app is not
    installed yet leaves its card out instead of breaking the hub."""
    from django.urls import NoReverseMatch

    client.force_login(resident)
    html = client.get(reverse("pages:board")).content.decode()
    assert reverse("pages:notices") in html and reverse("pages:consultations") in html
    for route in (
        "covenant_pages:covenants",
        "property_pages:elections",
        "property_pages:my_property",
        "cadre_pages:cadre_review",
    ):
        try:
            url = reverse(route)
        except NoReverseMatch:
            continue
        assert f'href="{url}"' in html


def test_notice_notifications_lead_to_the_notice_page(db):
    from django.utils import timezone

    from accounts.models import Role
    from board import services
    from notifications.models import Notification
    from tests.factories import UserFactory, grant
    from tests.factories.board import NoticeFactory, board_resident

    community = CommunityFactory()
    worker = grant(UserFactory(), Role.COMMUNITY_WORKER, community)
    reader = board_resident(community)
    notice = NoticeFactory(community=community, publish_at=timezone.now())
    services.notice_publish(actor=worker, notice=notice)
    services.notice_notify_batch(notice_id=notice.pk)
    message = Notification.objects.get(recipient=reader)
    assert message.url == reverse("pages:notice", args=[notice.pk]) == f"/notices/{notice.pk}/"
