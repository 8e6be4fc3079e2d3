"""The cases place: `org`'s street has two departments (城管 covering 一居, 物业 street-wide),
an urgent (4 h) and a weekly (168 h) category, department staff, and a filed event."""

import pytest

from accounts.models import Role
from tests.factories import BuildingFactory, UserFactory, grant
from tests.factories.cases import (
    DepartmentFactory,
    EventCategoryFactory,
    department_staff,
    file_event,
)


@pytest.fixture
def place(org):
    class Place:
        pass

    p = Place()
    p.chengguan = DepartmentFactory(street=org.street, name="街道城管中队")
    p.chengguan.communities.add(org.community)
    p.wuye = DepartmentFactory(street=org.street, name="物业公司", kind="property")
    p.foreign_dept = DepartmentFactory(street=org.foreign_street, name="外街道城管")
    p.urgent = EventCategoryFactory(
        street=org.street, name="紧急隐患", handling_hours=4, default_department=p.chengguan
    )
    p.weekly = EventCategoryFactory(
        street=org.street, name="占道经营", handling_hours=168, default_department=p.chengguan
    )
    p.foreign_category = EventCategoryFactory(street=org.foreign_street, name="外街道类别")
    p.building = BuildingFactory(grid=org.grid, name="1号楼")
    p.cg_staff = department_staff(p.chengguan, username="cg", real_name="城管小王")
    p.wy_staff = department_staff(p.wuye, username="wy", real_name="物业小李")
    p.sibling_grid_leader = grant(UserFactory(username="gl2"), Role.GRID_LEADER, org.sibling_grid)
    return p


@pytest.fixture
def event(org, actors, place):
    return file_event(actors.grid_leader, org.grid, place.weekly, building=place.building)
