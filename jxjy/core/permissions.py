"""Named permissions: `require(user, "filings.use")` refuses (403) with the words the permission declares.

The predicates are declared once, by the app that knows the roles (jxjy/accounts/predicates.py), as `rules`
rules; any app asks them by name here, so that a lower layer never imports the one that defines roles.
"""

from typing import Any

import rules
from django.core.exceptions import PermissionDenied

REFUSALS: dict[str, str] = {}  # permission -> what a refused user reads


def declare(name: str, predicate: rules.Predicate, refusal: str) -> None:
    rules.add_rule(name, predicate)
    REFUSALS[name] = refusal


def allows(user: Any, name: str) -> bool:
    return bool(rules.test_rule(name, user))


def require(user: Any, name: str) -> None:
    """Refuse a user who may not use the screen (the 403 page shows the permission's words)."""
    if not allows(user, name):
        raise PermissionDenied(REFUSALS[name])
