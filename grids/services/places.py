"""Places and resources of the grids."""

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Community, GridPlace, GridResource, MicroGrid
from ._common import _invalid, _require, _save, _update

PLACE_FIELDS = ("kind", "name", "address", "contact_name", "contact_phone", "notes")
RESOURCE_FIELDS = (
    "kind",
    "name",
    "address",
    "contact_name",
    "contact_phone",
    "offers",
    "is_active",
)


@transaction.atomic
def grid_place_create(
    *,
    actor,
    grid: MicroGrid,
    kind: str,
    name: str,
    address: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    notes: str = "",
) -> GridPlace:
    _require(actor, "grids.add_gridplace", grid, field="grid")
    return _save(
        GridPlace(
            grid=grid,
            kind=kind,
            name=name,
            address=address,
            contact_name=contact_name,
            contact_phone=contact_phone,
            notes=notes,
        )
    )


@transaction.atomic
def grid_place_update(*, actor, place: GridPlace, **changes) -> GridPlace:
    obj = _update(
        place, actor=actor, perm="grids.change_gridplace", changes=changes, allowed=PLACE_FIELDS
    )
    return _save(obj)


def _check_resource_grids(community_id, grids):
    grids = list(grids)
    if not grids:
        raise _invalid("grids", _("请至少选择一个服务的微网格。"))
    if any(g.community_id != community_id for g in grids):
        raise _invalid("grids", _("只能选择本居民区的微网格。"))
    return grids


@transaction.atomic
def grid_resource_create(
    *,
    actor,
    community: Community,
    kind: str,
    name: str,
    offers: str,
    grids: Iterable[MicroGrid],
    address: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    is_active: bool = True,
) -> GridResource:
    _require(actor, "grids.add_gridresource", community, field="community")
    grids = _check_resource_grids(community.pk, grids)
    obj = _save(
        GridResource(
            community=community,
            kind=kind,
            name=name,
            offers=offers,
            address=address,
            contact_name=contact_name,
            contact_phone=contact_phone,
            is_active=is_active,
        )
    )
    obj.grids.set(grids)
    return obj


@transaction.atomic
def grid_resource_update(
    *, actor, resource: GridResource, grids: Iterable[MicroGrid] | None = None, **changes
) -> GridResource:
    obj = _update(
        resource,
        actor=actor,
        perm="grids.change_gridresource",
        changes=changes,
        allowed=RESOURCE_FIELDS,
    )
    if grids is not None:
        grids = _check_resource_grids(obj.community_id, grids)
    _save(obj)
    if grids is not None:
        obj.grids.set(grids)
    return obj
