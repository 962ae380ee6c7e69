"""Sessions: the idle timeout (renewed at most once a minute, not written on every request), a new key at
login, an absolute maximum, and disabled accounts or changed roles signed out at once."""

import datetime as dt
import time

from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from demo import factories as f
from jxjy.accounts import dual_control
from jxjy.accounts.models import AdminRequest, Role
from jxjy.accounts.services import disable_account
from jxjy.core.clock import now as platform_now
from jxjy.core.middleware import LOGIN_AT


def login(client, username):
    response = client.post(reverse("accounts:login"), {"username": username, "password": f.PASSWORD})
    assert response.status_code == 302
    return client


def test_login_gives_a_new_session_key(client, base_user):
    client.get(reverse("accounts:login"))
    client.session.save()
    before = client.session.session_key
    login(client, "jd_sl")
    assert client.session.session_key != before


def test_the_production_store_writes_the_new_session_of_a_login_once(client, base_user, settings):
    """jxjy.core.sessions: the login's new key and its row are made once, when the request ends (Django's
    cycle_key inserts an empty row and updates it); the session before the login ends, its data goes along.
    A taken key is refused by the INSERT and another drawn."""
    from jxjy.core.sessions import SessionStore

    settings.SESSION_ENGINE = "jxjy.core.sessions"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "s1"}}
    before = SessionStore()
    before["kept_by_the_login"] = 1
    before.create()
    client.cookies[settings.SESSION_COOKIE_NAME] = before.session_key

    with CaptureQueriesContext(connection) as queries:
        login(client, "jd_sl")
    sql = [q["sql"] for q in queries if '"django_session"' in q["sql"]]
    writes = [q.split(" ")[0] for q in sql if not q.startswith("SELECT")]
    assert writes.count("INSERT") == 1 and "UPDATE" not in writes
    assert not [q for q in sql if q.startswith('SELECT 1 AS "a"')]  # no "is the new key taken?": the INSERT tells

    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before.session_key
    assert not Session.objects.filter(session_key=before.session_key).exists()
    data = Session.objects.get(session_key=after).get_decoded()
    assert data["_auth_user_id"] == str(base_user.pk) and data["kept_by_the_login"] == 1
    assert client.get(reverse("filings:list")).status_code == 200


def test_a_taken_session_key_is_refused_by_the_insert_and_another_drawn(settings, base_user, monkeypatch):
    from jxjy.core import sessions

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "s2"}}
    taken = sessions.SessionStore()
    taken["_auth_user_id"] = str(base_user.pk)
    taken.create()
    draws = iter([taken.session_key, "k" * 32])
    monkeypatch.setattr(sessions, "get_random_string", lambda length, chars: next(draws))

    new = sessions.SessionStore()
    new["mine"] = 1
    new.save()
    assert new.session_key == "k" * 32
    assert Session.objects.get(session_key=taken.session_key).get_decoded() == {"_auth_user_id": str(base_user.pk)}
    assert Session.objects.get(session_key="k" * 32).get_decoded() == {"mine": 1}


def test_session_ends_after_the_absolute_maximum(client, base_user, settings):
    settings.JXJY_SESSION_MAX_HOURS = 12
    login(client, "jd_sl")
    assert client.get(reverse("filings:list")).status_code == 200
    session = client.session
    session[LOGIN_AT] = time.time() - 12 * 3600 - 1
    session.save()
    response = client.get(reverse("filings:list"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert client.get(reverse("filings:list")).status_code == 302


def test_disabling_an_account_ends_its_sessions(client, base_user):
    login(client, "jd_sl")
    base_user.is_active = False
    base_user.save()
    response = client.get(reverse("filings:list"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_logout_ends_the_session(client, base_user):
    login(client, "jd_sl")
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("filings:list")).status_code == 302


def test_a_session_lasts_the_idle_timeout_from_each_request(client, base_user, settings):
    login(client, "jd_sl")
    assert settings.SESSION_COOKIE_AGE == settings.JXJY_SESSION_IDLE_MINUTES * 60 == 30 * 60
    client.get(reverse("filings:list"))
    session = Session.objects.get(session_key=client.session.session_key)
    remaining = (session.expire_date - timezone.now()).total_seconds()
    assert 30 * 60 - 60 < remaining <= 30 * 60


def test_an_idle_session_has_ended(client, base_user):
    login(client, "jd_sl")
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    response = client.get(reverse("filings:list"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_disabling_deletes_the_accounts_sessions(client, base_user, sysadmin_user):
    login(client, "jd_sl")
    other = Client()
    login(other, "jd_sl")
    disable_account(base_user, actor=sysadmin_user)
    keys = [client.session.session_key, other.session.session_key]
    assert not Session.objects.filter(session_key__in=keys).exists()


def test_a_role_change_ends_the_accounts_sessions(client_for, auditor_user, secadmin_user, sysadmin_user):
    client = client_for(auditor_user)
    assert client.get(reverse("core:audit_log")).status_code == 200
    asked = dual_control.ask(AdminRequest.Kind.GRANT_ROLE, auditor_user, actor=secadmin_user, role=Role.SYSADMIN)
    dual_control.approve(asked, actor=sysadmin_user)
    response = client.get(reverse("core:audit_log"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


# ---- the idle timeout without a write on every request (jxjy.accounts.middleware.SessionRefreshMiddleware) ----


def session_writes(queries) -> list[str]:
    """The INSERTs and UPDATEs of django_session among `queries`."""
    return [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE")) and '"django_session"' in q["sql"].split("SET")[0]
    ]


def test_a_session_idle_for_the_timeout_has_ended(client, base_user, clock):
    login(client, "jd_sl")
    clock.shift(dt.timedelta(seconds=50))
    assert client.get(reverse("filings:list")).status_code == 200  # renewed at the login 50 s ago: not written
    clock.shift(dt.timedelta(minutes=29, seconds=-1))
    assert client.get(reverse("filings:list")).status_code == 200  # 29 min 49 s after the last write: renewed
    clock.shift(dt.timedelta(minutes=30, seconds=1))  # idle for the timeout
    response = client.get(reverse("filings:list"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_a_session_used_every_50_seconds_lasts_and_is_written_at_most_once_a_minute(client, base_user, clock):
    login(client, "jd_sl")
    with CaptureQueriesContext(connection) as queries:
        for _ in range(48):  # 40 minutes, longer than the idle timeout
            clock.shift(dt.timedelta(seconds=50))
            assert client.get(reverse("filings:list")).status_code == 200
    assert len(session_writes(queries)) == 24  # every other request: 100 s after the last renewal
    session = Session.objects.get(session_key=client.session.session_key)
    assert (session.expire_date - platform_now()).total_seconds() > 29 * 60


def test_a_request_within_a_minute_of_the_last_renewal_does_not_write_the_session(client, base_user, clock):
    login(client, "jd_sl")
    client.get(reverse("filings:list"))
    written = Session.objects.get(session_key=client.session.session_key).expire_date
    clock.shift(dt.timedelta(seconds=55))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("filings:list")).status_code == 200
    assert session_writes(queries) == []
    assert Session.objects.get(session_key=client.session.session_key).expire_date == written

    clock.shift(dt.timedelta(seconds=6))  # a minute has passed: renewed
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("filings:list")).status_code == 200
    assert len(session_writes(queries)) == 1
    session = Session.objects.get(session_key=client.session.session_key)
    assert 30 * 60 - 60 < (session.expire_date - platform_now()).total_seconds() <= 30 * 60


def test_staying_signed_in_renews_the_session_at_once(client, base_user, clock):
    """保持登录 (the idle warning's button) renews the full 30 minutes, even within the minute."""
    login(client, "jd_sl")
    clock.shift(dt.timedelta(seconds=30))
    with CaptureQueriesContext(connection) as queries:
        assert client.post(reverse("core:keepalive")).json()["ok"]
    assert len(session_writes(queries)) == 1
    clock.shift(dt.timedelta(minutes=30, seconds=-10))  # 30 min 20 s after the login, 29 min 50 s after 保持登录
    assert client.get(reverse("filings:list")).status_code == 200


def test_a_session_used_all_day_still_ends_at_the_absolute_maximum(client, base_user, clock, settings):
    settings.JXJY_SESSION_MAX_HOURS = 12
    login(client, "jd_sl")
    for _ in range(35):  # every 20 minutes for 11 h 40 min
        clock.shift(dt.timedelta(minutes=20))
        assert client.get(reverse("filings:list")).status_code == 200
    clock.shift(dt.timedelta(minutes=21))  # 12 h 1 min after the login
    response = client.get(reverse("filings:list"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_ending_sessions_also_removes_the_cached_copy(settings, base_user):
    """Production keeps sessions in the database and the cache (cached_db): ending one must reach both."""
    from importlib import import_module

    from jxjy.accounts.services import end_sessions

    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    store = import_module(settings.SESSION_ENGINE).SessionStore
    session = store()
    session["_auth_user_id"] = str(base_user.pk)
    session.create()
    assert store(session_key=session.session_key).load()["_auth_user_id"] == str(base_user.pk)
    assert end_sessions(base_user) == 1
    assert store(session_key=session.session_key).load() == {}  # neither the row nor the cached copy is left
