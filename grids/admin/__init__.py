"""The grids admin: the organisation tree, grid roles, places, resources, the four ones, the
weekly patrol, and the weekly visit-round table.

Every save goes through the services. The form runs the service once in a savepoint that is
rolled back, so that a refused change shows on the form as field errors instead of failing
after the fact; the real save then calls the same service again.
"""

from . import org, work  # noqa: F401  (registers the admin classes)
