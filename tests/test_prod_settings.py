"""config.settings.prod: check --deploy is clean, Redis and PostgreSQL are required, static files and
attachments go where the environment says, and behind nginx the client's address is the client's."""

import json
import os
import subprocess
import sys
import time

import pytest
from django.test import RequestFactory
from django.urls import reverse

from demo import factories as f
from jxjy.core.middleware import LOGIN_AT
from jxjy.core.proxy import TrustedProxyMiddleware

from .service_helpers import ROOT, child_env, prod_env

SHOW = """
import json, django
django.setup()
from django.conf import settings
from django.core.files.storage import storages
default_storage = storages["default"]
print(json.dumps({
    "middleware": settings.MIDDLEWARE[:3], "session": settings.SESSION_ENGINE,
    "cache": settings.CACHES["default"]["BACKEND"], "cache_at": settings.CACHES["default"].get("LOCATION"),
    "cache_options": settings.CACHES["default"].get("OPTIONS"), "ratelimit": settings.CACHES.get("ratelimit"),
    "ratelimit_cache": getattr(settings, "RATELIMIT_USE_CACHE", None),
    "redirect_exempt": settings.SECURE_REDIRECT_EXEMPT,
    "tasks": settings.TASKS["default"]["BACKEND"], "static": type(storages["staticfiles"]).__name__,
    "media": type(default_storage).__name__, "bucket": getattr(default_storage, "bucket_name", None),
    "endpoint": getattr(default_storage, "endpoint_url", None),
}))
"""


def _python(code: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def test_check_deploy_is_clean():
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=prod_env(), capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "System check identified no issues" in done.stdout


def test_production_uses_redis_whitenoise_the_task_queue_and_local_disk():
    done = _python(SHOW, prod_env(REDIS_URL="redis://127.0.0.1:6379/3"))
    assert done.returncode == 0, done.stderr
    shown = json.loads(done.stdout)
    assert shown["middleware"] == [
        "jxjy.core.proxy.TrustedProxyMiddleware",
        "django.middleware.security.SecurityMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",
    ]
    # Redis is a help, not a single point of failure (tests/test_redis_outage.py).
    assert shown["session"] == "jxjy.core.sessions"
    assert shown["cache"] == "jxjy.core.cache.FailSafeRedisCache" and shown["cache_at"] == "redis://127.0.0.1:6379/3"
    assert shown["cache_options"] == {"socket_connect_timeout": 0.3, "socket_timeout": 0.3}
    assert shown["ratelimit_cache"] == "ratelimit" and shown["ratelimit"]["LOCAL_FALLBACK"] is True
    assert shown["ratelimit"]["LOCATION"] == "redis://127.0.0.1:6379/3"
    assert shown["redirect_exempt"] == [r"^healthz/"]  # the load balancer probes gunicorn over http
    assert shown["tasks"] == "django_tasks_db.DatabaseBackend"
    assert shown["static"] == "CompressedManifestStaticFilesStorage" and shown["media"] == "FileSystemStorage"


def test_a_named_bucket_puts_attachments_in_object_storage():
    env = prod_env(JXJY_S3_BUCKET="jxjy-media", JXJY_S3_ENDPOINT_URL="https://obs.example.com")
    done = _python(SHOW, env)
    assert done.returncode == 0, done.stderr
    shown = json.loads(done.stdout)
    assert (shown["media"], shown["bucket"], shown["endpoint"]) == (
        "S3Storage",
        "jxjy-media",
        "https://obs.example.com",
    )


@pytest.mark.parametrize(
    ("missing", "message"), [("REDIS_URL", "REDIS_URL"), ("DATABASE_URL", "DATABASE_URL"), ("SECRET_KEY", "SECRET_KEY")]
)
def test_production_refuses_to_start_without(missing, message):
    env = {k: v for k, v in prod_env().items() if k != missing}
    done = _python("import django; django.setup()", env)
    assert done.returncode != 0 and "ImproperlyConfigured" in done.stderr and message in done.stderr


def test_development_runs_jobs_in_the_request_without_a_worker():
    env = child_env(DJANGO_SETTINGS_MODULE="config.settings.dev")
    done = _python(SHOW, env)
    assert json.loads(done.stdout)["tasks"] == "django_tasks.backends.immediate.ImmediateBackend"


def _address(settings, *, peer: str, real: str | None) -> str:
    settings.JXJY_TRUSTED_PROXIES = ["127.0.0.1"]
    request = RequestFactory().get("/", REMOTE_ADDR=peer, **({"HTTP_X_REAL_IP": real} if real else {}))
    return TrustedProxyMiddleware(lambda r: r.META["REMOTE_ADDR"])(request)


def test_the_clients_address_comes_from_the_trusted_proxy_only(settings):
    assert _address(settings, peer="127.0.0.1", real="203.0.113.7") == "203.0.113.7"
    assert _address(settings, peer="198.51.100.2", real="203.0.113.7") == "198.51.100.2"  # not our proxy
    assert _address(settings, peer="127.0.0.1", real="not-an-address") == "127.0.0.1"
    assert _address(settings, peer="127.0.0.1", real=None) == "127.0.0.1"


def test_session_limits_hold_with_cached_db_sessions(client, base_user, settings):
    """Production keeps sessions in the database with a copy in the cache: the 12-hour maximum still ends them."""
    settings.SESSION_ENGINE = "jxjy.core.sessions"
    assert client.post(reverse("accounts:login"), {"username": "jd_sl", "password": f.PASSWORD}).status_code == 302
    assert client.get(reverse("filings:list")).status_code == 200
    session = client.session
    session[LOGIN_AT] = time.time() - settings.JXJY_SESSION_MAX_HOURS * 3600 - 1
    session.save()
    response = client.get(reverse("filings:list"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


DEV_SHOW = """
import json, django
django.setup()
from django.conf import settings
whitenoise = "whitenoise.middleware.WhiteNoiseMiddleware" in settings.MIDDLEWARE
print(json.dumps({"debug": settings.DEBUG, "whitenoise": whitenoise, "finders": settings.WHITENOISE_USE_FINDERS}))
"""


@pytest.mark.parametrize(("flag", "debug"), [("", False), ("1", True)])
def test_make_run_shows_the_site_as_users_see_it_and_run_debug_gives_debug_pages(tmp_path, flag, debug):
    """make run: DEBUG off (the site's own error pages), static files from the application; make run-debug: on."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev", "JXJY_DEBUG": flag,
           "DATABASE_URL": f"sqlite:///{tmp_path}/dev.sqlite3"}  # fmt: skip
    done = _python(DEV_SHOW, env)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"debug": debug, "whitenoise": True, "finders": True}
