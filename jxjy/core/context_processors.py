from django.conf import settings

from .menu import menu_for


def platform(request):
    return {
        "menu": menu_for(request.user) if hasattr(request, "user") else [],
        "idle_minutes": settings.JXJY_SESSION_IDLE_MINUTES,
        "idle_warning_minutes": settings.JXJY_IDLE_WARNING_MINUTES,
        "autosave_seconds": settings.JXJY_AUTOSAVE_SECONDS,
    }
