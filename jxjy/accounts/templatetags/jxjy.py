"""The site's template library ({% load jxjy %}): masks of personal data, with 显示完整 where allowed."""

from django import template
from django.conf import settings
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jxjy.core.drafts import clear_draft, draft_for
from jxjy.core.form_keys import page_key
from jxjy.core.identity import mask_id_number, mask_mobile
from jxjy.core.stale import LOADED

from ..personal_data import FIELDS, may_reveal

register = template.Library()

CURRENT = format_html(' class="{}" aria-current="{}"', "active", "page")


@register.simple_tag
def side_menu(items, path: str):
    """The 功能菜单's entries (jxjy.portal.menu), the current page marked: built here rather than in a template
    loop, since every signed-in page draws it and the loop cost more than the rest of a short page."""
    rows = []
    for item in items:
        head = _menu_link(item, path) if item.url else format_html('<span class="group">{}</span>', item.label)
        children = format_html_join("", "<li>{}</li>", ((_menu_link(child, path),) for child in item.children))
        rows.append((head, format_html("<ul>{}</ul>", children) if item.children else ""))
    return format_html_join("\n", "<li>{}{}</li>", rows)


def _menu_link(item, path: str):
    badge = format_html('<span class="badge">{}</span>', item.badge) if item.badge else ""
    return format_html('<a href="{}"{}>{}{}</a>', item.url, CURRENT if path == item.url else "", item.label, badge)


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key)


@register.filter
def mask_id(value: str) -> str:
    return mask_id_number(value)


@register.filter
def mask_phone(value: str) -> str:
    return mask_mobile(value)


@register.inclusion_tag("accounts/_personal.html", takes_context=True)
def personal(context, value: str, kind: str, learner_id: int | None = None):
    """A 身份证号 (kind "id_number") or 手机号 ("mobile"), masked; with 显示完整 for roles that may see it
    in full (the button's endpoint decides whether this user may see this learner's)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "masked": FIELDS[kind][1](value),
        "kind": kind,
        "learner_id": learner_id,
        "reveal": bool(learner_id and user is not None and may_reveal(user)),
        "csrf_token": context.get("csrf_token"),
        "next": request.get_full_path() if request else "",
    }


@register.filter
def split(value: str, sep: str | None = None) -> list[str]:
    return value.split(sep)


@register.filter
def mask_name(value: str) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧***: enough to recognise, not enough to identify."""
    return value[:1] + "*" * (len(value) - 1) if value else ""


# The parts of a form that are not one field: their names in the error summary.
SECTION_LABELS = {
    "scope": gettext_lazy("培训范围"),
    "courses": gettext_lazy("教学课程"),
    "teachers": gettext_lazy("师资情况"),
    "textbooks": gettext_lazy("培训教材"),
    "attachments": gettext_lazy("附件"),
    "rows": gettext_lazy("表格"),
}


@register.inclusion_tag("core/_error_summary.html")
def error_summary(form, sections=None, title=None):
    """The top of a refused form: every message, in the form's order, each linking to its field (field-<name>)."""
    items = []
    for name, field in form.fields.items():
        for message in form.errors.get(name, []):
            items.append({"anchor": f"field-{name}", "label": field.label, "message": message})
    for message in form.non_field_errors():
        items.append({"anchor": "error-summary", "label": "", "message": message})
    for name, messages in (sections or {}).items():
        for message in messages:
            items.append({"anchor": f"field-{name}", "label": SECTION_LABELS.get(name, ""), "message": message})
    return {"items": items, "title": title or _("填写的内容有误，请按提示修改。")}


@register.inclusion_tag("core/_autosave.html", takes_context=True)
def autosave(context, kind: str, ident=None, newer_than=None, save_label: str = gettext_lazy("保存")):
    """Mark the enclosing form as one that keeps what is typed, under the draft key "<kind>:<ident or new>"
    (jxjy.core.drafts), with the draft to put back on a fresh visit: one newer than the document's last save
    (`newer_than`, its updated_at, which is also the version the page is loaded with: jxjy.core.stale).
    `save_label`: the button the banner asks to press once the restored input is checked."""
    request = context["request"]
    key = f"{kind}:{ident or 'new'}"
    posted = request.method == "POST"
    stale = context.get("stale")
    fresh = not posted and bool(request.GET.get("discard_draft"))  # 放弃本次修改: the saved document, as saved
    if fresh:
        clear_draft(request.user, key)
    # A new document (no `ident`) has no saved state for a draft to be older than.
    draft = None if posted or fresh else draft_for(request.user, key, newer_than=newer_than if ident else None)
    if stale is not None:
        loaded = stale.version
    elif posted:
        loaded = request.POST.get(LOADED, "")
    else:
        loaded = newer_than.isoformat() if ident and newer_than else ""
    return {
        "key": key,
        "form_key": "" if ident else page_key(request),  # one document per 新增 page (jxjy.core.form_keys)
        "draft": draft,
        "posted": posted,
        "fresh": fresh,
        "loaded": loaded,
        "stale": stale,
        "request": request,
        "save_label": save_label,
        "autosave_seconds": context.get("autosave_seconds"),
    }


@register.simple_tag
def html_language() -> str:
    """`lang` and `dir` of <html> from the active language: zh-Hans left to right, ug right to left."""
    code = translation.get_language() or settings.LANGUAGE_CODE
    tag = "zh-Hans" if code == "zh-hans" else code
    direction = "rtl" if translation.get_language_bidi() else "ltr"
    return format_html('lang="{}" dir="{}"', tag, direction)


@register.inclusion_tag("core/_language_switch.html", takes_context=True)
def language_switch(context):
    """简体中文 | ئۇيغۇرچە on every page: a POST (with the page to come back to) that the account keeps."""
    request = context.get("request")
    current = translation.get_language()
    languages = [
        {"code": code, "name": translation.get_language_info(code)["name_local"], "current": code == current}
        for code, _name in settings.LANGUAGES
    ]
    return {"request": request, "languages": languages, "csrf_token": context.get("csrf_token")}


@register.simple_tag
def both(msgid: str) -> str:
    """A label in Chinese and, after it, in Uyghur, whatever the page's language (the 证书查验 sheet, as the
    bilingual certificate prints it)."""
    with translation.override(settings.LANGUAGE_CODE):
        chinese = translation.gettext(msgid)
    with translation.override("ug"):
        uyghur = translation.gettext(msgid)
    return format_html(
        '<span lang="zh-Hans">{}</span> <span class="both-ug" lang="ug" dir="rtl">{}</span>', chinese, uyghur
    )
