"""The gate after the password: a second factor for those who need one, then a new password if due.

Until both are done a signed-in user reaches only these pages and 退出; everything else redirects here.
"""

from urllib.parse import urlencode

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from . import twofactor
from .passwords import must_change_password

SECOND_FACTOR_VIEWS = {"accounts:otp_setup", "accounts:otp_verify", "accounts:logout"}
PASSWORD_VIEWS = {"accounts:password_change", "accounts:logout"}
JSON_VIEWS = {"core:autosave", "core:keepalive"}


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
            return _send_to(request, target, "请先完成二次验证。")
        if name not in PASSWORD_VIEWS and must_change_password(user):
            return _send_to(request, "accounts:password_change", "请先修改密码。")
        return None


def _send_to(request, target: str, message: str):
    if request.resolver_match and request.resolver_match.view_name in JSON_VIEWS:
        return JsonResponse({"ok": False, "error": message}, status=403)
    url = reverse(target)
    if request.method == "GET":
        url += "?" + urlencode({"next": request.get_full_path()})
    return redirect(url)
