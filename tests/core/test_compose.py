"""docker-compose.yml read against the settings and deploy/nginx.conf (no Docker engine runs
here, so the stack's wiring is checked by reading it)."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_nginx_serves_the_media_volume_that_the_app_writes_to():
    compose = _compose()
    services = compose["services"]
    app_env = services["web"]["environment"]
    proxy = services["proxy"]
    media_root = app_env["MEDIA_ROOT"]
    assert f"media:{media_root}:ro" in proxy["volumes"]
    assert f"media:{media_root}" in services["web"]["volumes"]
    conf_mount = next(v for v in proxy["volumes"] if v.endswith("default.conf:ro"))
    conf = (ROOT / conf_mount.split(":")[0]).read_text()
    assert re.search(rf"location /media/ \{{\s*alias {re.escape(media_root)}/;", conf)
    # The upstream is the web service on the port it exposes.
    assert "server web:8000;" in conf
    assert "8000" in [str(p) for p in services["web"]["expose"]]


def test_only_the_proxy_publishes_a_port():
    services = _compose()["services"]
    published = {name for name, svc in services.items() if svc.get("ports")}
    assert published == {"proxy"}


def test_exactly_one_beat_and_every_app_service_runs_production_settings():
    services = _compose()["services"]
    beats = [n for n, s in services.items() if "beat" in " ".join(s.get("command") or [])]
    assert beats == ["beat"]
    for name in ("web", "worker", "beat", "migrate"):
        env = services[name]["environment"]
        assert env["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["REDIS_URL"].startswith("redis://")


def test_private_uploads_are_only_reachable_through_the_app():
    """Dispute agreements live beside MEDIA_ROOT, not under it: nginx serves them only as an
    internal location that the app's permission-checked download names in X-Accel-Redirect."""
    compose = _compose()
    services = compose["services"]
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    assert "media-private:/data/media-private" in services["web"]["volumes"]
    assert "media-private:/data/media-private:ro" in services["proxy"]["volumes"]
    assert re.search(r"location /protected/ \{\s*internal;\s*alias /data/media-private/;", conf)
    assert "/data/media-private" not in conf.split("location /media/")[1].split("}")[0]
