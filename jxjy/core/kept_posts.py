"""What autosave keeps (jxjy.core.drafts), around the POST of a form marked with `_draft_key`
(templates/core/_autosave.html):

* a POST that was taken (answered with a redirect, the site's way after a save) ends the form's draft: the
  document holds what was typed now;
* a POST that met an ended login — the idle timeout, the session's longest life, the second-factor gate — is
  not dropped: what it carried is kept in this browser's session, and when the browser signs in again it
  becomes the form's draft for the user who signs in (if they may fill in that form), offered back on the
  form with a banner. The login page's `next` is the form's own page, not the URL that was posted to.

No password, no CSRF token and no file is kept; what is kept is bounded as a draft is.
"""

import json
import logging
from urllib.parse import urlencode, urlparse

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db import DatabaseError
from django.dispatch import receiver
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

from .drafts import DRAFT_KEY_RE, MAX_DRAFT_BYTES, MAX_DRAFT_FIELDS, clear_draft, may_keep, save_draft

logger = logging.getLogger(__name__)

KEPT = "jxjy_kept_posts"
MAX_KEPT_FORMS = 5
NOT_KEPT = {"csrfmiddlewaretoken", "_draft_key", "form_key", "action"}
# Set by a gate that turns a signed-in request away (the second factor, a password change due).
TURNED_AWAY = "jxjy_turned_away"


class KeptPostMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method != "POST" or not 300 <= response.status_code < 400:
            return response
        key = request.POST.get("_draft_key", "")
        if not DRAFT_KEY_RE.fullmatch(key):
            return response
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in and getattr(request, TURNED_AWAY, False):  # past the password, not yet past the gate
            if (pairs := kept_pairs(request)) and may_keep(user, key):
                save_draft(user, key, pairs, kept=True)
        elif signed_in:
            try:
                clear_draft(user, key)
            except DatabaseError:  # the save is done; a draft left behind is older than it and is not offered
                logger.warning("draft %s not cleared after a save", key, exc_info=True)
        elif _to_login(response) and keep(request, key):
            _send_back_to_the_form(request, response)
        return response


def _to_login(response) -> bool:
    return urlparse(response.get("Location", "")).path == resolve_url(settings.LOGIN_URL)


def kept_pairs(request) -> list[list[str]]:
    """The POST's fields worth keeping, within a draft's bounds ([] when there are none or too many)."""
    pairs = [
        [name, value]
        for name, values in request.POST.lists()
        if name not in NOT_KEPT and "password" not in name
        for value in values
    ]
    too_big = len(pairs) > MAX_DRAFT_FIELDS or len(json.dumps(pairs, ensure_ascii=False).encode()) > MAX_DRAFT_BYTES
    return [] if too_big else pairs


def keep(request, key: str) -> bool:
    """Keep the POST's fields (of the form `key`) in this browser's session until it signs in."""
    if not (pairs := kept_pairs(request)):
        return False
    kept = {k: v for k, v in request.session.get(KEPT, {}).items() if k != key}
    kept[key] = pairs
    request.session[KEPT] = dict(list(kept.items())[-MAX_KEPT_FORMS:])
    return True


def _send_back_to_the_form(request, response) -> None:
    """After the login, the form's page (where the POST came from), not the URL it was posted to."""
    referer = request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(referer, {request.get_host()}, require_https=request.is_secure()):
        return
    form_page = urlparse(referer)
    target = urlparse(response["Location"])
    if target.path == resolve_url(settings.LOGIN_URL):
        response["Location"] = f"{target.path}?{urlencode({'next': form_page.path})}"


@receiver(user_logged_in)
def offer_kept_posts(sender, request, user, **kwargs):
    """Signed in again: each kept POST becomes the draft of its form, for a user who may fill it in."""
    if request is None or not hasattr(request, "session"):
        return
    for key, pairs in request.session.pop(KEPT, {}).items():
        if may_keep(user, key):
            save_draft(user, key, pairs, kept=True)
