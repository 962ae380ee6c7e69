"""The 审计日志 in words: which document an entry is about (its kind and title), its states by their names,
and its details as 名称：值 — where the rows store a model label, a number, state codes and a dict."""

from collections import defaultdict
from collections.abc import Iterable

from django.apps import apps
from django.db.models import Model
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jxjy.audit.models import AuditEntry
from jxjy.review.registry import kind_of

# Details written under a program's name (a 后台任务's parameters): their words on the page.
DETAIL_WORDS = {
    "class_id": gettext_lazy("培训班编号"),
    "year": gettext_lazy("年份"),
    "conditions": gettext_lazy("筛选条件"),
}


def describe(entries: Iterable[AuditEntry]) -> list[AuditEntry]:
    """The entries with object_words, state_words and detail_words set; one query per kind of document."""
    entries = list(entries)
    documents = _documents(entries)
    for e in entries:
        doc = documents.get((e.object_type, e.object_id))
        e.object_words = _object_words(e, doc)
        e.object_url = document_url(doc)
        e.state_words = _state_words(e, doc)
        e.detail_words = "；".join(
            f"{DETAIL_WORDS.get(key, key)}：{_value(value)}" for key, value in (e.detail or {}).items()
        )
    return entries


def _documents(entries: list[AuditEntry]) -> dict[tuple[str, str], Model]:
    wanted: dict[str, set[str]] = defaultdict(set)
    for e in entries:
        if e.object_type and e.object_id:
            wanted[e.object_type].add(e.object_id)
    found = {}
    for label, ids in wanted.items():
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            continue
        for doc in model._default_manager.filter(pk__in=[i for i in ids if i.isdigit()]):
            found[(label, str(doc.pk))] = doc
    return found


def document_url(doc: Model | None) -> str:
    """Where the 审计管理员 reads a document read-only (core:audit_document), for the documents of a kind."""
    if doc is None:
        return ""
    try:
        kind = kind_of(doc)
    except LookupError:
        return ""
    return reverse("core:audit_document", args=[kind.slug, doc.pk])


def _object_words(e: AuditEntry, doc: Model | None) -> str:
    if not e.object_type:
        return ""
    try:
        kind = str(apps.get_model(e.object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        kind = e.object_type
    if doc is None:
        return (
            (_("%(kind)s（编号 %(object_id)s，已删除）") % {"kind": kind, "object_id": e.object_id})
            if e.object_id
            else kind
        )
    return f"{kind}「{doc}」"


def _state_words(e: AuditEntry, doc: Model | None) -> str:
    if not e.state_after:
        return ""
    workflow = getattr(doc, "workflow", None)
    names = dict(workflow.states.choices) if workflow is not None else {}
    before = names.get(e.state_before, e.state_before) or "—"
    return f"{before} → {names.get(e.state_after, e.state_after)}"


def _value(value) -> str:
    if isinstance(value, list | tuple):
        return "、".join(map(str, value))
    return _("是") if value is True else _("否") if value is False else str(value)
