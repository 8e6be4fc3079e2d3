from . import cases, intake  # noqa: F401
