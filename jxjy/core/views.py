"""Home page, autosave and keep-alive endpoints."""

import json
import re

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from .dashboard import cards_for, learner_home
from .drafts import MAX_DRAFT_FIELDS, clear_draft, save_draft

# ASCII digits only: "prefiling:１２" would be another key for the same form.
DRAFT_KEY_RE = re.compile(r"^[a-z_]{1,30}:(new|\d{1,12})$", re.ASCII)


def home(request):
    """`/`: the public front door for a visitor; each signed-in user's own home (a learner's 我的主页)."""
    if not request.user.is_authenticated:
        return render(request, "core/front.html")
    if request.user.is_learner:
        return render(request, "core/home.html", {"learner_home": learner_home(request.user)})
    return render(request, "core/home.html", {"cards": cards_for(request.user)})


def guide(request):
    """操作指南 for learners, open to everyone: 注册, 登录, 我要报名, 我的证书, 学时档案."""
    return render(request, "core/guide.html")


def _json_login_required(view):
    """Like login_required, but answer 401 JSON so the page can keep the input locally."""

    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return JsonResponse({"ok": False, "error": "登录已失效，请重新登录。"}, status=401)
        return view(request, *args, **kwargs)

    return wrapped


@require_POST
@_json_login_required
def autosave(request):
    """Keep what is typed into an open form: {"key": "prefiling:12", "pairs": [[name, value], …]}."""
    try:
        payload = json.loads(request.body)
        key, pairs = payload["key"], payload["pairs"]
        valid = (
            isinstance(key, str)
            and DRAFT_KEY_RE.fullmatch(key)
            and isinstance(pairs, list)
            and len(pairs) <= MAX_DRAFT_FIELDS
            and all(isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) for x in p) for p in pairs)
        )
    except (ValueError, KeyError, TypeError):
        valid = False
    if not valid:
        return JsonResponse({"ok": False, "error": "自动保存的数据格式不正确。"}, status=400)
    if not pairs:  # 放弃恢复
        clear_draft(request.user, key)
        return JsonResponse({"ok": True, "saved_at": None})
    draft = save_draft(request.user, key, pairs)
    return JsonResponse({"ok": True, "saved_at": draft.updated_at.isoformat()})


@require_POST
@_json_login_required
def keepalive(request):
    """保持登录: any authenticated request renews the idle timer."""
    return JsonResponse({"ok": True, "idle_seconds": settings.SESSION_COOKIE_AGE})
