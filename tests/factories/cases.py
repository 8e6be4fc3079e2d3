"""Factories for departments and grid events. They make first rows only (an event is filed);
later states come from the services (`advance`)."""

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from cases import services
from cases.models import Department, DepartmentStaff, EventCategory
from cases.scope import forget_departments

from .accounts import UserFactory

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def photo(name="scene.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    street = factory.SubFactory("tests.factories.org.StreetFactory")
    kind = Department.Kind.GOVERNMENT
    name = factory.Sequence(lambda n: f"城管中队{n}")
    phone = "021-55550000"


class EventCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventCategory

    street = factory.SubFactory("tests.factories.org.StreetFactory")
    name = factory.Sequence(lambda n: f"占道经营{n}")
    handling_hours = 168


def department_staff(department, **user_fields):
    user = UserFactory(is_staff=True, **user_fields)
    DepartmentStaff.objects.create(department=department, user=user)
    forget_departments(user)
    return user


def file_event(actor, grid, category, **kwargs):
    kwargs.setdefault("description", "小区北门有人占道摆摊")
    return services.grid_event_file(actor=actor, grid=grid, category=category, **kwargs)


def advance(event, to_state, *, grid_actor, department_actor, department=None, now=None):
    """Move `event` through the real services to `to_state` (along the main path)."""
    s = services
    if to_state == "returned":
        s.grid_event_dispatch(actor=grid_actor, event=event, department=department, now=now)
        s.grid_event_return(actor=department_actor, event=event, reason="不属于本部门职责", now=now)
    elif to_state == "cancelled":
        s.grid_event_cancel(actor=grid_actor, event=event, reason="重复上报", now=now)
    else:
        _main_path(s, event, to_state, grid_actor, department_actor, department, now)
    event.refresh_from_db()
    return event


def _main_path(s, event, to_state, grid_actor, department_actor, department, now):
    path = ["dispatched", "accepted", "handled", "closed"]
    for step in path[: path.index(to_state) + 1]:
        if step == "dispatched":
            s.grid_event_dispatch(actor=grid_actor, event=event, department=department, now=now)
        elif step == "accepted":
            s.grid_event_accept(actor=department_actor, event=event, now=now)
        elif step == "handled":
            s.grid_event_handle(
                actor=department_actor, event=event, note="已清理", photos=[photo()], now=now
            )
        else:
            s.grid_event_check_pass(actor=grid_actor, event=event, now=now)
