"""What an uploaded PDF may not carry: anything a viewer would run, send, open, play or unpack.

Refused: JavaScript in any place (actions, name trees, form fields, XFA forms), actions that start
programs, send form data, import data or open other files (GoToR, GoToE), actions run by themselves
(/AA, and an /OpenAction that does more than go to a page), multimedia and 3D (RichMedia, Screen, Movie,
Sound, Rendition, 3D), embedded and attached files, and links to anything but a web or mail address (a
file://, UNC or javascript: link). An ordinary http/https/mailto link the reader clicks stays allowed.

Two passes: every object pypdf finds (reachable from the trailer or listed in the cross-reference tables,
object streams included; names arrive with their #xx escapes undone), and the raw bytes outside streams and
strings, so that an object no cross-reference lists, or an earlier revision of the file, is seen too.
"""

import re

from django.utils.translation import gettext_lazy
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

SCRIPT = gettext_lazy("JavaScript脚本")
XFA = gettext_lazy("XFA动态表单（可含脚本）")
AUTO = gettext_lazy("自动执行的动作")
ON_OPEN = gettext_lazy("打开文件时自动执行的动作")
LAUNCH = gettext_lazy("启动外部程序的动作")
SUBMIT = gettext_lazy("向外发送表单数据的动作")
IMPORT = gettext_lazy("导入外部数据的动作")
OTHER_FILE = gettext_lazy("打开其他文件的动作")
MEDIA = gettext_lazy("多媒体或3D内容")
FILES = gettext_lazy("嵌入文件")
LINK = gettext_lazy("指向本机、局域网或非网页地址的链接")

# Keys whose presence alone is active content.
KEYS = {
    "/JS": SCRIPT, "/JavaScript": SCRIPT, "/XFA": XFA, "/AA": AUTO, "/EmbeddedFiles": FILES, "/EF": FILES,
    "/RichMediaContent": MEDIA, "/RichMediaSettings": MEDIA, "/3DD": MEDIA,
}  # fmt: skip
# Action types (/S) that run, send, open or play something; /URI is judged by its address.
ACTIONS = {
    "/JavaScript": SCRIPT, "/Launch": LAUNCH, "/SubmitForm": SUBMIT, "/ImportData": IMPORT,
    "/GoToR": OTHER_FILE, "/GoToE": OTHER_FILE, "/Rendition": MEDIA, "/Sound": MEDIA, "/Movie": MEDIA,
    "/RichMediaExecute": MEDIA, "/GoTo3DView": MEDIA,
}  # fmt: skip
# Annotation and XObject subtypes that play media or hold a file.
SUBTYPES = {
    "/RichMedia": MEDIA, "/3D": MEDIA, "/U3D": MEDIA, "/PRC": MEDIA, "/Movie": MEDIA, "/Sound": MEDIA,
    "/Screen": MEDIA, "/FileAttachment": FILES,
}  # fmt: skip
TYPES = {"/EmbeddedFile": FILES, "/3D": MEDIA}
SAFE_LINKS = ("http://", "https://", "mailto:")
# Names that have no innocent use at all: looked for in the raw bytes too.
RAW_NAMES = {**{k[1:]: v for k, v in KEYS.items()}, **{k[1:]: v for k, v in ACTIONS.items()}}
RAW_NAMES.update({"RichMedia": MEDIA, "FileAttachment": FILES, "EmbeddedFile": FILES})
MAX_OBJECTS = 200_000
MAX_ACTION_CHAIN = 100

_STREAM = re.compile(rb"(?<![A-Za-z])stream\r?\n.*?endstream", re.DOTALL)
_LITERAL = re.compile(rb"\((?:\\.|[^\\()])*\)", re.DOTALL)  # innermost first; nesting peels off in rounds
_NAME = re.compile(rb"/([^\x00\t\n\x0c\r /\[\]<>(){}%]+)")
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")


def pdf_threat(content: bytes, reader: PdfReader) -> str | None:
    """What active content the PDF carries (in the user's words), or None."""
    return _raw_threat(content) or _open_action_threat(reader) or _object_threat(reader)


def _raw_threat(content: bytes) -> str | None:
    text = _STREAM.sub(b" ", content)
    for _ in range(8):
        text, peeled = _LITERAL.subn(b" ", text)
        if not peeled:
            break
    for match in _NAME.finditer(text):
        name = _ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), match.group(1))
        if found := RAW_NAMES.get(name.decode("latin-1")):
            return found
    return None


def _open_action_threat(reader: PdfReader) -> str | None:
    """An /OpenAction may go to a page; any other action in its chain runs by itself."""
    action = _resolved(reader.trailer["/Root"].get("/OpenAction"))
    pending, steps = [action], 0
    while pending and steps < MAX_ACTION_CHAIN:
        steps += 1
        item = _resolved(pending.pop())
        if isinstance(item, ArrayObject) and item is not action:
            pending.extend(item)
        elif isinstance(item, DictionaryObject):
            if _name(item, "/S") != "/GoTo":
                return ON_OPEN
            pending.append(item.get("/Next"))
    return ON_OPEN if pending else None


def _object_threat(reader: PdfReader) -> str | None:
    """Walk every object: those reachable from the trailer, and every one the cross-references list."""
    stack: list = [reader.trailer, *_listed_objects(reader)]
    seen: set[tuple[int, int]] = set()
    steps = 0
    while stack:
        steps += 1
        if steps > MAX_OBJECTS:
            raise ValueError("too many objects")
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key not in seen:
                seen.add(key)
                stack.append(obj.get_object())
        elif isinstance(obj, DictionaryObject):
            if found := _dict_threat(obj):
                return found
            stack.extend(obj.values())
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
    return None


def _listed_objects(reader: PdfReader) -> list[IndirectObject]:
    listed = [IndirectObject(idnum, gen, reader) for gen, table in reader.xref.items() for idnum in table]
    return listed + [IndirectObject(idnum, 0, reader) for idnum in reader.xref_objStm]


def _dict_threat(d: DictionaryObject) -> str | None:
    for key in d:
        if key in KEYS:
            return KEYS[key]
    action = _name(d, "/S")
    if action in ACTIONS:
        return ACTIONS[action]
    if action == "/URI" and not _safe_link(_resolved(d.get("/URI"))):
        return LINK
    return SUBTYPES.get(_name(d, "/Subtype")) or TYPES.get(_name(d, "/Type"))


def _name(d: DictionaryObject, key: str) -> str | None:
    """A name entry, also when the file put it behind an indirect reference."""
    value = _resolved(d.get(key))
    return value if isinstance(value, str) else None


def _safe_link(uri) -> bool:
    text = uri.decode("latin-1") if isinstance(uri, bytes) else uri if isinstance(uri, str) else ""
    return text.strip().lower().startswith(SAFE_LINKS)


def _resolved(obj):
    return obj.get_object() if isinstance(obj, IndirectObject) else obj
