"""The one Chinese font of every PDF: settings.JXJY_PDF_FONT, a TrueType face (.ttf, or a face of a .ttc).

ReportLab embeds TrueType outlines only (not the CFF outlines of OpenType/Noto CJK fonts); only the glyphs
a document uses are embedded, so the text stays selectable and the files small. Registered once per
process and font file; the seal draws the same face's glyph outlines (`outlines`).
"""

import functools
import hashlib
import re
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from fontTools.ttLib import TTCollection, TTFont
from reportlab.pdfbase import pdfmetrics, ttfonts


def font_path() -> str:
    """settings.JXJY_PDF_FONT, checked: a PDF without its font would be unreadable."""
    return _checked(str(settings.JXJY_PDF_FONT))


@functools.cache
def _checked(path: str) -> str:
    # Once per path and process: a certificate asks for its font a hundred times (each width measured).
    if not Path(path).is_file():
        raise ImproperlyConfigured(
            f"JXJY_PDF_FONT：字体文件不存在（{path}）。请安装 Debian 的 fonts-arphic-uming，"
            "或将 JXJY_PDF_FONT 指向一个 TrueType 中文字体（.ttf/.ttc）。"
        )
    return path


def chinese() -> str:
    """The ReportLab name of the Chinese font, registered on first use."""
    return _register(font_path())


def width(text: str, size: float) -> float:
    """The width of `text` in points, set in the Chinese font at `size` points."""
    return pdfmetrics.stringWidth(text, chinese(), size)


def measure(size: float) -> Callable[[str], float]:
    """`width` at `size` points, with the font looked up once (line breaking measures every piece)."""
    return functools.partial(pdfmetrics.getFont(chinese()).stringWidth, size=size)


def outlines() -> TTFont:
    """The same face read by fontTools, for drawing glyphs as paths (the seal)."""
    return _outlines(font_path())


@functools.cache
def _outlines(path: str) -> TTFont:
    return TTFont(path, fontNumber=face_index(path), lazy=True)


@functools.cache
def _register(path: str) -> str:
    name = "jxjy-" + hashlib.sha256(path.encode()).hexdigest()[:12]
    try:
        font = ttfonts.TTFont(name, path, subfontIndex=face_index(path))
    except ttfonts.TTFError as error:
        raise ImproperlyConfigured(f"JXJY_PDF_FONT：{path} 不是可嵌入的 TrueType 字体（{error}）。") from error
    # ReportLab slices each table out of the (20 MB) font file again for every document's subset;
    # the tables never change, so keep the slices: about a third of a certificate's rendering time.
    font.face.get_table = functools.cache(font.face.get_table)
    pdfmetrics.registerFont(font)
    return name


@functools.cache
def face_index(path: str) -> int:
    """The Simplified Chinese face of a font collection (SC or CN in its name), else the first face."""
    if Path(path).suffix.lower() not in (".ttc", ".otc"):
        return 0
    collection = TTCollection(path, lazy=True)
    try:
        for index, face in enumerate(collection.fonts):
            if re.search(r"\b(SC|CN)\b", face["name"].getDebugName(1) or ""):
                return index
    finally:
        collection.close()
    return 0
