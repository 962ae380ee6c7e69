"""Every page in ئۇيغۇرچە: Chinese characters appear only in what people entered or the platform stored
(names, units, class titles, addresses, the seeded catalogue), never in the interface itself.

The walk is the role × URL matrix's (tests/test_url_matrix.py): each role opens every page it may see, in
Uyghur; each run of Chinese characters in the text a person sees (text, title, placeholder, aria-label, alt,
button values) must be part of a text stored in the database."""

import json
import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.db import models

from . import test_url_matrix as matrix
from .test_url_matrix import ROLES, URLS, client_as, url_for

world = matrix.world  # the matrix's fixture: one of everything a URL can name
CHINESE_RUN = re.compile(r"[\u3400-\u9fff]+")
SHOWN_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt", "value", "data-busy-text"}


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Seen(HTMLParser):
    """The text a person sees or hears on a page: text nodes (not scripts or styles) and labelling attributes,
    except inside an element marked lang="zh-Hans" (Chinese on purpose: the switch's 简体中文, the certificate's
    Chinese labels beside their Uyghur)."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._open: list[tuple[str, bool]] = []  # (tag, hides its text)

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        hides = tag in ("script", "style", "template") or values.get("lang") == "zh-Hans"
        if not self._hidden():
            for name, value in attrs:
                # A value is seen on a button (<input type=submit>), not on an <option> or a hidden field.
                shown = name != "value" or (tag == "input" and values.get("type") in ("submit", "button", "reset"))
                if value and name in SHOWN_ATTRIBUTES and shown:
                    self.parts.append(value)
        if tag not in VOID:
            self._open.append((tag, hides))

    def handle_endtag(self, tag):
        while self._open:
            if self._open.pop()[0] == tag:
                break

    def _hidden(self) -> bool:
        return any(hides for _tag, hides in self._open)

    def handle_data(self, data):
        if not self._hidden():
            self.parts.append(data)


def seen_text(html: str) -> str:
    parser = _Seen()
    parser.feed(html)
    return "\n".join(parser.parts)


def stored_texts() -> list[str]:
    """Every text value in the database (decrypted where the model encrypts it; a JSON value as its text: the
    keys and values of an audit entry's details are a record, in Chinese)."""
    texts = []
    kinds = (models.CharField, models.TextField, models.JSONField)
    for model in apps.get_models():
        fields = [f.attname for f in model._meta.concrete_fields if isinstance(f, kinds)]
        if not fields:
            continue
        for row in model._default_manager.all()[:2000]:
            values = (getattr(row, name, "") for name in fields)
            texts += [v if isinstance(v, str) else json.dumps(v, ensure_ascii=False) for v in values if v]
    return texts


@pytest.mark.parametrize("role", ROLES)
def test_a_page_in_uyghur_shows_chinese_only_in_what_was_stored(request, world, role):
    client = client_as(request, role)
    client.cookies["jxjy_language"] = "ug"
    stored = "\n".join(stored_texts())
    leaks = set()
    for route in URLS:
        response = client.get(url_for(route, world))
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
            continue
        html = response.content.decode()
        assert 'dir="rtl"' in html[:200] or route.startswith("api/"), route
        for run in CHINESE_RUN.findall(seen_text(html)):
            if run not in stored:
                leaks.add(f"{route}: {run}")
    assert sorted(leaks) == [], "\n".join(sorted(leaks))
