import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.template import loader
from django.utils.translation import gettext as _

from .request_context import current_ip
from .rules import read_once


class RequestContextMiddleware:
    """Make the client's address available to the audit trail without threading the request through; the
    business rules are read at most once per request (jxjy.core.rules)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_ip.set(request.META.get("REMOTE_ADDR"))
        try:
            with read_once():
                return self.get_response(request)
        finally:
            current_ip.reset(token)


class BareErrorPageMiddleware:
    """An error answered with no page at all (405 from require_POST, a bare 413, 429 or 503) gets the site's
    Chinese page for its code, rendered from the template alone (no database, no request context), so that
    nobody meets an empty page or a server's English default. The API's answers are JSON and stay so."""

    CODES = (405, 413, 429, 503)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        bare = not response.streaming and not response.content
        if response.status_code in self.CODES and bare and not request.path.startswith("/api/"):
            response.content = loader.render_to_string(f"{response.status_code}.html")
            response["Content-Type"] = "text/html; charset=utf-8"
            if response.has_header("Content-Length"):  # set to 0 by CommonMiddleware, further in
                response["Content-Length"] = str(len(response.content))
        return response


class NoStoreForSignedInMiddleware:
    """Pages shown to a signed-in user carry personal data: no browser or proxy may keep a copy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store, private"
        return response


LOGIN_AT = "jxjy_login_at"


class SessionLifetimeMiddleware:
    """Besides the idle timeout, a session ends JXJY_SESSION_MAX_HOURS after its login, however busy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.get(LOGIN_AT)
            if started is None or time.time() - started > settings.JXJY_SESSION_MAX_HOURS * 3600:
                logout(request)
                messages.info(request, _("登录已超过最长有效时间，请重新登录。"))
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)


@receiver(user_logged_in)
def remember_login_time(sender, request, user, **kwargs):
    request.session[LOGIN_AT] = time.time()
