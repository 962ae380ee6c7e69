"""Bearer-token authentication, the scope check, and the rate limits of the API."""

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.utils.translation import gettext
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions, throttling

from jxjy.accounts.models import Organisation

from . import tokens
from .models import ApiToken


@dataclass(frozen=True)
class Client:
    """Who is calling: an organisation's system holding `token`. Audit entries name its organisation."""

    token: ApiToken
    is_authenticated = True

    @property
    def organisation(self) -> Organisation:
        return self.token.organisation


class TokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer jxjy_…`; a request without the header is anonymous (public endpoints)."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header:
            return None
        keyword, _, secret = header.partition(" ")
        token = tokens.authenticate(secret.strip()) if keyword == self.keyword else None
        if token is None:
            raise exceptions.AuthenticationFailed(gettext("令牌无效、已过期或已撤销。"))
        return Client(token), token

    def authenticate_header(self, request) -> str:
        return f'{self.keyword} realm="api"'


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = TokenAuthentication
    name = "token"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": gettext("系统管理员为单位创建的接口令牌（jxjy_ 开头）。"),
        }


def needs_scope(scope: str) -> type[permissions.BasePermission]:
    """A permission class: the caller holds a token with `scope` (401 without a token, 403 without the scope)."""

    class HasScope(permissions.BasePermission):
        message = gettext("该令牌没有此接口的权限范围（需要 %(scope)s）。") % {"scope": scope}

        def has_permission(self, request, view) -> bool:
            if request.auth is None:
                raise exceptions.NotAuthenticated(gettext("请在 Authorization 头中提供接口令牌（Bearer jxjy_…）。"))
            return scope in request.auth.scopes

    HasScope.__name__ = f"HasScope[{scope}]"
    return HasScope


class LimitCacheThrottle(throttling.SimpleRateThrottle):
    """Counts in the rate limits' cache, as the login limit does: in production Redis, with a count in each
    process's memory while Redis is away, so that an outage neither opens the limits nor fails the call."""

    @property
    def cache(self):
        return caches[getattr(settings, "RATELIMIT_USE_CACHE", "default")]


class TokenRateThrottle(LimitCacheThrottle):
    """Per token; the rate is read on each call, so that settings (and tests) can change it."""

    scope = "token"

    def get_rate(self) -> str:
        return settings.JXJY_API_RATE_PER_TOKEN

    def get_cache_key(self, request, view):
        if request.auth is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class AddressRateThrottle(LimitCacheThrottle):
    """Per client address, for calls without a token (证书查验)."""

    scope = "address"

    def get_rate(self) -> str:
        return settings.JXJY_API_RATE_PER_IP

    def get_cache_key(self, request, view):
        if request.auth is not None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
