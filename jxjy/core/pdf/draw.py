"""Drawing helpers on a ReportLab canvas, in points from the bottom left as ReportLab draws."""

import segno
from reportlab.lib.colors import Color
from reportlab.pdfgen.canvas import Canvas

from . import fonts, ink
from .text import break_lines


def wrapped(c: Canvas, text: str, x: float, y: float, *, width: float, size: float, leading: float) -> float:
    """`text` in the Chinese font, broken into lines of `width` from the baseline `y` down; returns the
    baseline after the last line."""
    c.setFont(fonts.chinese(), size)
    for line in break_lines(text, width, lambda s: fonts.width(s, size)):
        c.drawString(x, y, line)
        y -= leading
    return y


def labelled(c: Canvas, rows: list[tuple[str, str]], x: float, y: float, *, value_x: float, step: float) -> float:
    """`label：value` lines from the baseline `y` down, labels grey, values at `value_x`; returns the next baseline."""
    for label, value in rows:
        c.setFillColor(ink.GREY)
        c.drawString(x, y, f"{label}：")
        c.setFillColor(ink.INK)
        c.drawString(value_x, y, value)
        y -= step
    return y


def rule(c: Canvas, x1: float, x2: float, y: float) -> None:
    c.line(x1, y, x2, y)


def watermark(c: Canvas, text: str, *, centre: tuple[float, float], size: float, angle: float) -> None:
    """`text` across the page, translucent red (a revoked document)."""
    c.saveState()
    c.setFillColor(ink.REVOKED)
    c.setFont(fonts.chinese(), size)
    c.translate(*centre)
    c.rotate(angle)
    c.drawCentredString(0, -30, text)
    c.restoreState()


def qr(c: Canvas, url: str, x: float, y: float, size: float, colour: Color = ink.INK) -> None:
    """The QR code of `url` in a white square of `size` at (x, y), drawn as one filled path of row runs
    (a fixed mask keeps encoding fast)."""
    matrix = segno.make(url, error="m", mask=0, boost_error=False).matrix
    n = len(matrix)
    quiet = 2
    module = size / (n + 2 * quiet)
    c.setFillColor(ink.WHITE)
    c.rect(x, y, size, size, stroke=0, fill=1)
    path = c.beginPath()
    for row_index, row in enumerate(matrix):
        top = y + size - (quiet + row_index + 1) * module
        for start, end in _runs(row):
            path.rect(x + (quiet + start) * module, top, (end - start) * module, module)
    c.setFillColor(colour)
    c.drawPath(path, stroke=0, fill=1)


def _runs(row) -> list[tuple[int, int]]:
    """The [start, end) column ranges of the dark modules of a QR row."""
    runs, start = [], None
    for col, dark in enumerate(row):
        if dark and start is None:
            start = col
        elif not dark and start is not None:
            runs.append((start, col))
            start = None
    if start is not None:
        runs.append((start, len(row)))
    return runs
