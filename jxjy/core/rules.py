"""The business rules' numbers (DESIGN §6): the settings' defaults, overridden by the 系统管理员.

Readers call `rule("JXJY_…")`; a value saved in the admin (规则设置) wins over the environment. Inside a
request the saved values are read once, on the first `rule()` (RequestContextMiddleware opens
`read_once`): a page that asks for several rules, or for one rule several times, costs one query. Saving or
removing a RuleSetting forgets what the request read, so the request that changes a rule sees the change.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import RuleSetting
from .rulebook import BUSINESS_RULES, RULES, SECURITY_RULES, Rule, parse

__all__ = ["BUSINESS_RULES", "RULES", "SECURITY_RULES", "Rule", "parse", "read_once", "rule"]

# The saved values read in this request ({} until read); None outside a request: every call asks the database.
_read: ContextVar[dict | None] = ContextVar("jxjy_rules_read", default=None)


def rule(key: str):
    saved = _saved().get(key)
    return parse(key, saved) if saved is not None else getattr(settings, key)


def _saved() -> dict[str, str]:
    memo = _read.get()
    if memo is None:
        return dict(RuleSetting.objects.values_list("key", "value"))
    if "values" not in memo:
        memo["values"] = dict(RuleSetting.objects.values_list("key", "value"))
    return memo["values"]


@contextmanager
def read_once() -> Iterator[None]:
    token = _read.set({})
    try:
        yield
    finally:
        _read.reset(token)


@receiver(post_save, sender=RuleSetting)
@receiver(post_delete, sender=RuleSetting)
def _forget(**kwargs) -> None:
    memo = _read.get()
    if memo is not None:
        memo.clear()
