"""Settings read from the environment, with embedded defaults.

With no environment at all the portal runs on SQLite in ./data and needs no server
(the embedded default that `make run` uses). Set DATABASE_URL and REDIS_URL for the
production shape (PostgreSQL, Redis as Celery broker and cache).
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(environ.Env().str("PORTAL_DATA_DIR", default=str(BASE_DIR / "data")))

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# The embedded default key only ever signs sessions of a local demo; production.py
# requires DJANGO_SECRET_KEY with no default.
SECRET_KEY = env.str(
    "DJANGO_SECRET_KEY", default="embedded-default-insecure-key-for-local-demo-only"
)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "import_export",
    "simple_history",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "core",
    "accounts",
    "grids",
    "residents",
    "notifications",
    "proposals",
    "projects",
    "volunteers",
    "dashboards",
    "board",
    "covenants",
    "property_governance",
    "forums",
    "cadres",
    "cases",
    "disputes",
    "reporting",
    "pages",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that it sees the outcome of every authentication attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "notifications.context_processors.inbox",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'portal.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # One writer at a time: wait for the lock instead of failing at once. WAL lets readers go
    # on while one writes (the web server's threads, the Celery worker and beat of `make run`).
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # axes first: it refuses locked-out users and addresses before any other backend runs.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "accounts.backends.PhoneOrUsernameBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"

# Locale: Simplified Chinese first, English available; shown in Asia/Shanghai, stored in UTC.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(DATA_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Cache: Redis when REDIS_URL is set (shared by all web processes, so that rate limits
# and lock-outs hold across them), else a local-memory cache for the embedded default.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="portal"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: Redis broker in production; on the embedded default tasks run in-process
# (no broker to install), which is what `make run` uses.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
if CELERY_BROKER_URL.startswith("filesystem://"):
    # `make run` runs a real worker and beat with no server installed: kombu's filesystem
    # transport passes messages through files in ./data.
    _queue_dir = str(DATA_DIR / "celery-queue")
    for _folder in ("celery-queue", "celery-control"):
        (DATA_DIR / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": _queue_dir,
        "data_folder_out": _queue_dir,
        "control_folder": str(DATA_DIR / "celery-control"),
        "store_processed": False,
    }
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = 10 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 9 * 60
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Periodic jobs, declared here and run by exactly one beat: the reminder sweep each minute
# (notifications/clocks.py) and the points expiry each night (volunteers/services/points.py).
CELERY_BEAT_SCHEDULE = {
    "expire-points": {
        "task": "volunteers.expire_points",
        "schedule": crontab(hour=2, minute=0),
    },
    "sweep-reminders": {
        "task": "notifications.sweep_reminders",
        "schedule": env.float("REMINDER_SWEEP_SECONDS", default=60.0),
    },
    # Notices published for a later time reach the residents' inboxes when that time comes.
    "board-notify-due-notices": {
        "task": "board.notify_due_notices",
        "schedule": env.float("BOARD_NOTICE_SWEEP_SECONDS", default=60.0),
    },
    # Covenant versions whose signing window has ended are decided (idempotent, batched).
    "covenants-close-due": {
        "task": "covenants.close_due",
        "schedule": env.float("COVENANT_CLOSE_SWEEP_SECONDS", default=300.0),
    },
}

# Where notifications go besides the inbox (notifications/channels.py); add SMS/WeChat here.
NOTIFICATION_CHANNELS = env.list(
    "NOTIFICATION_CHANNELS", default=["notifications.channels.EmailChannel"]
)

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="portal@localhost")

# Personal data (PIPL). ID-card numbers are encrypted with AES-GCM under a key ring that is
# separate from SECRET_KEY; the first key encrypts, all keys decrypt (rotation). The blind
# index is an HMAC under its own key. The embedded defaults protect a local demo only;
# production.py requires both from the environment.
PII_ENCRYPTION_KEYS = env.list(
    "PII_ENCRYPTION_KEYS",
    default=["demo:ZGVtby1vbmx5LWtleS1kby1ub3QtdXNlLWluLXByb2Q="],
)
PII_INDEX_KEY = env.str("PII_INDEX_KEY", default="demo-only-blind-index-key-not-for-production")

# Sign-in lock-out (django-axes): 5 failures lock the username+address pair for 30 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_HANDLER = env.str("AXES_HANDLER", default="axes.handlers.database.AxesDatabaseHandler")
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0)
# Phone number and username of one account count as one (accounts.backends).
AXES_USERNAME_CALLABLE = "accounts.backends.lockout_username"
# A JSON error for the API, a Chinese page for the admin form.
AXES_LOCKOUT_CALLABLE = "core.views.axes_lockout"

RATELIMIT_USE_CACHE = "default"
RATELIMIT_VIEW = "core.views.ratelimited"
# Posts of the admin's sign-in form per address (django-ratelimit), on top of axes' lock-out
# per username+address: one address trying many usernames is slowed down too.
RATELIMIT_ADMIN_LOGIN = env.str("RATELIMIT_ADMIN_LOGIN", default="20/m")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.pagination.PagePagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.exceptions.exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("THROTTLE_ANON", default="60/min"),
        "user": env.str("THROTTLE_USER", default="600/min"),
        "signup": env.str("THROTTLE_SIGNUP", default="10/hour"),
        "login": env.str("THROTTLE_LOGIN", default="30/min"),
    },
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DATETIME_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": True,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "街道微网格治理门户 API",
    "DESCRIPTION": (
        "Sub-district micro-grid governance portal. Session authentication with CSRF for the "
        "resident pages; token authentication for scripts. Every list is limited to the caller's "
        "scope in the organisation tree; an object outside it answers 404."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Choice sets that share a field name across apps get explicit component names.
    "ENUM_NAME_OVERRIDES": {
        "AccountRoleEnum": "accounts.models.Role",
        "VerificationStatusEnum": "accounts.models.User.Verification",
        "CommunityKindEnum": "grids.models.org.Community.Kind",
        "GridPlaceKindEnum": "grids.models.places.GridPlace.Kind",
        "GridResourceKindEnum": "grids.models.places.GridResource.Kind",
        "GridRoleKindEnum": "grids.models.people.GridRoleKind",
        "PatrolProblemStatusEnum": "grids.models.work.PatrolProblem.Status",
        "ResidentStatusEnum": "residents.models.Resident.Status",
        "TopicSourceEnum": "proposals.models.Topic.Source",
        "BudgetSourceEnum": "projects.models.BudgetLine.Source",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
