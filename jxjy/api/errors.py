"""Every API error is JSON: {"code": "...", "message": "中文说明", "errors": {...}?}."""

import logging

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from jxjy.core.errors import DomainError

logger = logging.getLogger(__name__)

# Our code and Chinese message for each kind of DRF error (DRF's own message is used for details).
MESSAGES = {
    exceptions.ValidationError: ("invalid", gettext_lazy("提交的数据有误，请按 errors 逐项修改。")),
    exceptions.ParseError: ("parse_error", gettext_lazy("请求内容不是有效的 JSON。")),
    exceptions.NotAuthenticated: (
        "not_authenticated",
        gettext_lazy("请在 Authorization 头中提供接口令牌（Bearer jxjy_…）。"),
    ),
    exceptions.AuthenticationFailed: ("authentication_failed", gettext_lazy("令牌无效、已过期或已撤销。")),
    exceptions.PermissionDenied: ("permission_denied", gettext_lazy("该令牌无权使用此接口。")),
    exceptions.NotFound: ("not_found", gettext_lazy("未找到。")),
    exceptions.MethodNotAllowed: ("method_not_allowed", gettext_lazy("不支持该请求方法。")),
    exceptions.NotAcceptable: ("not_acceptable", gettext_lazy("只提供 JSON 格式的响应。")),
    exceptions.UnsupportedMediaType: ("unsupported_media_type", gettext_lazy("请求内容须为 JSON。")),
    exceptions.Throttled: ("throttled", gettext_lazy("请求过于频繁，请稍后再试。")),
}


class ErrorSerializer(serializers.Serializer):
    """The body of every error answer."""

    code = serializers.CharField(help_text=gettext_lazy("机器可读的错误代码，如 invalid、not_authenticated、throttled"))
    message = serializers.CharField(help_text=gettext_lazy("中文说明"))
    errors = serializers.DictField(required=False, help_text=gettext_lazy("逐字段（或逐条记录）的中文错误说明"))


def body(code: str, message: str, errors=None) -> dict:
    data = {"code": code, "message": message}
    if errors is not None:
        data["errors"] = errors
    return data


def exception_handler(exc, context) -> Response:
    """DRF's handler, answering in our shape; an unexpected error is logged and answered as a JSON 500."""
    if isinstance(exc, DomainError):
        set_rollback()
        code = "invalid" if exc.errors else "rejected"
        return Response(body(code, exc.message, exc.errors or None), status=400)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or None)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    if not isinstance(exc, exceptions.APIException):
        logger.exception("API error", exc_info=exc)
        set_rollback()
        return Response(body("server_error", _("服务器内部错误，请稍后再试。")), status=500)
    code, message = next(((c, m) for k, (c, m) in MESSAGES.items() if isinstance(exc, k)), ("error", _("请求失败。")))
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    errors = None
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        errors = _plain(detail)
    elif isinstance(exc, exceptions.Throttled):
        wait = max(1, int(exc.wait or 1))
        headers["Retry-After"] = str(wait)
        message = _("请求过于频繁，请 %(wait)s 秒后再试。") % {"wait": wait}
    elif isinstance(exc, exceptions.ParseError):
        pass  # the parser's detail is English (a binary body: a codec error): our Chinese message stands
    elif isinstance(exc.detail, str) and exc.detail != exc.default_detail:
        message = str(exc.detail)  # a view's own Chinese message (e.g. which scope is missing)
    set_rollback()
    return Response(body(code, message, errors), status=exc.status_code, headers=headers)


def _plain(detail):
    """ErrorDetail trees to plain lists and dicts of strings."""
    if isinstance(detail, dict):
        return {str(k): _plain(v) for k, v in detail.items()}
    if isinstance(detail, list):
        return [_plain(v) for v in detail]
    return str(detail)


def not_found(request, *args, **kwargs) -> JsonResponse:
    """Any /api/ address that matches no endpoint."""
    return JsonResponse(body("not_found", _("接口不存在。")), status=status.HTTP_404_NOT_FOUND)
