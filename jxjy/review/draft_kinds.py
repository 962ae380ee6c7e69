"""Which autosave keys a user may keep a draft under (settings JXJY_DRAFT_KINDS): the 审核意见 of a document
this user may decide now with an opinion — "<slug>_opinion:<pk>" ("prefiling_opinion:12")."""

from typing import Any

from django.http import Http404

from .registry import get_kind


def opinion(user: Any, pk: int | None, kind: str) -> bool:
    slug = kind.removesuffix("_opinion")
    try:
        document_kind = get_kind(slug)
    except Http404:
        return False
    if pk is None or not user.is_authenticated:
        return False
    doc = document_kind.scoped(user).filter(pk=pk).first()
    return doc is not None and any(t.opinion_required for t in document_kind.workflow.available(doc, user))
