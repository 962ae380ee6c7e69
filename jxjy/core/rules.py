"""The business rules' numbers (DESIGN §6): the settings' defaults, overridden by the 系统管理员.

Readers call `rule("JXJY_…")`; a value saved in the admin (规则设置) wins over the environment.
"""

from django.conf import settings

from .models import RuleSetting
from .rulebook import BUSINESS_RULES, RULES, SECURITY_RULES, Rule, parse

__all__ = ["BUSINESS_RULES", "RULES", "SECURITY_RULES", "Rule", "parse", "rule"]


def rule(key: str):
    saved = RuleSetting.objects.filter(key=key).values_list("value", flat=True).first()
    return parse(key, saved) if saved is not None else getattr(settings, key)
