"""Refused attempts in the trail: every answer that refuses is recorded with outcome 失败 (refusals.py).

403 and 404 to a signed-in user (another organisation's data, a page not theirs), a failed CSRF check, a 409
(a document that can no longer change), a 429 (too many requests), and the API's 401 (no or a bad token). A
page that refuses with an error message instead (a review move in the wrong state, 批量通过 of registrations
that cannot pass, 提交 without the stamped scan …: the view shows `messages.error` and goes back) is a refused
attempt too, unless the view has recorded it itself (refusals.RECORDED, as review:act does with its document).
Listed after RequestContextMiddleware (whose address each entry carries) and before the middleware whose
process_view may refuse, so that an answer made by CsrfViewMiddleware's process_view — the only one before
this middleware's — is known for a CSRF failure: this middleware's own process_view never ran.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404

from jxjy.core.error_views import user_message

from .models import AuditAction
from .refusals import RECORDED, record_refusal

CSRF_FAILED = AuditAction.CSRF_FAILED
REFUSED = AuditAction.REFUSED
ACTIONS = {
    401: AuditAction.API_AUTH_FAILED,
    403: AuditAction.FORBIDDEN,
    404: AuditAction.NOT_FOUND,
    409: AuditAction.CONFLICT,
    429: AuditAction.TOO_MANY_REQUESTS,
}
SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")
PAST_CSRF = "_jxjy_audit_past_csrf"
REASON = "_jxjy_audit_reason"


def _signed_in(request) -> bool:
    return bool(getattr(getattr(request, "user", None), "is_authenticated", False))


def _not_watched(request) -> bool:
    static = "/" + settings.STATIC_URL.lstrip("/")
    return request.path.startswith(static) or request.path == "/favicon.ico"


def refused_action(request, status: int) -> str | None:
    """The action to record for an answer with `status`, or None when it is not a refusal worth recording."""
    if status not in ACTIONS or _not_watched(request):
        return None
    if status == 403 and not getattr(request, PAST_CSRF, False) and request.method not in SAFE_METHODS:
        return CSRF_FAILED
    if status in (403, 404) and not _signed_in(request):
        return None  # anonymous visitors are sent to the login page; a 404 of theirs says nothing
    if status == 401 and not request.path.startswith("/api/"):
        return None  # the autosave of a session that has ended
    return ACTIONS[status]


def refusal_message(request, status: int) -> str:
    """The error messages a signed-in user's request was answered with ("": none, or already recorded).

    Only for an answer that is not itself an error: a 400 or 500 is OutcomeMiddleware's to explain, and a row
    written here would make it say that something was saved."""
    if status >= 400 or getattr(request, RECORDED, False) or not _signed_in(request):
        return ""
    # Only the messages added while answering this request (Django's storage keeps them apart from the ones
    # it loaded from the session, which an earlier request added).
    queued = getattr(getattr(request, "_messages", None), "_queued_messages", [])
    return "；".join(str(m.message) for m in queued if m.level >= messages.ERROR)


class RefusalAuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if action := refused_action(request, response.status_code):
            reason = getattr(request, REASON, "")
            record_refusal(request, action=action, status=response.status_code, reason=reason)
        elif reason := refusal_message(request, response.status_code):
            record_refusal(request, action=REFUSED, status=response.status_code, reason=reason)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        setattr(request, PAST_CSRF, True)
        return None

    def process_exception(self, request, exception):
        if isinstance(exception, PermissionDenied | Http404):
            setattr(request, REASON, user_message(exception, ""))
        return None
