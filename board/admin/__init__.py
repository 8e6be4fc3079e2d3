from . import consultations, notices  # noqa: F401  (registers the ModelAdmins)
