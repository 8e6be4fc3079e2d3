"""The organisation units a dashboard reader may look at, and drilling down through them.

A unit is named `level:id` ("district:3", "street:12", "community:40", "grid:7"). An actor may
look at the units their roles cover *whole*, read from the one scope mechanism
(`accounts.scope.actor_scope`, ORG level): a district leader their district and everything in
it; a street admin their street and below; a community worker their community and its
micro-grids; a superuser everything. Never a unit only partly covered: a street admin does not
see their district's figures (they would include the sibling streets), and a community worker
does not see their street's. Any other unit, like a missing one, is a 404.

Figures are then filtered by the unit's own path (`grids` ids), never by the actor's scope
again: inside a whole unit the two are the same rows, and one filter keeps the SQL small.
"""

import re
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from accounts.scope import actor_scope
from grids.models import Community, District, MicroGrid, Street

LEVELS = ("district", "street", "community", "grid")
MODELS = {"district": District, "street": Street, "community": Community, "grid": MicroGrid}
LEVEL_LABELS = {
    "district": _("区"),
    "street": _("街道"),
    "community": _("居民区"),
    "grid": _("微网格"),
}
CHILD_LEVEL = {"district": "street", "street": "community", "community": "grid", "grid": None}
# The foreign key from each level to its parent.
PARENT_FIELD = {"street": "district", "community": "street", "grid": "community"}
REF_RE = re.compile(r"^(district|street|community|grid):(\d{1,12})$")


@dataclass(frozen=True)
class Unit:
    level: str
    id: int
    name: str
    # Ancestors the actor may also look at, outermost first (the breadcrumb before this unit).
    ancestors: tuple = field(default=())

    @property
    def ref(self) -> str:
        return f"{self.level}:{self.id}"

    @property
    def child_level(self) -> str | None:
        return CHILD_LEVEL[self.level]

    @property
    def level_label(self) -> str:
        return str(LEVEL_LABELS[self.level])

    @property
    def breadcrumb(self) -> list:
        return [*self.ancestors, self]


class UnitRefError(ValueError):
    pass


def parse_ref(ref) -> tuple[str, int]:
    match = REF_RE.match(str(ref or "").strip())
    if not match:
        raise UnitRefError(ref)
    return match[1], int(match[2])


def _covers(scope, level, obj) -> bool:
    """Whether the scope covers the unit `obj` (of `level`) whole."""
    if scope.is_global:
        return True
    if level == "district":
        return obj.pk in scope.district_ids
    if level == "street":
        return obj.pk in scope.street_ids or obj.district_id in scope.district_ids
    if level == "community":
        return obj.pk in scope.org_community_ids
    return obj.community_id in scope.org_community_ids


def _chain(level, obj) -> list[tuple[str, object]]:
    """(level, object) from the district down to `obj`, following the select_related chain."""
    chain = [(level, obj)]
    while level != "district":
        obj = getattr(obj, PARENT_FIELD[level])
        level = LEVELS[LEVELS.index(level) - 1]
        chain.append((level, obj))
    return chain[::-1]


# What to select_related to reach the district from each level in the same query.
ANCESTOR_PATH = {
    "district": (),
    "street": ("district",),
    "community": ("street__district",),
    "grid": ("community__street__district",),
}


def unit_get(*, actor, ref) -> Unit:
    """The unit `ref` ("street:12") if the actor may look at it; else Http404. One query."""
    try:
        level, pk = parse_ref(ref)
    except UnitRefError:
        raise Http404 from None
    model = MODELS[level]
    obj = model.objects.select_related(*ANCESTOR_PATH[level]).filter(pk=pk).first()
    scope = actor_scope(actor)
    if obj is None or not _covers(scope, level, obj):
        raise Http404
    chain = _chain(level, obj)
    ancestors = tuple(
        Unit(level=lvl, id=o.pk, name=o.name) for lvl, o in chain[:-1] if _covers(scope, lvl, o)
    )
    return Unit(level=level, id=obj.pk, name=obj.name, ancestors=ancestors)


def child_queryset(unit: Unit) -> QuerySet:
    """The unit's children (streets of a district, communities of a street, grids of a
    community); empty for a micro-grid."""
    level = unit.child_level
    if level is None:
        return MicroGrid.objects.none()
    return MODELS[level].objects.filter(**{f"{PARENT_FIELD[level]}_id": unit.id})


def root_units(*, actor) -> list[Unit]:
    """The outermost units the actor may look at: where drilling down starts. A unit inside
    another root is not a root of its own (a district leader who also runs one of its
    streets starts at the district). At most three queries."""
    scope = actor_scope(actor)
    if scope.is_global:
        return [
            Unit("district", pk, name) for pk, name in District.objects.values_list("pk", "name")
        ]
    roots = [
        Unit("district", pk, name)
        for pk, name in District.objects.filter(pk__in=scope.district_ids).values_list("pk", "name")
    ]
    streets = Street.objects.filter(pk__in=scope.street_ids).exclude(
        district_id__in=scope.district_ids
    )
    roots += [Unit("street", pk, name) for pk, name in streets.values_list("pk", "name")]
    communities = (
        Community.objects.filter(pk__in=scope.community_ids)
        .exclude(street_id__in=scope.street_ids)
        .exclude(street__district_id__in=scope.district_ids)
    )
    roots += [Unit("community", pk, name) for pk, name in communities.values_list("pk", "name")]
    return roots


def children_list(unit: Unit) -> list[dict]:
    """The unit's children as picker entries, with whether each has children of its own
    (one query: an EXISTS per row)."""
    level = unit.child_level
    if level is None:
        return []
    qs = child_queryset(unit)
    grandchild = CHILD_LEVEL[level]
    if grandchild is not None:
        qs = qs.annotate(
            has_children=Exists(
                MODELS[grandchild].objects.filter(**{PARENT_FIELD[grandchild]: OuterRef("pk")})
            )
        )
        rows = qs.order_by("code").values_list("pk", "name", "has_children")
    else:
        rows = ((pk, name, False) for pk, name in qs.order_by("code").values_list("pk", "name"))
    return [
        {"ref": f"{level}:{pk}", "level": level, "id": pk, "name": name, "has_children": has}
        for pk, name, has in rows
    ]
