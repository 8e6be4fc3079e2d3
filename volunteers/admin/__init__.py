"""The volunteers admin: each sub-domain's module registers its own pages."""

from . import activities, people, points  # noqa: F401
