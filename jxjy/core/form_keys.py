"""One document per 新增 page: the page carries its own number (`form_key`, written by the {% autosave %} mark
on a form for a new document), each save of it sends the number back, and the document made from it keeps it
(a unique `form_key` per organisation). The same page sent twice — a double click, a replay — finds the
document the first sending made instead of making a second."""

import re
import uuid

from django.utils.translation import gettext_lazy

FORM_KEY = re.compile(r"[0-9a-f]{32}")
ALREADY_MADE = gettext_lazy("该页面的内容已经保存过，没有重复新建。")


def form_key(request) -> str:
    """The number the page sent back ("" if none, or not one of ours)."""
    key = request.POST.get("form_key", "")
    return key if FORM_KEY.fullmatch(key) else ""


def page_key(request) -> str:
    """The number for the page being shown: the one it was sent back with (a refused save), or a new one."""
    return form_key(request) or uuid.uuid4().hex


def made_from(queryset, request):
    """The document of `queryset` already made from the page that sent `request`, or None."""
    key = form_key(request)
    return queryset.filter(form_key=key).first() if key else None
