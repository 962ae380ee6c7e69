"""Autosaved form drafts: what a user typed, kept until the document itself is saved."""

import datetime as dt

from .models import FormDraft

MAX_DRAFT_FIELDS = 2000


def save_draft(user, key: str, pairs: list[list[str]]) -> FormDraft:
    draft, _ = FormDraft.objects.update_or_create(user=user, key=key, defaults={"data": {"pairs": pairs}})
    return draft


def draft_for(user, key: str, *, newer_than: dt.datetime | None = None) -> dict | None:
    """The draft to restore into the form, if there is one newer than the saved document."""
    draft = FormDraft.objects.filter(user=user, key=key).first()
    if draft is None or (newer_than is not None and draft.updated_at <= newer_than):
        return None
    return {"pairs": draft.data.get("pairs", []), "saved_at": draft.updated_at.isoformat()}


def clear_draft(user, key: str) -> None:
    FormDraft.objects.filter(user=user, key=key).delete()


def discard_drafts(key: str) -> None:
    """Everyone's drafts of one form, when the document they belong to is deleted."""
    FormDraft.objects.filter(key=key).delete()
