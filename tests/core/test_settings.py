"""Production settings: strict, `check --deploy` clean, and no default secrets."""

import base64
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent.parent

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "PII_ENCRYPTION_KEYS": "k1:" + base64.b64encode(os.urandom(32)).decode(),
    "PII_INDEX_KEY": secrets.token_urlsafe(32),
    "DJANGO_ALLOWED_HOSTS": "example.org",
}
# Variables that would leak the test run's choices into the production process.
SCRUBBED = (
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_SECRET_KEY",
    "PII_ENCRYPTION_KEYS",
    "PII_INDEX_KEY",
    "DJANGO_ALLOWED_HOSTS",
    "DJANGO_DEBUG",
    # Set for the browser tests' thread (tests/browser/conftest.py), never for a real process.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)


def run(args, env_overrides, drop=()):
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED}
    env.update(env_overrides)
    for name in drop:
        env.pop(name, None)
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_check_deploy_has_no_warning():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "missing", ["DJANGO_SECRET_KEY", "PII_ENCRYPTION_KEYS", "PII_INDEX_KEY", "DJANGO_ALLOWED_HOSTS"]
)
def test_production_refuses_to_load_without_its_secrets(missing):
    code = "import django; django.setup()"
    result = run(["-c", code], PRODUCTION_ENV, drop=[missing])
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr


def test_production_settings_are_strict():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS >= 31536000, s.SECRET_KEY == "
        f"{PRODUCTION_ENV['DJANGO_SECRET_KEY']!r})"
    )
    result = run(["-c", code], PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "True", "True", "True", "True"]
