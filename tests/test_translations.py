"""The Uyghur interface's guard rails: every text of the code goes through Django's i18n, and every msgid has
its ئۇيغۇرچە translation in locale/ug/ (a missing one fails here, with the texts to translate).

* Python: a Chinese string literal is a gettext argument (gettext, gettext_lazy, gettext_noop for stored
  records …), a docstring, or one of the few kinds of text that are not the interface (log lines, the
  operators' ImproperlyConfigured and CommandError, stored values and keys: see STORED).
* Templates: Chinese only inside {% translate %} / {% blocktranslate %} or a _("…") argument.
* Scripts: Chinese only inside gettext("…") (the scripts' catalogue, djangojs).
"""

import ast
import collections
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.template.base import Lexer, TokenType
from django.utils.translation.template import templatize

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale" / "ug" / "LC_MESSAGES"
CJK = re.compile(r"[\u3400-\u9fff]")
GETTEXT = {"_", "gettext", "gettext_lazy", "gettext_noop", "pgettext", "pgettext_lazy", "ngettext", "ngettext_lazy"}
# Calls whose Chinese arguments are not the interface: log lines and the operators' start-up and command
# errors (Chinese, for the operators who read the README), and text matching (re, str methods).
NOT_INTERFACE = {
    "ImproperlyConfigured", "CommandError", "compile", "search", "match", "fullmatch", "sub", "split",
    "startswith", "endswith", "replace", "strip", "removeprefix", "removesuffix", "count", "index", "find",
    "debug", "info", "warning", "error", "exception", "critical",  # logger.* (not messages.*: see _is_log)
    "filter", "exclude", "get_or_create", "update_or_create", "Q",  # stored values looked up
}  # fmt: skip
# Modules whose Chinese is a record or a file format, not the interface (each with its reason).
STORED = {
    "jxjy/filings/pdf.py": "the 申报表 PDF is the official Chinese form the base stamps and uploads",
}
PLACEHOLDER = re.compile(r"%\([A-Za-z0-9_]+\)[sdfr]|%[sdfr]|\{[A-Za-z0-9_]*\}")


def _catalogue(domain: str):
    with open(LOCALE / f"{domain}.po", "rb") as f:
        return read_po(f, locale="ug")


def _python_files():
    for path in sorted((ROOT / "jxjy").rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


class _Literals(ast.NodeVisitor):
    """Chinese string literals of one module that are not translated: (line, text)."""

    def __init__(self, source: str):
        self.source = source
        self.found: list[tuple[int, str]] = []
        self.msgids: set[str] = set()
        self.stack: list[ast.AST] = []
        self.docstrings: set[int] = set()

    def visit(self, node):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                self.docstrings.add(id(body[0].value))
        self.stack.append(node)
        super().visit(node)
        self.stack.pop()

    def visit_Call(self, node):
        name = _call_name(node)
        if name in GETTEXT and node.args and isinstance(node.args[0], ast.Constant):
            arg = 1 if name.startswith("p") else 0
            if isinstance(node.args[arg], ast.Constant) and isinstance(node.args[arg].value, str):
                self.msgids.add(node.args[arg].value)
            for a in node.args[arg + 1 :] + [k.value for k in node.keywords]:
                self.visit(a)
            return
        if name in NOT_INTERFACE and not _is_messages(node):
            return
        self.generic_visit(node)

    def visit_Constant(self, node):
        text = ast.get_source_segment(self.source, node) or ""
        chinese = isinstance(node.value, str) and CJK.search(text) and id(node) not in self.docstrings
        if chinese and not self._stored(node):
            self.found.append((node.lineno, node.value))

    def _stored(self, node) -> bool:
        parent = self.stack[-2] if len(self.stack) > 1 else None
        if isinstance(parent, ast.Dict) and node in parent.keys:  # a record's key (audit details, facts)
            return True
        if isinstance(parent, (ast.Subscript, ast.Compare)):
            return True
        if node.value in ("男", "女"):  # 性别 as stored
            return True
        # A TextChoices member whose stored value is Chinese (Outcome.SUCCESS = "成功", …): the value stays.
        grand = self.stack[-3] if len(self.stack) > 2 else None
        if isinstance(parent, ast.Tuple) and isinstance(grand, ast.Assign) and parent.elts[0] is node:
            return any(isinstance(p, ast.ClassDef) for p in self.stack)
        return (
            any(isinstance(p, ast.keyword) and p.arg == "choices" for p in self.stack)
            and isinstance(parent, ast.Tuple)
            and parent.elts[0] is node
        )


def _call_name(node: ast.Call) -> str:
    f = node.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""


def _is_messages(node: ast.Call) -> bool:
    """messages.error(request, …) is the interface; logger.error(…) is not."""
    f = node.func
    return isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id == "messages"


def python_msgids_and_untranslated() -> tuple[set[str], list[str]]:
    msgids, left = set(), []
    for path in _python_files():
        rel = path.relative_to(ROOT).as_posix()
        source = path.read_text(encoding="utf-8")
        visitor = _Literals(source)
        visitor.visit(ast.parse(source))
        msgids |= visitor.msgids
        if rel not in STORED:
            left += [f"{rel}:{line}: {text[:50]!r}" for line, text in visitor.found]
    return msgids, left


def _templates():
    return sorted((ROOT / "templates").rglob("*.html"))


def template_untranslated(source: str) -> list[str]:
    """Chinese outside the translation tags of one template: the text, as it stands."""
    left, inside = [], None
    for token in Lexer(source).tokenize():
        text = token.contents
        if token.token_type == TokenType.BLOCK:
            head = text.split(None, 1)[0] if text else ""
            if inside and head == inside:
                inside = None
            elif head in ("blocktranslate", "blocktrans"):
                inside = "endblocktranslate" if head == "blocktranslate" else "endblocktrans"
            elif head == "comment":
                inside = "endcomment"
            elif (
                not inside
                and head not in ("translate", "trans", "both")
                and CJK.search(re.sub(r'_\("[^"]*"\)', "", text))
            ):
                left.append(f"{{% {text} %}}")
        elif inside:
            continue
        elif token.token_type == TokenType.VAR and CJK.search(re.sub(r'_\("[^"]*"\)|_\(\'[^\']*\'\)', "", text)):
            left.append(f"{{{{ {text} }}}}")
        elif token.token_type == TokenType.TEXT and CJK.search(text):
            left.append(CJK.search(text).string.strip()[:60])
    return left


def template_msgids() -> set[str]:
    """What makemessages takes from the templates: Django's own templatize, read back."""
    found = set()
    call = re.compile(r"\b(?:gettext|pgettext)\((?:'[^']*', )?'((?:[^'\\]|\\.)*)'\)")
    for path in _templates():
        code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
        found |= {ast.literal_eval(f"'{m}'") for m in call.findall(code)}
    return found


SCRIPT_CALL = re.compile(r'gettext\("((?:[^"\\]|\\.)*)"\)')
SCRIPT_COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)


def script_msgids_and_untranslated() -> tuple[set[str], list[str]]:
    msgids, left = set(), []
    for path in sorted((ROOT / "static" / "js").glob("*.js")):
        code = SCRIPT_COMMENT.sub("", path.read_text(encoding="utf-8"))
        msgids |= {ast.literal_eval(f'"{m}"') for m in SCRIPT_CALL.findall(code)}
        rest = SCRIPT_CALL.sub("", code)
        left += [f"{path.name}: {line.strip()[:60]}" for line in rest.splitlines() if CJK.search(line)]
    return msgids, left


def test_every_chinese_text_of_the_python_code_goes_through_gettext():
    _, left = python_msgids_and_untranslated()
    assert left == [], "Chinese literals outside gettext (wrap them, or gettext_noop for a record):\n" + "\n".join(left)


def test_every_chinese_text_of_the_templates_is_inside_a_translation_tag():
    left = [f"{p.relative_to(ROOT)}: {t}" for p in _templates() for t in template_untranslated(p.read_text())]
    assert left == [], "Chinese outside {% translate %} / {% blocktranslate %}:\n" + "\n".join(left)


def test_every_chinese_text_of_the_scripts_goes_through_gettext():
    _, left = script_msgids_and_untranslated()
    assert left == [], "\n".join(left)


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_every_msgid_has_its_uyghur_translation_with_the_same_placeholders(domain):
    catalogue = _catalogue(domain)
    missing, fuzzy, wrong = [], [], []
    for message in catalogue:
        if not message.id:
            continue
        if not message.string:
            missing.append(message.id)
        elif message.fuzzy:
            fuzzy.append(message.id)
        elif collections.Counter(PLACEHOLDER.findall(message.id)) != collections.Counter(
            PLACEHOLDER.findall(message.string)
        ):
            wrong.append(f"{message.id!r} → {message.string!r}")
    assert missing == [] and fuzzy == [] and wrong == [], (missing, fuzzy, wrong)


def test_the_catalogue_holds_every_msgid_of_the_code():
    """The code's texts (Python, templates, scripts) are all in the catalogue: `make catalogues` was run."""
    python, _ = python_msgids_and_untranslated()
    scripts, _ = script_msgids_and_untranslated()
    in_catalogue = {m.id for m in _catalogue("django") if m.id}
    in_scripts = {m.id for m in _catalogue("djangojs") if m.id}
    code = python | template_msgids()
    assert sorted(code - in_catalogue) == [], "run `make catalogues` and translate the new texts"
    assert sorted(scripts - in_scripts) == [], "run `make catalogues` and translate the new texts"


def test_the_glossary_is_followed_by_the_translations():
    """Where a msgid uses a glossary term, its translation carries the term's stem: one term, one rendering."""
    rows = [
        line.split("\t")
        for line in (LOCALE.parent / "glossary.tsv").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ][1:]
    terms = sorted(((zh, stem) for zh, _ug, stem, _note in rows), key=lambda t: -len(t[0]))
    assert len(terms) > 150
    off = collections.Counter()
    for message in _catalogue("django"):
        if message.id and message.string:
            text = str(message.id)
            for zh, stem in terms:
                if zh in text:
                    text = text.replace(zh, "")  # a longer term already stands for its parts
                    off[zh] += stem not in message.string
    # Grammar sometimes asks for another form; a term translated another way in most of its uses is a slip.
    uses = collections.Counter()
    for message in _catalogue("django"):
        for zh, _stem in terms:
            uses[zh] += zh in str(message.id)
    slips = {zh: n for zh, n in off.items() if n > max(2, uses[zh] // 2)}
    assert slips == {}, slips
