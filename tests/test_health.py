"""/healthz/live and /healthz/ready: unauthenticated, ok or fail per check and nothing more, 200 or 503."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db.backends.utils import CursorWrapper
from django.db.utils import OperationalError
from django.urls import reverse

from config.settings import base as base_settings
from jxjy.core import clock as platform_clock
from jxjy.core.models import WorkerHeartbeat

READY = reverse("core:healthz_ready")
LIVE = reverse("core:healthz_live")
ALL_OK = {"database": "ok", "cache": "ok", "storage": "ok", "worker": "ok"}


@pytest.fixture(autouse=True)
def every_check_required(settings):
    """Most tests here make every check count; the default is below (test_by_default_…)."""
    settings.JXJY_READY_REQUIRED = ["database", "cache", "storage", "worker"]


@pytest.fixture
def worker_alive(db, settings):
    settings.MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
    return WorkerHeartbeat.objects.create(worker_id="host-1", beat_at=platform_clock.now())


def test_ready_when_every_check_passes(client, worker_alive):
    response = client.get(READY)
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": ALL_OK}
    assert response["Cache-Control"].startswith("max-age=0")


def test_live_needs_nothing(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(LIVE)
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_a_cache_that_raises_makes_the_node_unready(client, worker_alive, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("redis at 10.0.0.5:6379 refused")

    monkeypatch.setattr(cache, "set", broken)
    response = client.get(READY)
    assert response.status_code == 503
    assert response.json() == {"status": "fail", "checks": {**ALL_OK, "cache": "fail"}}
    assert b"10.0.0.5" not in response.content and b"refused" not in response.content


def test_a_cache_that_loses_values_makes_the_node_unready(client, worker_alive, monkeypatch):
    monkeypatch.setattr(cache, "get", lambda *args, **kwargs: None)  # the fail-safe cache's answer when down
    assert client.get(READY).json()["checks"]["cache"] == "fail"


def test_a_database_that_raises_makes_the_node_unready(client, worker_alive, monkeypatch):
    def broken(self, sql, params=None):
        raise OperationalError('connection to server at "db.internal" failed: password authentication failed')

    with monkeypatch.context() as patched:  # undone before the test's own teardown uses the database
        patched.setattr(CursorWrapper, "execute", broken)
        response = client.get(READY)
    assert response.status_code == 503
    assert response.json() == {"status": "fail", "checks": {**ALL_OK, "database": "fail", "worker": "fail"}}
    assert b"db.internal" not in response.content and b"password" not in response.content


def test_no_recent_heartbeat_makes_the_node_unready(client, worker_alive, clock, settings):
    settings.JXJY_WORKER_STALE_SECONDS = 60
    clock.shift(dt.timedelta(seconds=59))
    assert client.get(READY).status_code == 200
    clock.shift(dt.timedelta(seconds=2))  # the worker died 61 seconds ago
    response = client.get(READY)
    assert response.status_code == 503 and response.json()["checks"] == {**ALL_OK, "worker": "fail"}


def test_without_any_worker_the_node_is_unready(client, db, settings):
    settings.MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
    assert client.get(READY).status_code == 503


def test_missing_storage_makes_the_node_unready(client, worker_alive, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "not-mounted"
    response = client.get(READY)
    assert response.status_code == 503 and response.json()["checks"]["storage"] == "fail"


def test_by_default_redis_and_the_worker_are_only_reported(client, db, settings, monkeypatch):
    """The site serves without Redis and without a worker: neither outage takes every node out of the balancer."""
    settings.MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
    settings.JXJY_READY_REQUIRED = base_settings.JXJY_READY_REQUIRED
    monkeypatch.setattr(cache, "get", lambda *args, **kwargs: None)
    response = client.get(READY)
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {**ALL_OK, "cache": "fail", "worker": "fail"}}


def test_checks_left_out_of_the_required_list_are_only_reported(client, db, settings):
    """JXJY_READY_REQUIRED=database,storage: a node without a worker still takes traffic."""
    settings.MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
    settings.JXJY_READY_REQUIRED = ["database", "storage"]
    response = client.get(READY)
    assert response.status_code == 200 and response.json() == {"status": "ok", "checks": {**ALL_OK, "worker": "fail"}}


def test_the_probes_refuse_writes_and_need_no_login(client, worker_alive, base_user):
    assert client.post(READY).status_code == 405 and client.post(LIVE).status_code == 405
    client.force_login(base_user)
    assert client.get(READY).status_code == 200  # the same answer signed in
