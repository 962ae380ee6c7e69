"""No lost updates: a form carries the version of the document it was loaded with (`_loaded`, the document's
updated_at, written by the {% autosave %} mark); a save of a document that has changed since — in another
tab, or by someone else of the same organisation — is refused, and the page shows what differs and lets
the user choose: save what they typed over it (the page then carries the new version), or open the saved one.
"""

from dataclasses import dataclass

from django.forms.models import model_to_dict
from django.utils.translation import gettext_lazy

LOADED = "_loaded"
MESSAGE = gettext_lazy(
    "该单据在您打开本页面之后已被修改（可能是在其他页面，或由本单位其他人员修改），为避免覆盖，本次未保存。"
)
EMPTY = gettext_lazy("（空）")


@dataclass(frozen=True)
class Stale:
    version: str  # the document's version now: a save that carries it goes through
    rows: list[tuple[str, str, str]]  # (项目, 已保存的内容, 您填写的内容) for each field that differs
    message: str = MESSAGE


def version(doc) -> str:
    """The version a page of `doc` is loaded with ("" for a document not saved yet)."""
    return doc.updated_at.isoformat() if doc.pk and doc.updated_at else ""


def stale_edit(request, doc, form) -> Stale | None:
    """None, or what differs when `doc` has changed since the page that posted `form` was loaded."""
    sent = request.POST.get(LOADED, "")
    if not doc.pk or not sent:
        return None
    fresh = type(doc)._default_manager.get(pk=doc.pk)
    if version(fresh) == sent:
        return None
    return Stale(version=version(fresh), rows=differences(form, fresh))


def differences(form, fresh) -> list[tuple[str, str, str]]:
    """The form's fields whose saved value (in `fresh`) is not what was posted, in words."""
    saved = model_to_dict(fresh, fields=list(form.fields))
    rows = []
    for name, field in form.fields.items():
        if name not in saved:
            continue
        typed = form[name].data
        if field.has_changed(saved[name], typed):
            rows.append((str(field.label), _words(field, saved[name]), _words(field, typed)))
    return rows


def _words(field, value) -> str:
    values = value if isinstance(value, list | tuple) else [value]
    choices = {str(k): str(v) for k, v in getattr(field, "choices", []) if not isinstance(v, list | tuple)}
    shown = [choices.get(str(v), str(v)) for v in values if v not in (None, "")]
    return "、".join(shown) or EMPTY
