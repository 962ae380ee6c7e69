import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver

from .request_context import current_ip


class RequestContextMiddleware:
    """Make the client's address available to the audit trail without threading the request through."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_ip.set(request.META.get("REMOTE_ADDR"))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)


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
                messages.info(request, "登录已超过最长有效时间，请重新登录。")
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)


@receiver(user_logged_in)
def remember_login_time(sender, request, user, **kwargs):
    request.session[LOGIN_AT] = time.time()
