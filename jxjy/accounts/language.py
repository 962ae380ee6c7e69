"""The interface language: 简体中文 or ئۇيغۇرچە, chosen with the switch on every page (before login too).

The choice is kept in a cookie and, for a signed-in user, on the account, so it follows the person to
another browser; a first visit gets the browser's Accept-Language (LocaleMiddleware). The API answers in
the language its request asks for.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)


class AccountLanguageMiddleware:
    """After authentication: the signed-in user's language wins over the cookie, and the cookie follows it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = _account_language(request)
        if chosen and chosen != request.LANGUAGE_CODE:
            translation.activate(chosen)
            request.LANGUAGE_CODE = chosen
        response = self.get_response(request)
        if chosen and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != chosen:
            remember(response, chosen)
        return response


def _account_language(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.language not in LANGUAGE_CODES:
        return ""
    # An API request that names its language gets it, whoever sends it.
    if request.path.startswith("/api/") and "HTTP_ACCEPT_LANGUAGE" in request.META:
        return ""
    return user.language


def remember(response: HttpResponse, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


@require_POST
def choose(request: HttpRequest) -> HttpResponse:
    """The switch: Django's set_language (cookie, back to the page), and the account keeps the choice."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if language in LANGUAGE_CODES and request.user.is_authenticated and request.user.language != language:
        request.user.language = language
        request.user.save(update_fields=["language"])
    return response
