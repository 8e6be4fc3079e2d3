from . import areas, committees, elections  # noqa: F401  (registers the ModelAdmins)
