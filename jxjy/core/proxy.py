"""Behind nginx every request arrives from the proxy's address. The audit trail and the per-address
login limit need the client's: take it from X-Real-IP, but only from a proxy we trust."""

import contextlib
import ipaddress

from django.conf import settings


class TrustedProxyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        real = request.META.get("HTTP_X_REAL_IP", "").strip()
        if real and request.META.get("REMOTE_ADDR") in settings.JXJY_TRUSTED_PROXIES:
            with contextlib.suppress(ValueError):  # a malformed header changes nothing
                request.META["REMOTE_ADDR"] = str(ipaddress.ip_address(real))
        return self.get_response(request)
