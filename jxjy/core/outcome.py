"""What a request has already committed, so that a failure after the commit is not reported as a failure.

A move commits in its own transaction; a later step of the same request (the message, the redirect, the
session save when the database goes away right after the commit) may still fail. The user then sees that the
move was done and must not be repeated, not the 500 page's "未能完成". When the request committed nothing,
the 500 page says so truthfully: nothing was saved, try again. When it committed something else (a plain
save, not a move), the page says that part may have been saved and to look before repeating.

`OutcomeMiddleware` watches every query of the request (one prefix test each) and learns of commits through
`transaction.on_commit`, so a write that was rolled back never counts.
"""

import contextvars
import logging
from dataclasses import dataclass, field

from django.db import connections, transaction
from django.http import HttpResponse
from django.template import loader

logger = logging.getLogger(__name__)

_WRITES = ("INSERT", "UPDATE", "DELETE")
# Bookkeeping of the request itself, not of what the user asked for.
_NOT_THE_USERS = ("django_session", "axes_")


@dataclass(frozen=True)
class Done:
    text: str  # 学员报名「…」：审核通过
    url: str  # where the document can be seen


@dataclass
class _Request:
    done: list[Done] = field(default_factory=list)
    wrote: bool = False


_current: contextvars.ContextVar[_Request | None] = contextvars.ContextVar("jxjy_outcome", default=None)


def record_done(text: str, url: str) -> None:
    """Remember, once `text` has committed, that this request has done it (the engine calls it for a move)."""
    state = _current.get()
    if state is not None:
        transaction.on_commit(lambda: state.done.append(Done(text, url)))


def _watch_writes(state: _Request):
    def mark() -> None:
        state.wrote = True

    def wrapper(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if sql.lstrip()[:6].upper() in _WRITES and not any(t in sql for t in _NOT_THE_USERS):
            conn = context["connection"]
            if not conn.in_atomic_block:
                mark()
            elif not any(entry[1] is mark for entry in conn.run_on_commit):
                conn.on_commit(mark)
        return result

    return wrapper


class OutcomeMiddleware:
    """Outermost after the security headers: it sees the response of every failure below it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        state = _Request()
        token = _current.set(state)
        try:
            with connections["default"].execute_wrapper(_watch_writes(state)):
                response = self.get_response(request)
        finally:
            _current.reset(token)
        failed = response.status_code >= 500 or response.status_code == 400
        if not failed or request.path.startswith("/api/") or not (state.done or state.wrote):
            return response
        logger.warning("请求在提交之后失败（%s %s → %s）", request.method, request.path, response.status_code)
        return _after_commit(state, failed_status=response.status_code)


def _after_commit(state: _Request, *, failed_status: int) -> HttpResponse:
    if state.done:
        html = loader.render_to_string("errors/done.html", {"done": state.done})
        response = HttpResponse(html, status=200)
    else:
        response = HttpResponse(loader.render_to_string("errors/partly_saved.html"), status=failed_status)
    response["Cache-Control"] = "no-store"
    return response
