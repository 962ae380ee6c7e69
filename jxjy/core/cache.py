"""Redis as a help, not a single point of failure.

`FailSafeRedisCache` is Django's RedisCache whose every call survives Redis being down: the error is logged
once per outage and the call answers as a miss (get → default, add → False, incr → ValueError as for a
missing key), so a page, a login or 证书查验 goes on without the cache. After an error Redis is left alone
for `RETRY_SECONDS` (each process on its own), so an outage costs one short timeout now and then, not one
per call. With `LOCAL_FALLBACK` the calls go to this process's own memory while Redis is away: the rate
limits keep counting (per process) instead of opening the door to password guessing.

    "BACKEND": "jxjy.core.cache.FailSafeRedisCache", "RETRY_SECONDS": 5, "LOCAL_FALLBACK": False,
    "OPTIONS": {"socket_connect_timeout": 0.3, "socket_timeout": 0.3},
"""

import logging
import socket
import threading
import time
from dataclasses import dataclass

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# What "Redis is away" looks like: refused or timed-out connections, a server that is loading or read-only.
CACHE_ERRORS = (RedisError, OSError, socket.timeout)


@dataclass
class _Outage:
    """One process's view of one Redis: since when it has been failing, and when to ask it again."""

    since: float | None = None
    retry_at: float = 0.0


_outages: dict[str, _Outage] = {}
_lock = threading.Lock()


class OneClientPerPool(RedisCacheClient):
    """Django's client builds a redis.Redis object, with its table of reply parsers, for every call (two or three
    on each page); one per connection pool serves them all, since the pool holds the connections."""

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        if id(pool) not in clients:
            clients[id(pool)] = self._client(connection_pool=pool)
        return clients[id(pool)]


class FailSafeRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = OneClientPerPool
        self.retry_seconds = float(params.get("RETRY_SECONDS", 5))
        self._name = f"{server}|{params.get('KEY_PREFIX', '')}"
        with _lock:
            self._outage = _outages.setdefault(self._name, _Outage())
        self._local = LocMemCache(f"failsafe:{self._name}", params) if params.get("LOCAL_FALLBACK") else None

    # -- the circuit: one log line when Redis goes away, one when it is back --

    def _available(self) -> bool:
        return self._outage.since is None or time.monotonic() >= self._outage.retry_at

    def _failed(self, error: Exception) -> None:
        now = time.monotonic()
        if self._outage.since is None:
            self._outage.since = now
            logger.error("cache unavailable (%s): carrying on without it", type(error).__name__)
        self._outage.retry_at = now + self.retry_seconds

    def _succeeded(self) -> None:
        if self._outage.since is not None:
            logger.warning("cache available again after %.0f s", time.monotonic() - self._outage.since)
            self._outage.since = None

    def _call(self, name: str, args: tuple, kwargs: dict, fallback):
        """Redis's answer, else the local cache's (LOCAL_FALLBACK), else `fallback()`."""
        if self._available():
            try:
                result = getattr(super(), name)(*args, **kwargs)
            except CACHE_ERRORS as error:
                self._failed(error)
            else:
                self._succeeded()
                return result
        if self._local is not None:
            return getattr(self._local, name)(*args, **kwargs)
        return fallback()

    @property
    def is_down(self) -> bool:
        """Whether this process last found Redis failing (health checks report it)."""
        return self._outage.since is not None

    # -- the cache API --

    def get(self, key, default=None, version=None):
        return self._call("get", (key, default, version), {}, lambda: default)

    def get_many(self, keys, version=None):
        return self._call("get_many", (keys, version), {}, dict)

    def has_key(self, key, version=None):
        return self._call("has_key", (key, version), {}, lambda: False)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", (key, value, timeout, version), {}, lambda: None)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", (key, value, timeout, version), {}, lambda: False)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", (key, timeout, version), {}, lambda: False)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", (data, timeout, version), {}, lambda: list(data))

    def delete(self, key, version=None):
        return self._call("delete", (key, version), {}, lambda: False)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", (keys, version), {}, lambda: None)

    def incr(self, key, delta=1, version=None):
        def missing():
            raise ValueError(f"Key '{key}' not found (cache unavailable)")

        return self._call("incr", (key, delta, version), {}, missing)

    def clear(self):
        return self._call("clear", (), {}, lambda: False)
