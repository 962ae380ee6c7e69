"""Redis is a help, not a single point of failure: with the production cache settings pointed at a port where
nothing listens, learners still register, log in, autosave and log out, 证书查验 answers, and the login rate
limit still refuses (counting in the process's own memory)."""

import json
import logging

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.urls import reverse

from demo import factories as f
from jxjy.accounts.models import Learner
from jxjy.core import cache as failsafe
from jxjy.core.models import FormDraft
from jxjy.notify.models import Notification

from .html_helpers import alerts
from .test_accounts import logged_in_user, post_signup

DOWN = "redis://127.0.0.1:1/0"  # nothing listens on port 1
OPTIONS = {"socket_connect_timeout": 0.3, "socket_timeout": 0.3}


def redis_cache(*, local_fallback: bool = False, prefix: str = "jxjy") -> dict:
    return {
        "BACKEND": "jxjy.core.cache.FailSafeRedisCache",
        "LOCATION": DOWN,
        "KEY_PREFIX": prefix,
        "RETRY_SECONDS": 5,
        "LOCAL_FALLBACK": local_fallback,
        "OPTIONS": OPTIONS,
    }


@pytest.fixture
def redis_down(settings):
    """The production cache and session settings (config/settings/prod.py), with Redis away."""
    settings.CACHES = {"default": redis_cache(), "ratelimit": redis_cache(local_fallback=True, prefix="jxjy-rl")}
    settings.RATELIMIT_USE_CACHE = "ratelimit"
    settings.SESSION_ENGINE = "jxjy.core.sessions"
    failsafe._outages.clear()
    caches["ratelimit"].clear()  # the local counts of earlier tests
    yield
    failsafe._outages.clear()


def test_a_learner_registers_autosaves_logs_out_and_logs_in_again_without_redis(client, db, redis_down):
    response = post_signup(client)
    assert "注册结果已通过短信发送至您的手机，请按短信提示登录。" in alerts(response)
    learner = Learner.objects.get(name="李娜").user
    assert _login(client, "650102198803150025", "Shuili@2026") == 302 and logged_in_user(client) == learner
    assert Session.objects.count() == 1  # the session is in the database

    saved = client.post(
        reverse("core:autosave"), json.dumps({"key": "prefiling:new", "pairs": [["class_name", "水利培训班"]]}),
        content_type="application/json",
    )  # fmt: skip
    # A learner keeps no draft of a base's form; the answer is the same clear refusal as with Redis up.
    assert saved.status_code == 400 and saved.json()["ok"] is False and "不能自动保存" in saved.json()["error"]
    assert not FormDraft.objects.filter(user=learner).exists()

    assert client.post(reverse("accounts:logout")).status_code == 302
    assert logged_in_user(client) is None and not Session.objects.exists()
    assert client.get(reverse("core:home")).status_code in (200, 302)

    assert _login(client, "13800138000", "Shuili@2026") == 302 and logged_in_user(client) == learner
    assert client.get(reverse("hours:ledger")).status_code == 200


def test_the_unread_count_and_certificate_check_work_without_redis(client_for, learner_user, redis_down):
    Notification.objects.create(recipient=learner_user, title="您的报名已通过")
    page = client_for(learner_user).get(reverse("core:home")).content.decode()
    assert '<span class="badge">1</span>' in page
    verify = client_for(learner_user).get(reverse("certificates:verify") + "?number=2026-ZY-000001")
    assert verify.status_code == 200


def test_the_login_limit_still_refuses_while_redis_is_away(client, base_user, settings, redis_down):
    settings.JXJY_LOGIN_RATE_PER_IP = "3/m"
    codes = [_attempt(client, f"nobody{n}", "10.7.7.7") for n in range(4)]
    assert codes == [200, 200, 200, 429]
    assert _attempt(client, "jd_sl", "10.8.8.8", password=f.PASSWORD) == 302  # other offices are not affected


def test_without_the_local_fallback_the_limit_would_open(client, base_user, settings, redis_down):
    """The control run: a rate-limit cache that only fails open lets every guess through."""
    settings.CACHES = {**settings.CACHES, "ratelimit": redis_cache(prefix="jxjy-rl")}
    settings.RATELIMIT_FAIL_OPEN = True
    settings.JXJY_LOGIN_RATE_PER_IP = "3/m"
    assert [_attempt(client, f"nobody{n}", "10.7.7.7") for n in range(4)] == [200, 200, 200, 200]


def _attempt(client, username: str, ip: str, password: str | None = None) -> int:
    return _login(client, username, password or "not-the-password", ip=ip)


def _login(client, username: str, password: str, ip: str = "10.1.1.1") -> int:
    data = {"username": username, "password": password}
    return client.post(reverse("accounts:login"), data, REMOTE_ADDR=ip).status_code


# ---- the backend itself ----


def test_the_failsafe_cache_answers_as_a_miss_and_logs_once_per_outage(db, redis_down, caplog):
    cache = caches["default"]
    with caplog.at_level(logging.WARNING, logger="jxjy.core.cache"):
        assert cache.get("k", "default") == "default"
        assert cache.add("k", 1) is False and cache.set("k", 1) is None and cache.delete("k") is False
        assert cache.get_many(["a", "b"]) == {} and cache.set_many({"a": 1}) == ["a"]
        with pytest.raises(ValueError):
            cache.incr("k")
    assert [r.getMessage() for r in caplog.records] == ["cache unavailable (ConnectionError): carrying on without it"]
    assert cache.is_down


def test_after_an_error_redis_is_left_alone_for_a_while_then_asked_again(settings, monkeypatch, caplog):
    settings.CACHES = {"default": {**redis_cache(), "RETRY_SECONDS": 60}}
    failsafe._outages.clear()
    asked = []

    def flaky_get(self, key, default=None, version=None):
        asked.append(key)
        if len(asked) == 1:
            raise failsafe.RedisError("down")
        return "back"

    monkeypatch.setattr(failsafe.RedisCache, "get", flaky_get)
    cache = caches["default"]
    assert cache.get("a") is None and cache.get("b") is None  # the second is not even asked
    assert asked == ["a"]
    cache._outage.retry_at = 0  # the retry interval has passed
    with caplog.at_level(logging.WARNING, logger="jxjy.core.cache"):
        assert cache.get("c") == "back"
    assert asked == ["a", "c"] and not cache.is_down
    assert caplog.records[-1].getMessage().startswith("cache available again")
    failsafe._outages.clear()


def test_the_session_store_survives_a_cache_that_raises(settings, base_user):
    """Even behind Django's plain RedisCache, whose every call raises while Redis is away."""
    from jxjy.core.sessions import SessionStore

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": DOWN,
                                   "OPTIONS": OPTIONS}}  # fmt: skip
    session = SessionStore()
    session["_auth_user_id"] = str(base_user.pk)
    session.create()
    assert SessionStore(session_key=session.session_key).load()["_auth_user_id"] == str(base_user.pk)
    assert SessionStore().exists(session.session_key)
    SessionStore(session_key=session.session_key).delete()
    assert SessionStore(session_key=session.session_key).load() == {}


def test_a_cached_session_copy_lives_only_briefly(settings, base_user, monkeypatch):
    """A copy left in Redis by an outage (the session ended meanwhile) cannot outlive JXJY_SESSION_CACHE_SECONDS."""
    from django.core.cache.backends.locmem import LocMemCache

    from jxjy.core.sessions import SessionStore

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "s"}}
    settings.JXJY_SESSION_CACHE_SECONDS = 60
    kept = []
    real_set = LocMemCache.set
    monkeypatch.setattr(LocMemCache, "set", lambda self, key, value, timeout=None, version=None: (
        kept.append(timeout), real_set(self, key, value, timeout, version))[1])  # fmt: skip
    session = SessionStore()
    session["_auth_user_id"] = str(base_user.pk)
    session.create()
    assert SessionStore(session_key=session.session_key).load()["_auth_user_id"] == str(base_user.pk)
    assert kept == [60]  # not the session's 30 minutes


def test_one_redis_client_serves_every_call_of_a_process(settings):
    """Django's client makes a redis.Redis (and its reply parsers) for each call; ours keeps one per pool."""
    settings.CACHES = {"default": redis_cache()}
    client = caches["default"]._cache
    assert client.get_client() is client.get_client(write=True) is client.get_client("any key")
