"""Health endpoints for the load balancer: cheap, unauthenticated, and saying nothing but ok or fail.

`/healthz/live`: the process answers (no database, no cache). `/healthz/ready`: this node can serve —
the database answers, the cache keeps a value, the file storage is reachable, and a task worker has
written its heartbeat within `JXJY_WORKER_STALE_SECONDS`. 200 when every check in `JXJY_READY_REQUIRED`
passes, else 503; the body is {"status": …, "checks": {name: "ok" | "fail"}}, never an error's text.
"""

import datetime as dt
import logging
import os
import secrets
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from . import clock
from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)
CHECKS = ("database", "cache", "storage", "worker")


def check_database() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def check_cache() -> bool:
    # The fail-safe cache never raises: a value that does not come back is the sign.
    token = secrets.token_hex(8)
    cache.set("healthz", token, 10)
    return cache.get("healthz") == token


def check_storage() -> bool:
    if isinstance(default_storage, FileSystemStorage):
        root = default_storage.location
        return os.path.isdir(root) and os.access(root, os.W_OK)
    default_storage.exists("healthz")  # object storage: one HEAD request; an error is the failure
    return True


def check_worker() -> bool:
    since = clock.now() - dt.timedelta(seconds=settings.JXJY_WORKER_STALE_SECONDS)
    return WorkerHeartbeat.objects.filter(beat_at__gte=since).exists()


PROBES: dict[str, Callable[[], bool]] = {
    "database": check_database,
    "cache": check_cache,
    "storage": check_storage,
    "worker": check_worker,
}


def run_checks() -> dict[str, str]:
    """Each check's "ok" or "fail"; why it failed goes to the log, not to the caller."""
    results = {}
    for name, probe in PROBES.items():
        try:
            passed = probe()
        except Exception:
            logger.warning("readiness check %s failed", name, exc_info=True)
            passed = False
        results[name] = "ok" if passed else "fail"
    return results


@never_cache
@require_safe
def live(request):
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def ready(request):
    results = run_checks()
    required = [name for name in settings.JXJY_READY_REQUIRED if name in results]
    passed = all(results[name] == "ok" for name in required)
    return JsonResponse({"status": "ok" if passed else "fail", "checks": results}, status=200 if passed else 503)
