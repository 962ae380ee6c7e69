"""Read a rendered page the way a user does: which message stands next to which field."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    parent: Node | None = None
    children: list[Node | str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children).strip()

    def walk(self):
        for c in self.children:
            if isinstance(c, Node):
                yield c
                yield from c.walk()

    def find_all(self, predicate) -> list[Node]:
        return [n for n in self.walk() if predicate(n)]

    def errors(self) -> list[str]:
        """The texts of the error messages inside this element."""
        return [n.text() for n in self.find_all(lambda n: "error" in n.classes)]


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("document", {})
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: v or "" for k, v in attrs}, parent=self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, {k: v or "" for k, v in attrs}, parent=self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(html: str | bytes) -> Node:
    builder = _TreeBuilder()
    builder.feed(html.decode() if isinstance(html, bytes) else html)
    return builder.root


def page(response) -> Node:
    return parse(response.content)


def element(response, **attrs) -> Node:
    """The one element whose attributes have these values (data_field= means data-field=)."""
    wanted = {k.replace("_", "-"): v for k, v in attrs.items()}
    found = page(response).find_all(lambda n: all(n.attrs.get(k) == v for k, v in wanted.items()))
    assert len(found) == 1, f"expected one element with {wanted}, found {len(found)}"
    return found[0]


def errors_next_to(response, name: str) -> list[str]:
    """The messages shown in the field block (class "field") holding the control named `name`."""
    root = page(response)
    controls = root.find_all(lambda n: n.tag in ("input", "select", "textarea") and n.attrs.get("name") == name)
    assert controls, f"no control named {name!r} on the page"
    node = controls[0]
    while node is not None and "field" not in node.classes:
        node = node.parent
    assert node is not None, f"control {name!r} is not inside a field block"
    return node.errors()


def alerts(response) -> list[str]:
    """Texts of the page's alert boxes (messages and form-wide errors)."""
    return [n.text() for n in page(response).find_all(lambda n: n.attrs.get("role") == "alert")]
