"""Login throttling (django-axes): five failures lock the pair (account, address), and after three a 图形验证码.

The lock is the pair's, not the account's: a guesser elsewhere locks only their own address out of the account,
never its holder (the 安全管理员 gets in from their own address, then passes the second factor). A guesser
trying many accounts from one address, or one account from many addresses, meets the 图形验证码 after
JXJY_LOGIN_CAPTCHA_AFTER failures (for that account from anywhere, or from that address on any account), and
the per-address rate limit of the login view.

The account key is a keyed hash, so that learners' 身份证号 and mobiles never stand in the lockout tables in
plain text, and one person's 身份证号 and mobile count against the same account. Everything is counted in the
database (axes' AccessAttempt, the captcha's CaptchaStore), so a login works the same while Redis is away.
"""

import hashlib
import hmac

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off, get_credentials
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from captcha.models import CaptchaStore
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db.models import Q, Sum
from django.dispatch import receiver

from jxjy.audit import trail as audit
from jxjy.audit.models import Outcome
from jxjy.core import clock

from .audit_actions import AccountAction
from .backends import find_user_once
from .models import User


def client_address(request) -> str | None:
    """The client's address (AXES_CLIENT_IP_CALLABLE): REMOTE_ADDR, which jxjy.core.proxy has set from X-Real-IP
    when the request came through a trusted proxy (JXJY_TRUSTED_PROXIES). A client's own headers count for nothing."""
    return request.META.get("REMOTE_ADDR") or None


def lockout_key(request, credentials) -> str:
    """The keyed hash of the account tried, whichever of its login names was typed (computed once a request)."""
    login = ((credentials or {}).get("username") or "").strip()
    keys = getattr(request, "_jxjy_lockout_keys", None)
    if keys is None:
        keys = {}
        if request is not None:
            request._jxjy_lockout_keys = keys
    if login not in keys:
        # The account just signed in first: axes names it by its user name, which finds no learner (a query for
        # nothing at every learner's login).
        user = _signed_in_as(request, login) or _account_tried(request, credentials)
        keys[login] = key_for_user(user) if user else _keyed(f"login:{login.upper()}")
    return keys[login]


def _signed_in_as(request, login: str) -> User | None:
    """At a successful login axes names the account by its user name, which for a learner is no login name."""
    user = getattr(request, "user", None)
    if login and user is not None and user.is_authenticated and user.get_username() == login:
        return user
    return None


def key_for_user(user) -> str:
    """The lockout key of an account, whichever of its login names was typed."""
    return _keyed(f"user:{user.pk}")


def _keyed(canonical: str) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), canonical.encode(), hashlib.sha256).hexdigest()
    return f"k:{digest[:40]}"


def _account_tried(request, credentials) -> User | None:
    login = ((credentials or {}).get("username") or "").strip()
    return find_user_once(request, login) if login else None


# ---- the 图形验证码 ----


# The account's recent failures as recent_failures read them in this request, by lockout key.
FAILURES_READ = "_jxjy_account_failures"


def _none_recently(request, credentials) -> bool:
    """Whether this request already found no failure within the cool-off time for the account tried."""
    failures = getattr(request, FAILURES_READ, None)
    return failures is not None and failures.get(lockout_key(request, credentials)) == 0


class LockoutHandler(AxesDatabaseHandler):
    """axes' database handler (AXES_HANDLER), without the queries that cannot find anything at a login whose
    account had no failure within the cool-off time (the login form has just counted them): whether the pair
    (account, address) is locked, and the clean-up and reset after the login. A morning's thousands of logins
    have none; an account with failures goes through axes unchanged."""

    def get_failures(self, request, credentials=None) -> int:
        if _none_recently(request, credentials):
            return 0
        return super().get_failures(request, credentials)

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        if request is not None:
            request.__dict__.pop(FAILURES_READ, None)  # counted before this failure: no longer true
        super().user_login_failed(sender, credentials, request, **kwargs)

    def user_logged_in(self, sender, request, user, **kwargs):
        if _none_recently(request, get_credentials(user.get_username())):
            return
        super().user_logged_in(sender, request, user, **kwargs)


def recent_failures(request, login: str | None) -> tuple[int, int]:
    """Failed logins within the cool-off time: (for the account typed, from anywhere; from this address, on any
    account). One query."""
    address = client_address(request)
    sums = {}
    if login and login.strip():
        sums["account"] = Sum("failures_since_start", filter=Q(username=lockout_key(request, {"username": login})))
    if address:
        sums["address"] = Sum("failures_since_start", filter=Q(ip_address=address))
    if not sums:
        return 0, 0
    totals = AccessAttempt.objects.filter(attempt_time__gte=clock.now() - get_cool_off(request)).aggregate(**sums)
    account = totals.get("account") or 0
    if "account" in sums and request is not None:
        failures = request.__dict__.setdefault(FAILURES_READ, {})
        failures[lockout_key(request, {"username": login})] = account
    return account, totals.get("address") or 0


def captcha_needed(request, login: str | None = None) -> bool:
    """Whether the login form asks for a 图形验证码: JXJY_LOGIN_CAPTCHA_AFTER failures for the account typed, or
    from the client's address."""
    return max(recent_failures(request, login)) >= settings.JXJY_LOGIN_CAPTCHA_AFTER


def prune_captchas() -> int:
    """Challenges past their time (the task worker's sweep): a login page shown and never sent leaves one."""
    count, _ = CaptchaStore.objects.filter(expiration__lte=clock.now()).delete()
    return count


# The account that was tried stands as the entry's person, so that the 审计管理员 finds attempts on an
# account under its name; the typed login itself is kept only as the keyed hash.
@receiver(user_login_failed)
def record_failed_login(sender, credentials, request=None, **kwargs):
    audit.record(
        actor=_account_tried(request, credentials),
        action=AccountAction.LOGIN_FAILED,
        outcome=Outcome.FAILURE,
        detail={"登录标识": lockout_key(request, credentials)},
    )


@receiver(user_locked_out)
def record_lockout(sender, request, username, ip_address=None, **kwargs):
    credentials = getattr(request, "axes_credentials", None)
    audit.record(
        actor=_account_tried(request, credentials),
        action=AccountAction.LOCKED_OUT,
        outcome=Outcome.FAILURE,
        detail={"登录标识": username},
    )
