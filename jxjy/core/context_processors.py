from django.conf import settings

from .menu import menu_for


def platform(request):
    user = getattr(request, "user", None)
    authenticated = user is not None and user.is_authenticated
    return {
        "menu": menu_for(user) if authenticated else [],
        "unread_messages": user.notifications.filter(read_at__isnull=True).count() if authenticated else 0,
        "idle_minutes": settings.JXJY_SESSION_IDLE_MINUTES,
        "idle_warning_minutes": settings.JXJY_IDLE_WARNING_MINUTES,
        "autosave_seconds": settings.JXJY_AUTOSAVE_SECONDS,
        "attachment_max_bytes": settings.JXJY_ATTACHMENT_MAX_BYTES,
    }
