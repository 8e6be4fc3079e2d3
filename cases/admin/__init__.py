from . import departments, events  # noqa: F401  (registers the ModelAdmins)
