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
