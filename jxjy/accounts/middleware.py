"""The gate after the password: a second factor for those who need one, then a new password if due.

Until both are done a signed-in user reaches only these pages and 退出; everything else redirects here.
Also the session's idle timeout, renewed at most once a minute (SessionRefreshMiddleware).
"""

import time
from urllib.parse import urlencode

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from jxjy.core.kept_posts import TURNED_AWAY

from . import twofactor
from .passwords import must_change_password

SECOND_FACTOR_VIEWS = {"accounts:otp_setup", "accounts:otp_verify", "accounts:logout"}
PASSWORD_VIEWS = {"accounts:password_change", "accounts:logout"}
JSON_VIEWS = {"core:autosave", "core:keepalive", "attachments:stage", "attachments:unstage"}


def gate_passed(user) -> bool:
    """Signed in and past the gate: the second factor where needed, and no password change due."""
    if not user.is_authenticated:
        return False
    if user.needs_second_factor and not user.is_verified():
        return False
    return not must_change_password(user)


class AccountGateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        name = request.resolver_match.view_name if request.resolver_match else ""
        if user.needs_second_factor and not user.is_verified():
            if name in SECOND_FACTOR_VIEWS:
                return None
            target = "accounts:otp_verify" if twofactor.confirmed_device(user) else "accounts:otp_setup"
            return _send_to(request, target, _("请先完成二次验证。"))
        if name not in PASSWORD_VIEWS and must_change_password(user):
            return _send_to(request, "accounts:password_change", _("请先修改密码。"))
        return None


# When the session's expiry was last renewed (time.time()); see SessionRefreshMiddleware.
REFRESHED_AT = "jxjy_session_refreshed_at"
REFRESH_SECONDS = 60
# 保持登录 (the idle warning's button) renews the expiry whenever it is pressed.
ALWAYS_REFRESH_VIEWS = {"core:keepalive"}


class SessionRefreshMiddleware:
    """The idle timeout without a session write on every request.

    A session ends SESSION_COOKIE_AGE (JXJY_SESSION_IDLE_MINUTES) after it was last saved; instead of saving it
    on every request (SESSION_SAVE_EVERY_REQUEST), a request saves it only when its expiry was last renewed
    REFRESH_SECONDS or more ago (or when the request changed it anyway). The session therefore ends between
    JXJY_SESSION_IDLE_MINUTES minus one minute and JXJY_SESSION_IDLE_MINUTES after the last request: never
    later. The absolute limit (JXJY_SESSION_MAX_HOURS) is jxjy.core.middleware.SessionLifetimeMiddleware's.

    Listed right after SessionMiddleware, so that it sees what every other middleware did to the session.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.is_empty():  # no session cookie, or signed out in this request
            return response
        refreshed = session.get(REFRESHED_AT)  # loads the session if nothing else did
        if session.is_empty():  # the cookie named a session that has ended
            return response
        now = time.time()
        # abs(): a clock that went back (or another server's, a little behind) is no reason to write at once.
        due = refreshed is None or abs(now - refreshed) >= REFRESH_SECONDS
        view = request.resolver_match.view_name if request.resolver_match else ""
        if session.modified or due or view in ALWAYS_REFRESH_VIEWS:
            session[REFRESHED_AT] = now  # saved by SessionMiddleware, with a new expiry
        return response


def _send_to(request, target: str, message: str):
    setattr(request, TURNED_AWAY, True)  # a form's POST turned away here is kept (jxjy.core.kept_posts)
    if request.resolver_match and request.resolver_match.view_name in JSON_VIEWS:
        return JsonResponse({"ok": False, "error": message}, status=403)
    url = reverse(target)
    if request.method == "GET":
        url += "?" + urlencode({"next": request.get_full_path()})
    return redirect(url)
