from django.conf import settings

from jxjy.accounts.middleware import gate_passed
from jxjy.notify.inbox import unread_count

from .menu import menu_for


def platform(request):
    user = getattr(request, "user", None)
    # Before the second factor or a due password change, the page shows no menu and no counts.
    ready = user is not None and gate_passed(user)
    return {
        "account_ready": ready,
        "menu": menu_for(user) if ready else [],
        "unread_messages": unread_count(user) if ready else 0,
        "idle_minutes": settings.JXJY_SESSION_IDLE_MINUTES,
        "idle_warning_minutes": settings.JXJY_IDLE_WARNING_MINUTES,
        "autosave_seconds": settings.JXJY_AUTOSAVE_SECONDS,
        "attachment_max_bytes": settings.JXJY_ATTACHMENT_MAX_BYTES,
    }
