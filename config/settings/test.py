"""Test settings: the base settings, made fast and deterministic.

DATABASE_URL and REDIS_URL still choose the backends, so the same suite runs on the
embedded default (SQLite, local memory) and on PostgreSQL + Redis in `.ci/run`.
"""

from .base import *  # noqa: F403
from .base import DATA_DIR, env

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
MEDIA_ROOT = DATA_DIR / "test-media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Lock-outs are tested explicitly; the cache handler keeps them out of the database rows.
AXES_HANDLER = env.str("AXES_HANDLER", default="axes.handlers.database.AxesDatabaseHandler")
LANGUAGE_CODE = "zh-hans"
# Tests run before (and without) collectstatic: look files up per request instead of
# scanning a STATIC_ROOT that does not exist yet.
WHITENOISE_AUTOREFRESH = True

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not Django's shared in-memory test database: the browser tests' live server
    # answers a page's parallel requests in several threads, and one in-memory connection
    # shared by them can deadlock; with a file each thread has its own connection and waits
    # for SQLite's lock (timeout above). Named per process so that parallel runs don't meet.
    import os

    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(DATA_DIR / f"test-{os.getpid()}.sqlite3")
    }
