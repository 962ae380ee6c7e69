"""The site's own stylesheets speak in logical directions only, so a right-to-left page (ug) mirrors by itself.

margin-inline-start, not margin-left; inset-inline-end, not right; text-align: start, not left; and so on.
The one exception is a rule scoped to [dir="rtl"] or [dir="ltr"] (or :dir()): it exists to mirror something
that really is physical (an SVG drawn from its left edge, an entry typed left to right), so it may say so.
The vendored Bootstrap files are not ours and are not read.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CSS_FILES = sorted(path for path in (ROOT / "static").rglob("*.css") if "bootstrap" not in path.parts)

SIDE = r"(?:left|right)"
PHYSICAL_PROPERTY = re.compile(
    rf"""^(?:
        {SIDE}
      | (?:margin|padding|inset|scroll-margin|scroll-padding)-{SIDE}
      | border-{SIDE}(?:-(?:width|style|color))?
      | border-(?:top|bottom)-{SIDE}-radius
    )$""",
    re.VERBOSE,
)
# Properties whose value may name a side.
SIDE_VALUE = {
    "text-align": rf"^{SIDE}\b",
    "text-align-last": rf"^{SIDE}\b",
    "float": rf"^{SIDE}\b",
    "clear": rf"^{SIDE}\b",
    "caption-side": rf"^{SIDE}\b",
}
SIDE_KEYWORD = re.compile(rf"\b{SIDE}\b")
POSITION_PROPERTIES = {"background-position", "background-position-x", "transform-origin", "object-position"}
# Four values (top right bottom left) whose right and left differ.
BOX_SHORTHANDS = {"margin", "padding", "inset", "border-width", "border-style", "border-color", "scroll-margin"}
MIRROR_SCOPE = re.compile(r"""\[dir=["']?(?:rtl|ltr)["']?\]|:dir\((?:rtl|ltr)\)""")


def split_values(value: str) -> list[str]:
    """A value's space-separated parts, keeping min(100%, 648px) or var(--x, 1px 2px) whole."""
    parts, depth, current = [], 0, ""
    for char in value:
        depth += char == "("
        depth -= char == ")"
        if char.isspace() and depth == 0:
            if current:
                parts.append(current)
            current = ""
        else:
            current += char
    return parts + ([current] if current else [])


def asymmetric_radius(value: str) -> bool:
    """border-radius: a b c d is top-left, top-right, bottom-right, bottom-left: lopsided when mirroring changes it."""
    for part in value.split("/"):
        v = split_values(part.strip())
        if len(v) == 2:
            v = v * 2
        elif len(v) == 3:
            v = [*v, v[1]]
        if len(v) == 4 and (v[0] != v[1] or v[2] != v[3]):
            return True
    return False


def physical(prop: str, value: str) -> str | None:
    """Why prop: value is a physical left/right, or None."""
    value = re.sub(r"\s*!important\s*$", "", value.strip(), flags=re.I)
    if PHYSICAL_PROPERTY.match(prop):
        return f"{prop} (use its logical -inline-start/-inline-end form)"
    if prop in SIDE_VALUE and re.match(SIDE_VALUE[prop], value, re.I):
        return f"{prop}: {value} (use start/end, inline-start/inline-end)"
    if prop in POSITION_PROPERTIES and SIDE_KEYWORD.search(value):
        return f"{prop}: {value} names a side"
    if prop in BOX_SHORTHANDS:
        v = split_values(value)
        if len(v) == 4 and v[1] != v[3]:
            return f"{prop}: {value} has different right and left (use {prop}-block / {prop}-inline)"
    if prop == "border-radius" and asymmetric_radius(value):
        return f"border-radius: {value} differs left and right (use border-start-start-radius …)"
    return None


def declarations(text: str):
    """(line, selector, property, value) for each declaration; comments blanked out, line numbers kept."""
    text = re.sub(r"/\*.*?\*/", lambda m: re.sub(r"[^\n]", " ", m.group()), text, flags=re.S)
    selectors: list[str] = []
    start = 0
    for match in re.finditer(r"[{};]", text):
        chunk = text[start : match.start()]
        if match.group() == "{":
            selectors.append(" ".join(chunk.split()))
        else:
            if ":" in chunk and selectors and not selectors[-1].startswith("@"):
                prop, value = chunk.split(":", 1)
                line = text.count("\n", 0, start + len(chunk) - len(chunk.lstrip())) + 1
                yield line, selectors[-1], prop.strip().lower(), " ".join(value.split())
            if match.group() == "}" and selectors:
                selectors.pop()
        start = match.end()


def mirror_rule(selector: str) -> bool:
    """Every selector of the list is scoped to a direction."""
    return all(MIRROR_SCOPE.search(part) for part in split_selector_list(selector))


def split_selector_list(selector: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for char in selector:
        depth += char in "(["
        depth -= char in ")]"
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    return [*parts, current]


def test_the_stylesheets_are_found():
    names = {path.relative_to(ROOT).as_posix() for path in CSS_FILES}
    assert {"static/css/app.css", "static/css/nojs.css", "static/css/admin-accounts.css"} <= names


@pytest.mark.parametrize("path", CSS_FILES, ids=lambda path: path.relative_to(ROOT).as_posix())
def test_no_physical_left_or_right(path):
    found = []
    for line, selector, prop, value in declarations(path.read_text(encoding="utf-8")):
        reason = physical(prop, value)
        if reason and not mirror_rule(selector):
            found.append(f"{path.relative_to(ROOT)}:{line}: {selector} {{ {reason} }}")
    assert not found, (
        "physical left/right in the stylesheets; a right-to-left page would not mirror it. Write it with logical "
        'properties, or put it in a [dir="rtl"] rule that mirrors something physical:\n' + "\n".join(found)
    )


@pytest.mark.parametrize(
    ("css", "bad"),
    [
        (".a { margin-left: 4px; }", True),
        (".a { padding-right: 4px }", True),
        (".a { border-left: 1px solid; }", True),
        (".a { border-right-color: red; }", True),
        (".a { position: absolute; left: 0; }", True),
        ("@media (min-width: 1px) { .a { right: 10px; } }", True),
        (".a { text-align: left; }", True),
        (".a { float: right; }", True),
        (".a { border-top-left-radius: 3px; }", True),
        (".a { padding: 7px 12px 0 0; }", True),
        (".a { border-radius: 4px 0 0 4px; }", True),
        (".a { background-position: right 4px center; }", True),
        (".a { margin-inline-start: 4px; inset-inline-end: 0; text-align: end; float: inline-start; }", False),
        (".a { padding: 8px 10px; margin: 0 auto 4px; border-radius: 4px; text-align: center; }", False),
        (".a { top: 0; bottom: 0; border-top: 1px solid; }", False),
        ('[dir="rtl"] .a { text-align: right; }', False),
        ('[dir="rtl"] .a, .b { text-align: right; }', True),
        ("/* margin-left: 4px; */ .a { color: red; }", False),
    ],
)
def test_the_check_itself(css, bad):
    hits = [(s, p, v) for _, s, p, v in declarations(css) if physical(p, v) and not mirror_rule(s)]
    assert bool(hits) is bad, hits
