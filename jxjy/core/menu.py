"""The left menu, by role, with the guide's names. Only screens that exist are listed."""

from dataclasses import dataclass, field

from django.urls import reverse

from jxjy.accounts.models import Organisation, Role


@dataclass
class MenuItem:
    label: str
    url: str = ""
    children: list["MenuItem"] = field(default_factory=list)
    badge: int = 0


def pre_filing_menu_label(base: Organisation) -> str:
    """国家级基地培训前备案 / 自治区级基地培训前备案 / 地州级基地培训前备案, by the base's level."""
    return f"{base.get_level_display()}基地培训前备案"


def menu_for(user) -> list[MenuItem]:
    if not user.is_authenticated:
        return []
    items = [MenuItem("首页", reverse("core:home"))]
    if user.role == Role.BASE and user.organisation_id:
        items.append(MenuItem(pre_filing_menu_label(user.organisation), reverse("filings:list")))
    if user.role == Role.SYSADMIN:
        items.append(MenuItem("系统管理", reverse("admin:index")))
    return items
