"""Tests that need PostgreSQL's tools, Redis or a second process: how they reach them, and how they
skip on a developer's machine without them but fail in CI (CI=true), where they must run."""

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("JXJY_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL)")


def require(available: bool, reason: str) -> None:
    if available:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


def require_tools(*names: str) -> None:
    missing = [n for n in names if not shutil.which(n)]
    require(not missing, f"needs {', '.join(missing)} (Debian package postgresql-client)")


def redis_client():
    """The tests' own Redis database (/5 unless JXJY_TEST_REDIS_URL says otherwise), emptied."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError:
        require(False, f"needs Redis at {REDIS_URL}")
    client.flushdb()
    return client


def database_url(name: str | None = None) -> str:
    """A libpq URL of the test database (or of another database on the same server)."""
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name or s['NAME']}"


def child_env(**extra: str) -> dict[str, str]:
    """The environment of a child process: this one's, without what pytest and the browser tests set."""
    dropped = ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(extra)
    return env


# The production settings, as the application servers and the task worker of these tests run them.
PROD_SECRET_KEY = "test-prod-" + "k" * 50


def prod_env(**extra) -> dict[str, str]:
    from django.conf import settings

    from jxjy.certificates import identity

    identity.load_identity()  # makes the tests' throw-away signing identity if it is not there yet
    env = child_env(
        DJANGO_SETTINGS_MODULE="config.settings.prod",
        SECRET_KEY=PROD_SECRET_KEY,
        JXJY_PII_KEY=settings.JXJY_PII_KEY,  # the same people, encrypted by this process or by the servers
        ALLOWED_HOSTS="127.0.0.1",
        REDIS_URL=REDIS_URL,
        # Production signs only with a configured key: the tests' own, so that this process verifies its files.
        JXJY_SIGNING_PKCS12=str(Path(settings.JXJY_SIGNING_DEV_DIR) / identity.P12_NAME),
        DATABASE_URL=database_url() if connection.vendor == "postgresql" else "postgres://jxjy@127.0.0.1:5432/jxjy",
        # Checkpoints outside the project's var/, where the demo's own would meet rows signed with another key.
        JXJY_AUDIT_CHECKPOINT_FILE=str(Path(tempfile.gettempdir()) / "jxjy-test-prod-audit-checkpoints.jsonl"),
    )
    env.update({k: str(v) for k, v in extra.items()})
    return env
