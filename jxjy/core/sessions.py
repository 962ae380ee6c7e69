"""Sessions in the database, with a copy in the cache that is only a help (SESSION_ENGINE in production).

Django's cached_db, except that no cache error reaches the user: reading falls back to the database, and a
copy that cannot be written or removed is simply not there. So that a copy left behind by an outage (a
session ended while Redis was away: 退出, 停用账号) cannot outlive it for long, a copy is kept at most
`JXJY_SESSION_CACHE_SECONDS`; the database row stays the truth.
"""

import logging

from django.conf import settings
from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.contrib.sessions.backends.db import SessionStore as DBStore
from django.utils.crypto import get_random_string

logger = logging.getLogger(__name__)


def _cache_seconds() -> int:
    return getattr(settings, "JXJY_SESSION_CACHE_SECONDS", 60)


class SessionStore(cached_db.SessionStore):
    def _keep(self, data: dict, age: int) -> None:
        try:
            self._cache.set(self.cache_key, data, min(age, _cache_seconds()))
        except Exception:
            logger.warning("session cache unavailable: kept in the database only", exc_info=True)

    def load(self):
        try:
            data = self._cache.get(self.cache_key)
        except Exception:
            data = None
        if data is not None:
            return data
        row = self._get_session_from_db()
        if row is None:
            return {}
        data = self.decode(row.session_data)
        self._keep(data, self.get_expiry_age(expiry=row.expire_date))
        return data

    def exists(self, session_key):
        try:
            if session_key and (self.cache_key_prefix + session_key) in self._cache:
                return True
        except Exception:
            logger.warning("session cache unavailable: asking the database", exc_info=True)
        return DBStore.exists(self, session_key)

    def cycle_key(self):
        """A new key at login without writing the session twice: Django's cycle_key inserts an empty row at
        once and updates it when the request ends; here the row is made only then, with what the login put in.
        """
        data, old = self._session, self.session_key
        self._session_key = None  # save() creates a new key and its row
        self._session_cache = data
        self.modified = True
        if old:
            self.delete(old)

    def _get_new_session_key(self):
        """A random key, without asking first whether it is taken: the row's INSERT refuses a taken key, and
        create() then draws another (Django's loop), so the check would only cost a query and a cache call."""
        return get_random_string(32, VALID_KEY_CHARS)

    def save(self, must_create=False):
        if self.session_key is None:
            return self.create()  # which saves, and keeps the copy, through this method
        DBStore.save(self, must_create)
        self._keep(self._session, self.get_expiry_age())

    def delete(self, session_key=None):
        DBStore.delete(self, session_key)
        session_key = session_key or self.session_key
        if session_key is None:
            return
        try:
            self._cache.delete(self.cache_key_prefix + session_key)
        except Exception:
            logger.warning("session cache unavailable: the cached copy expires by itself", exc_info=True)
