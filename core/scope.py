"""Declaring where a row sits in the organisation tree.

Every scoped model carries `scope_paths = ScopePaths(...)`: the lookup paths from the model to
the district, street, community and micro-grid it belongs to ("pk" for the level the model *is*).
The one scope mechanism (`accounts.scope`) reads these paths to limit any queryset to what an
actor's roles cover; no view writes its own filter.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class ScopePaths:
    district: str | None = None
    street: str | None = None
    community: str | None = None
    grid: str | None = None

    def resolve(self, obj, level: str):
        """The id of `obj`'s unit at `level` (follows the path; may query)."""
        path = getattr(self, level)
        if path is None:
            return None
        if path == "pk":
            return obj.pk
        *hops, last = path.split("__")
        for hop in hops:
            obj = getattr(obj, hop, None)
            if obj is None:
                return None
        return getattr(obj, f"{last}_id", None)
