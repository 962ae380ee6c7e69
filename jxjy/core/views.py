"""操作指南, autosave and keep-alive endpoints."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .drafts import MAX_DRAFT_BYTES, DraftRefused, clear_draft, read_autosave, save_draft


def guide(request):
    """操作指南 for learners, open to everyone: 注册, 登录, 我要报名, 我的证书, 学时档案."""
    return render(request, "core/guide.html")


def json_login_required(view):
    """Like login_required, but answer 401 JSON so the page can keep the input locally."""

    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return JsonResponse({"ok": False, "error": _("登录已失效，请重新登录。")}, status=401)
        return view(request, *args, **kwargs)

    return wrapped


@require_POST
@json_login_required
def autosave(request):
    """Keep what is typed into an open form: {"key": "prefiling:12", "pairs": [[name, value], …]}."""
    try:
        key, pairs = read_autosave(_body(request))
        if not pairs:  # 放弃恢复
            clear_draft(request.user, key)
            return JsonResponse({"ok": True, "saved_at": None})
        draft = save_draft(request.user, key, pairs)
    except DraftRefused as e:
        return JsonResponse({"ok": False, "error": e.message}, status=400)
    return JsonResponse({"ok": True, "saved_at": draft.updated_at.isoformat()})


def _body(request) -> bytes:
    """The request body, read only as far as a draft may go: a larger one is refused, not held in memory."""
    return request.read(MAX_DRAFT_BYTES + 1)


@require_POST
@json_login_required
def keepalive(request):
    """保持登录: any authenticated request renews the idle timer."""
    return JsonResponse({"ok": True, "idle_seconds": settings.SESSION_COOKIE_AGE})
