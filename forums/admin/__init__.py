from . import forums, meetings, musts  # noqa: F401  (registers the ModelAdmins)
