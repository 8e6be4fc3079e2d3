"""The volunteers admin: each sub-domain's module registers its own pages."""

from . import activities, points  # noqa: F401
