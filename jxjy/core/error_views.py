"""The error pages (400, 403, 404, 500 and a refused form): in Chinese, in the site's look, with a way back.

400 and 500 are plain templates rendered without a request: they must show even when the database or a
context processor is what failed.
"""

import re

from django.http import HttpResponseForbidden, HttpResponseNotFound
from django.shortcuts import render
from django.template import loader
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

# A message written for the user (a translation of ours, or Chinese or Uyghur text); Django's own ("No
# Registration matches the given query.", "Resolver404") are not shown.
_FOR_USERS = re.compile(r"[\u4e00-\u9fff\u0600-\u06ff]")


def user_message(exception, default: str) -> str:
    """The message the code gave (Http404("未找到该备案。")), or `default` when it gave none for users."""
    message = exception.args[0] if exception is not None and exception.args else ""
    if isinstance(message, Promise):
        return message  # type: ignore[return-value]  # shown in the page's language, recorded in Chinese
    return message if isinstance(message, str) and _FOR_USERS.search(message) else default


def back_url(request) -> str:
    """返回: the page the visitor came from, when it is one of ours."""
    referer = request.META.get("HTTP_REFERER", "")
    safe = url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return referer if referer and safe else ""


def page_not_found(request, exception=None):
    message = user_message(exception, _("您访问的页面不存在，或已被删除。"))
    context = {"message": message, "back": back_url(request)}
    return HttpResponseNotFound(loader.render_to_string("404.html", context, request))


def permission_denied(request, exception=None):
    message = user_message(exception, _("您的账号无权访问该页面。"))
    context = {"message": message, "back": back_url(request)}
    return HttpResponseForbidden(loader.render_to_string("403.html", context, request))


def csrf_failure(request, reason: str = ""):
    """A form sent from a page left open too long (or from another site): nothing was saved."""
    response = render(request, "403_csrf.html", {"back": back_url(request)}, status=403)
    return response
