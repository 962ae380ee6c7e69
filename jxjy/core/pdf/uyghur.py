"""The Uyghur font of the bilingual PDFs: settings.JXJY_PDF_UYGHUR_FONT, a TrueType face of the Arabic script,
shaped with HarfBuzz (uharfbuzz: the joined initial, medial and final forms) and set right to left.

ReportLab 5.1 shapes with uharfbuzz (`drawString(shaping=True)`) but sets right to left only with rlbidi, and
writes a contextual form's glyph into ToUnicode as its presentation form or a private-use code, so the text
copied out of the PDF would not be the letters written. So the shaping is done here: each run of a line is
shaped in its own direction (Uyghur right to left, digits and Latin left to right), the runs are laid out
right to left, and every glyph drawn is given a private code of this font whose ToUnicode entry is the letters
of its cluster (a ligature's letters, لا, in visual order like the glyphs). The glyphs are in visual order
on the page; readers (poppler's pdftotext, pdf.js) reverse a right-to-left line whole and give back the Uyghur
in logical order. The font is embedded as a subset like the Chinese one.
"""

import functools
import hashlib
import itertools
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import uharfbuzz as hb  # type: ignore[import-untyped]  # no type hints
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfgen.canvas import Canvas

from . import fonts

# Left to right inside a Uyghur line: digits, Latin letters and Chinese, with the spaces and the punctuation
# between them (2028-ZY-000001, 2028.01.01); everything else takes the line's direction, right to left.
_LTR_CHAR = r"[0-9A-Za-z\u3000-\u9fff\uff00-\uffef]"
_LTR_RUN = re.compile(rf"{_LTR_CHAR}+(?:[ .,:/\-]+{_LTR_CHAR}+)*")
_CHINESE = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")  # a run with these is set in the Chinese font
_PRIVATE = 0xF0000  # supplementary private use area A: the codes of shaped glyphs, never in a font's cmap


def font_path() -> str:
    """settings.JXJY_PDF_UYGHUR_FONT, checked: a PDF without its font would be unreadable."""
    return _checked(str(settings.JXJY_PDF_UYGHUR_FONT))


@functools.cache
def _checked(path: str) -> str:
    if not Path(path).is_file():
        raise ImproperlyConfigured(
            f"JXJY_PDF_UYGHUR_FONT：维吾尔文字体文件不存在（{path}）。请安装 Debian 的 fonts-ukij-uyghur，"
            "或将 JXJY_PDF_UYGHUR_FONT 指向一个含阿拉伯字母（维吾尔文）的 TrueType 字体（.ttf）。"
        )
    return path


class ShapedFont(ttfonts.TTFont):  # type: ignore[misc]  # ReportLab has no type hints
    """A TrueType font whose shaped glyphs have private codes, each written to ToUnicode as its letters."""

    def __init__(self, name: str, path: str):
        super().__init__(name, path, shapable=False)
        self.letters: dict[int, str] = {}  # private code: the letters of its glyph's cluster
        self._codes: dict[tuple[int, str, float], str] = {}
        self._lock = threading.Lock()

    def code(self, glyph: int, letters: str, advance: float) -> str:
        """The character that draws `glyph` `advance` wide (thousandths of the size), read as `letters`."""
        face = self.face
        if (
            len(letters) == 1
            and face.charToGlyph.get(ord(letters)) == glyph
            and face.charWidths.get(ord(letters)) == advance
        ):
            return letters
        key = (glyph, letters, advance)
        with self._lock:
            if key not in self._codes:
                code = _PRIVATE + len(self._codes)
                face.charToGlyph[code] = glyph
                face.charWidths[code] = advance
                self.letters[code] = letters
                self._codes[key] = chr(code)
            return self._codes[key]

    def addObjects(self, doc: Any) -> None:  # ReportLab's name
        """ReportLab's font objects, then each subset's ToUnicode written again with the clusters' letters."""
        state = self.state.get(doc)
        subsets = [list(subset) for subset in state.subsets] if state else []
        super().addObjects(doc)
        for n, subset in enumerate(subsets):
            base = b"".join((ttfonts.SUBSETN(n), b"+", self.face.name, self.face.subfontNameX)).decode("pdfdoc")
            doc.idToObject["toUnicodeCMap:" + base].content = _to_unicode(base, subset, self.letters)


def _to_unicode(name: str, subset: list[int], letters: dict[int, str]) -> str:
    """A ToUnicode CMap as ReportLab's, the private codes mapped to their letters (UTF-16BE)."""
    pairs = [(i, letters.get(code, chr(code))) for i, code in enumerate(subset)]
    entries = [f"<{i:02X}> <{text.encode('utf-16-be').hex().upper()}>" for i, text in pairs if text]
    return "\n".join(
        [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            f"/CIDSystemInfo\n<< /Registry ({name})\n/Ordering ({name})\n/Supplement 0\n>> def",
            f"/CMapName /{name} def",
            "/CMapType 2 def",
            f"1 begincodespacerange\n<00> <{len(subset) - 1:02X}>\nendcodespacerange",
            f"{len(entries)} beginbfchar",
            *entries,
            "endbfchar\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend",
        ]
    )


def uyghur() -> str:
    """The ReportLab name of the Uyghur font, registered on first use."""
    return _register(font_path())


@functools.cache
def _register(path: str) -> str:
    name = "jxjy-ug-" + hashlib.sha256(path.encode()).hexdigest()[:12]
    try:
        font = ShapedFont(name, path)
    except ttfonts.TTFError as error:
        raise ImproperlyConfigured(f"JXJY_PDF_UYGHUR_FONT：{path} 不是可嵌入的 TrueType 字体（{error}）。") from error
    font.face.get_table = functools.cache(font.face.get_table)  # as the Chinese font (fonts._register)
    pdfmetrics.registerFont(font)
    return name


@functools.cache
def _harfbuzz(path: str) -> "hb.Font":
    return hb.Font(hb.Face(hb.Blob.from_file_path(path)))


def runs(text: str) -> Iterator[tuple[str, bool]]:
    """`text` cut into its runs in logical order, each with whether it is set right to left."""
    at = 0
    for match in _LTR_RUN.finditer(text):
        if match.start() > at:
            yield text[at : match.start()], True
        yield match.group(), False
        at = match.end()
    if at < len(text):
        yield text[at:], True


# What a line draws, left to right: (font name, the text or glyph codes in that font, width in thousandths).
Segment = tuple[str, str, float]


@functools.lru_cache(maxsize=1024)
def shaped(text: str) -> tuple[tuple[Segment, ...], float]:
    """What to draw for the Uyghur line `text`, left to right, and its width in thousandths of the size. The
    line is right to left: its runs are laid out from the right. A Chinese name or title inside it (a value
    such as a class name) is set in the Chinese font."""
    name = uyghur()
    font = pdfmetrics.getFont(name)
    segments = [_segment(font, name, run, rtl) for run, rtl in runs(text)][::-1]
    return tuple(segments), sum(width for _, _, width in segments)


def _segment(font: ShapedFont, name: str, run: str, rtl: bool) -> Segment:
    if not rtl and _CHINESE.search(run):
        chinese = fonts.chinese()
        return chinese, run, pdfmetrics.stringWidth(run, chinese, 1000)
    return (name, *_shaped_run(font, run, rtl))


def _shaped_run(font: ShapedFont, run: str, rtl: bool) -> tuple[str, float]:
    hb_font = _harfbuzz(font_path())
    buffer = hb.Buffer()
    buffer.add_str(run)
    buffer.direction = "rtl" if rtl else "ltr"
    buffer.script = "Arab" if rtl else "Latn"
    buffer.language = "ug"
    hb.shape(hb_font, buffer, {})
    scale = 1000 / hb_font.face.upem
    starts = [*sorted({info.cluster for info in buffer.glyph_infos}), len(run)]
    ends = dict(itertools.pairwise(starts))
    seen: set[int] = set()
    codes, width = [], 0.0
    for info, position in zip(buffer.glyph_infos, buffer.glyph_positions, strict=True):
        letters = "" if info.cluster in seen else run[info.cluster : ends[info.cluster]]
        if rtl:  # a ligature's letters in visual order too (لا): readers reverse a right-to-left line whole
            letters = letters[::-1]
        seen.add(info.cluster)
        advance = position.x_advance * scale
        codes.append(font.code(info.codepoint, letters, advance))
        width += advance
    return "".join(codes), width


def width(text: str, size: float) -> float:
    """The width of the Uyghur line `text` in points at `size` points."""
    return shaped(text)[1] * size / 1000


def draw(c: Canvas, text: str, x: float, y: float, size: float, *, align: str = "right") -> float:
    """The Uyghur line `text` at the baseline `y`, its right end (or centre, or left end) at `x`; returns its
    width. The canvas's font is left as the Uyghur one."""
    segments, thousandths = shaped(text)
    line_width = thousandths * size / 1000
    left = {"right": x - line_width, "centre": x - line_width / 2, "left": x}[align]
    for name, codes, segment_width in segments:
        c.setFont(name, size)
        c.drawString(left, y, codes)
        left += segment_width * size / 1000
    c.setFont(uyghur(), size)
    return line_width


def lines(text: str, line_width: float, size: float) -> list[str]:
    """`text` broken at its spaces into lines of at most `line_width` points at `size` (logical order, the
    first line first); a word longer than a line has a line of its own."""
    result: list[str] = []
    for word in text.split():
        if result and width(f"{result[-1]} {word}", size) <= line_width:
            result[-1] = f"{result[-1]} {word}"
        else:
            result.append(word)
    return result
