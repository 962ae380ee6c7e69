"""The site's template library ({% load jxjy %}): masks of personal data, with 显示完整 where allowed."""

from django import template

from jxjy.core.identity import mask_id_number, mask_mobile

from ..personal_data import FIELDS, may_reveal

register = template.Library()


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
