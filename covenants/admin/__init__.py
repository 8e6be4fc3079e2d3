from . import covenants, records  # noqa: F401
