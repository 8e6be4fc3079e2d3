"""A grid leader files a grid event from the phone page /events/new/ (360 px, zh-CN): the
choices come from the API, a photo is taken, a missing description is said in words, and the
event is stored with its photo; a resident opening the page is refused in words."""

import pytest

from accounts.models import Role
from cases.models import GridEvent
from tests.factories import BuildingFactory, CommunityFactory, MicroGridFactory, UserFactory, grant
from tests.factories.cases import PNG, DepartmentFactory, EventCategoryFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(db):
    class World:
        pass

    w = World()
    w.community = CommunityFactory(name="望春里居民区")
    w.grid = MicroGridFactory(community=w.community, name="第一微网格")
    w.building = BuildingFactory(grid=w.grid, name="3号楼")
    w.department = DepartmentFactory(street=w.community.street, name="街道城管中队")
    w.category = EventCategoryFactory(
        street=w.community.street,
        name="占道经营",
        handling_hours=168,
        default_department=w.department,
    )
    w.leader = grant(UserFactory(real_name="网格长老王"), Role.GRID_LEADER, w.grid)
    w.resident = UserFactory(
        username="13800000009", phone="13800000009", claimed_community=w.community
    )
    return w


def test_a_grid_leader_files_an_event_with_a_photo(
    page, live_server, sign_in, assert_accessible, world, tmp_path
):
    sign_in(page, world.leader)
    page.goto(f"{live_server.url}/events/new/")
    page.get_by_label("事件类别").locator("option", has_text="占道经营").wait_for(state="attached")
    # The only grid is chosen already, and its buildings offered.
    assert page.get_by_label("微网格").input_value() == str(world.grid.pk)
    page.get_by_label("楼组（选填）").select_option(label="3号楼")
    page.get_by_label("事件类别").select_option(label="占道经营（7 天内处置）")
    assert_accessible(page)

    # No description: said in words next to the field, nothing stored.
    page.get_by_role("button", name="上报事件").click()
    error = page.locator("[data-error-for=description]")
    error.wait_for()
    page.wait_for_function(
        "() => document.querySelector('[data-error-for=description]').textContent.trim() !== ''"
    )
    assert GridEvent.objects.count() == 0

    photo = tmp_path / "scene.png"
    photo.write_bytes(PNG)
    page.locator("[data-role=photo-gallery]").set_input_files(str(photo))
    page.locator("[data-role=photo-list] li").wait_for()
    page.get_by_label("事件描述").fill("菜场门口流动摊贩占用人行道")
    page.get_by_role("button", name="上报事件").click()
    done = page.locator("[data-role=done]")
    done.wait_for()
    assert "已上报" in done.inner_text()
    assert_accessible(page)

    event = GridEvent.objects.get()
    assert event.grid == world.grid and event.building == world.building
    assert event.filed_by == world.leader and event.photos.count() == 1


def test_a_resident_is_refused_in_words(page, live_server, sign_in, assert_accessible, world):
    sign_in(page, world.resident)
    response = page.goto(f"{live_server.url}/events/new/")
    assert response.status == 403
    assert "只有微网格长和社区工作者可以上报网格事件" in page.inner_text("main")
    assert page.locator("[data-role=event-form]").count() == 0
    assert_accessible(page)
