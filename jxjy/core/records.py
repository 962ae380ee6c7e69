"""Texts that are stored, not shown: the audit trail, checkpoints, ledger sources, a signed file's metadata.

A record is written in the platform's language (简体中文, the guide's wording), whatever language the person
who caused it reads the site in; the pages translate what they show of it. `recorded` turns the lazy
translations inside a value (dict keys and values, lists, tuples) into plain Chinese strings.
"""

from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise


def recorded(value: Any) -> Any:
    """`value` with every lazy text in it made a str in the platform's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return _plain(value)


def _plain(value: Any) -> Any:
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, dict):
        return {_plain(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_plain(v) for v in value)
    return value
