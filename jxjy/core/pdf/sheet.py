"""A flowing A4 document in millimetres from the top left of the page (the 申报表): wrapped text and boxed
tables run onto new pages, a table's heading rows repeat on every page it runs onto, continuation pages
carry a running head, and every page the footer 第 n 页 共 N 页.

The layout is decided first and drawn at the end, when the number of pages is known: each page is a list
of drawing steps.
"""

import io
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from django.utils.translation import gettext_noop
from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from . import fonts, ink
from .text import break_lines

Step = Callable[[Canvas], None]
PT = 1 / mm  # one point in millimetres


@dataclass(frozen=True)
class Cell:
    text: str
    span: int = 1  # columns
    align: str = "L"  # L, C or R
    fill: Color | None = None
    size: float | None = None  # points; the sheet's size when None


@dataclass(frozen=True)
class TableStyle:
    line_height: float = 5.2
    pad_y: float = 1.6  # above and below a cell's text
    pad_x: float = 2.0  # left and right of it
    min_height: float = 8.0
    rule: float = 0.25  # the cells' lines
    outline: float = 0.45  # the table's outline


@dataclass(frozen=True)
class _Row:
    """A laid-out table row: each cell's x, width and lines, and the row's height."""

    cells: tuple[tuple[Cell, float, float, tuple[str, ...]], ...]
    height: float
    top: bool = False  # the table's first row: the outline runs along its top
    bottom: bool = False  # the table's last row: and along its bottom


class Sheet:
    def __init__(self, *, title: str, size: float = 10, margin: float = 15, bottom: float = 18, running_head=""):
        self.title, self.size, self.running_head = title, size, running_head
        self.page_width, self.page_height = A4[0] * PT, A4[1] * PT
        self.left, self.top, self.width = margin, margin, A4[0] * PT - 2 * margin
        self.limit = self.page_height - bottom  # nothing is laid out below this line
        self.body_top = margin + (7 if running_head else 0)  # of a continuation page, under its running head
        self.pages: list[list[Step]] = []
        self.new_page()

    # -- pages -------------------------------------------------------------------------------------

    def new_page(self) -> None:
        self.pages.append([])
        self.y = self.top if len(self.pages) == 1 else self.body_top

    def room(self) -> float:
        return self.limit - self.y

    def keep(self, height: float) -> None:
        """Start a new page unless `height` fits on this one."""
        if height > self.room():
            self.new_page()

    def draw(self, step: Step) -> None:
        self.pages[-1].append(step)

    # -- drawing in millimetres --------------------------------------------------------------------

    def text(self, x: float, baseline: float, text: str, *, size: float, align="L", colour=ink.BLACK, bold=False):
        """One line of text; C centres it on x, R ends it at x. `bold` outlines the glyphs (the font has
        one weight)."""
        self.draw(self._text(x, baseline, text, size=size, align=align, colour=colour, bold=bold))

    def _text(self, x: float, baseline: float, text: str, *, size: float, align="L", colour=ink.BLACK, bold=False):
        def step(c: Canvas) -> None:
            c.setFont(fonts.chinese(), size)
            c.setFillColor(colour)
            if bold:
                c.setStrokeColor(colour)
                c.setLineWidth(0.18 * mm)
            draw = {"L": c.drawString, "C": c.drawCentredString, "R": c.drawRightString}[align]
            draw(x * mm, (self.page_height - baseline) * mm, text, mode=2 if bold else None)

        return step

    def box(self, x: float, y: float, width: float, height: float, *, line: float, fill: Color | None = None):
        def step(c: Canvas) -> None:
            c.setLineWidth(line * mm)
            c.setStrokeColor(ink.BLACK)
            if fill is not None:
                c.setFillColor(fill)
            top = self.page_height - y - height
            c.rect(x * mm, top * mm, width * mm, height * mm, stroke=1, fill=int(fill is not None))

        self.draw(step)

    def line(self, x1: float, y1: float, x2: float, y2: float, *, width: float) -> None:
        def step(c: Canvas) -> None:
            c.setLineWidth(width * mm)
            c.setStrokeColor(ink.BLACK)
            c.line(x1 * mm, (self.page_height - y1) * mm, x2 * mm, (self.page_height - y2) * mm)

        self.draw(step)

    def measure(self, size: float) -> Callable[[str], float]:
        """A string's width in millimetres at `size` points."""
        return lambda s: fonts.width(s, size) * PT

    def baseline(self, line_top: float, line_height: float, size: float) -> float:
        """Where a line of `size` points sits, vertically centred in a line box of `line_height`."""
        return line_top + line_height / 2 + 0.3 * size * PT

    def paragraph(self, text: str, *, size: float, line_height: float, align="C", bold=False) -> None:
        """`text` across the whole width, broken into lines of `line_height`."""
        inner = self.width - 2  # a millimetre of margin either side, as a cell has
        for line in break_lines(text, inner, self.measure(size)):
            self.keep(line_height)
            x = {"L": self.left + 1, "C": self.left + self.width / 2, "R": self.left + self.width - 1}[align]
            self.text(x, self.baseline(self.y, line_height, size), line, size=size, align=align, bold=bold)
            self.y += line_height

    # -- tables ------------------------------------------------------------------------------------

    def table(self, widths: Sequence[float], rows: Iterable[Sequence[Cell]], *, headings=0, style=TableStyle()):
        """Rows of boxed cells across the width (`widths` in proportion); the first `headings` rows repeat
        at the top of every page the table runs onto. A row taller than a page runs on over pages."""
        scale = (self.width - style.outline) / sum(widths)
        columns = [w * scale for w in widths]
        laid = [self._lay(row, columns, style) for row in rows]
        if not laid:
            return
        laid[0] = replace(laid[0], top=True)
        laid[-1] = replace(laid[-1], bottom=True)
        heads = laid[:headings]
        self.y += style.outline / 2
        if heads and len(laid) > headings:  # headings are never left alone at the foot of a page
            self.keep(sum(r.height for r in laid[: headings + 1]))
        for index, row in enumerate(laid):
            self._place(row, heads if index >= headings else [], style)

    def _lay(self, row: Sequence[Cell], columns: list[float], style: TableStyle) -> _Row:
        cells, x, col, lines_most = [], self.left + style.outline / 2, 0, 1
        for cell in row:
            width = sum(columns[col : col + cell.span])
            size = cell.size or self.size
            lines = tuple(break_lines(cell.text, width - 2 * style.pad_x, self.measure(size)))
            cells.append((cell, x, width, lines))
            lines_most = max(lines_most, len(lines))
            x, col = x + width, col + cell.span
        return _Row(tuple(cells), max(style.min_height, lines_most * style.line_height + 2 * style.pad_y))

    def _place(self, row: _Row, heads: list[_Row], style: TableStyle) -> None:
        while row.height > self.room():
            fresh = self.limit - self.body_top - style.outline / 2 - sum(r.height for r in heads)
            part, rest = (None, row) if row.height <= fresh else _split(row, self.room(), style)
            if part is not None:
                self._row(part, style)
            row = rest
            self.new_page()
            self.y += style.outline / 2
            for head in heads:
                self._row(head, style)
        self._row(row, style)

    def _row(self, row: _Row, style: TableStyle) -> None:
        top, left, right = self.y, self.left, self.left + self.width
        for cell, x, width, lines in row.cells:
            self.box(x, top, width, row.height, line=style.rule, fill=cell.fill)
            self._cell_text(cell, x, width, lines, top + (row.height - _text_height(lines, style)) / 2, style)
        half = style.outline / 2
        for x in (left, right):
            self.line(x, top - half, x, top + row.height + half, width=style.outline)
        if row.top:
            self.line(left, top - half, right, top - half, width=style.outline)
        if row.bottom:
            self.line(left, top + row.height + half, right, top + row.height + half, width=style.outline)
        self.y += row.height

    def _cell_text(self, cell: Cell, x: float, width: float, lines, top: float, style: TableStyle) -> None:
        size = cell.size or self.size
        at = {"L": x + style.pad_x, "C": x + width / 2, "R": x + width - style.pad_x}[cell.align]
        for n, line in enumerate(lines):
            baseline = self.baseline(top + style.pad_y + n * style.line_height, style.line_height, size)
            self.text(at, baseline, line, size=size, align=cell.align)

    # -- output ------------------------------------------------------------------------------------

    def render(self) -> bytes:
        buffer = io.BytesIO()
        c = Canvas(buffer, pagesize=A4, pageCompression=1, initialFontName=fonts.chinese(), lang="zh-CN")
        c.setTitle(self.title)
        c.setCreator(gettext_noop("继续教育系统"))  # the 申报表 is the official Chinese form
        for number, steps in enumerate(self.pages, start=1):
            for step in [*steps, *self._furniture(number)]:
                step(c)
            c.showPage()
        c.save()
        return buffer.getvalue()

    def _furniture(self, number: int) -> list[Step]:
        """The running head of a continuation page and every page's footer."""
        centre = self.left + self.width / 2
        footer = gettext_noop("第 %(number)s 页 共 %(pages)s 页") % {"number": number, "pages": len(self.pages)}
        foot = self.baseline(self.page_height - 13, 5, 9)
        steps = [self._text(centre, foot, footer, size=9, align="C", colour=ink.FOOTER_TEXT)]
        if number > 1 and self.running_head:
            head = self.baseline(self.top, 4, 8)
            steps.append(self._text(centre, head, self.running_head, size=8, align="C", colour=ink.HEADER_TEXT))
        return steps


def _text_height(lines, style: TableStyle) -> float:
    return len(lines) * style.line_height + 2 * style.pad_y


def _split(row: _Row, room: float, style: TableStyle) -> tuple[_Row | None, _Row]:
    """`row` cut where `room` ends: the lines that fit stay, the others go on in a row of their own."""
    fit = math.floor((room - 2 * style.pad_y) / style.line_height)
    if fit < 1:
        return None, row
    head = tuple((cell, x, width, lines[:fit]) for cell, x, width, lines in row.cells)
    tail = tuple((cell, x, width, lines[fit:]) for cell, x, width, lines in row.cells)
    most = max(len(lines) for *_, lines in tail)
    height = max(style.min_height, most * style.line_height + 2 * style.pad_y)
    return _Row(head, fit * style.line_height + 2 * style.pad_y, top=row.top), replace(
        row, cells=tail, height=height, top=False
    )
