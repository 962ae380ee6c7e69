from django import template

from jxjy.core.identity import mask_id_number, mask_mobile

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


@register.filter
def split(value: str, sep: str | None = None) -> list[str]:
    return value.split(sep)


@register.filter
def mask_name(value: str) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧***: enough to recognise, not enough to identify."""
    return value[:1] + "*" * (len(value) - 1) if value else ""
