"""Autosaved form drafts: what a user typed, kept until the document itself is saved.

A draft is kept only for a form the user may fill in: each kind of key ("prefiling:12", "recognition:new")
names a check in settings JXJY_DRAFT_KINDS that says whether this user may edit that document (or, for
"new", create one). A draft is bounded in size, a user keeps at most MAX_DRAFTS_PER_USER of them (the
oldest go first), and drafts left untouched for JXJY_DRAFT_KEEP_DAYS days are pruned by the worker.
"""

import datetime as dt
import json
import re

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from . import clock
from .models import FormDraft

MAX_DRAFT_FIELDS = 2000
MAX_DRAFT_BYTES = 256 * 1024  # the request as sent; a full 申报表 with every table row is a few dozen KB
MAX_DRAFTS_PER_USER = 50
# ASCII digits only: "prefiling:１２" would be another key for the same form; no leading zero either.
DRAFT_KEY_RE = re.compile(r"^([a-z_]{1,30}):(new|[1-9][0-9]{0,17})$", re.ASCII)

BAD_FORMAT = gettext_lazy("自动保存的数据格式不正确。")
TOO_LARGE = format_lazy(
    gettext_lazy("填写的内容超过{kb}KB，无法自动保存，请及时保存表单。"), kb=MAX_DRAFT_BYTES // 1024
)
NOT_YOURS = gettext_lazy("该表单不能自动保存：单据不存在、已提交，或您无权修改。")


class DraftRefused(Exception):
    """An autosave that is not kept; `message` tells the user why (in Chinese)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def read_autosave(body: bytes) -> tuple[str, list[list[str]]]:
    """The key and the [name, value] pairs of an autosave request body, or DraftRefused."""
    if len(body) > MAX_DRAFT_BYTES:
        raise DraftRefused(TOO_LARGE)
    try:
        payload = json.loads(body)
        key, pairs = payload["key"], payload["pairs"]
    except (ValueError, KeyError, TypeError, RecursionError):
        raise DraftRefused(BAD_FORMAT) from None
    if not (isinstance(key, str) and DRAFT_KEY_RE.fullmatch(key) and _are_pairs(pairs)):
        raise DraftRefused(BAD_FORMAT)
    return key, pairs


def _are_pairs(pairs) -> bool:
    return (
        isinstance(pairs, list)
        and len(pairs) <= MAX_DRAFT_FIELDS
        and all(isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) for x in p) for p in pairs)
    )


def may_keep(user, key: str) -> bool:
    """Whether `user` may keep a draft under `key`: its kind is known and says the user may edit it."""
    match = DRAFT_KEY_RE.fullmatch(key)
    if not match:
        return False
    kind, ident = match.group(1), None if match.group(2) == "new" else int(match.group(2))
    if path := settings.JXJY_DRAFT_KINDS.get(kind):
        return bool(import_string(path)(user, ident))
    # A family of kinds, "*_<suffix>" (the 审核意见 of every document kind, "prefiling_opinion"): its check is
    # told which kind it is asked about.
    for pattern, path in settings.JXJY_DRAFT_KINDS.items():
        if pattern.startswith("*_") and kind.endswith(pattern[1:]) and len(kind) > len(pattern) - 1:
            return bool(import_string(path)(user, ident, kind))
    return False


def save_draft(user, key: str, pairs: list[list[str]], *, kept: bool = False) -> FormDraft:
    """Keep the draft (DraftRefused if the user may not); the user's oldest drafts beyond the bound go.
    `kept`: what a POST carried when the login had ended (jxjy.core.kept_posts), said so when offered back."""
    if not may_keep(user, key):
        raise DraftRefused(NOT_YOURS)
    data = {"pairs": pairs, "kept": True} if kept else {"pairs": pairs}
    draft, _ = FormDraft.objects.update_or_create(user=user, key=key, defaults={"data": data})
    beyond = FormDraft.objects.filter(user=user).order_by("-updated_at", "-pk")[MAX_DRAFTS_PER_USER:]
    FormDraft.objects.filter(pk__in=list(beyond.values_list("pk", flat=True))).delete()
    return draft


def draft_for(user, key: str, *, newer_than: dt.datetime | None = None) -> dict | None:
    """The draft to restore into the form, if there is one newer than the saved document."""
    draft = FormDraft.objects.filter(user=user, key=key).first()
    if draft is None or (newer_than is not None and draft.updated_at <= newer_than):
        return None
    return {
        "pairs": draft.data.get("pairs", []),
        "saved_at": draft.updated_at.isoformat(),
        "kept": bool(draft.data.get("kept")),  # what a POST brought when the login had ended (keep_expired_post)
    }


def clear_draft(user, key: str) -> None:
    FormDraft.objects.filter(user=user, key=key).delete()


def discard_drafts(key: str) -> None:
    """Everyone's drafts of one form, when the document they belong to is deleted."""
    FormDraft.objects.filter(key=key).delete()


def prune_drafts() -> int:
    """The worker's sweep: drafts nobody touched for JXJY_DRAFT_KEEP_DAYS days; returns how many went."""
    cutoff = clock.now() - dt.timedelta(days=settings.JXJY_DRAFT_KEEP_DAYS)
    deleted, _ = FormDraft.objects.filter(updated_at__lt=cutoff).delete()
    return deleted
