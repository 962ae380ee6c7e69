"""Drawing helpers on a ReportLab canvas, in points from the bottom left as ReportLab draws."""

import re
from collections.abc import Sequence

from reportlab.lib.colors import Color
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.pathobject import PDFPathObject

from . import fonts, ink
from .qr import matrix as qr_matrix
from .text import break_lines


def wrapped(c: Canvas, text: str, x: float, y: float, *, width: float, size: float, leading: float) -> float:
    """`text` in the Chinese font, broken into lines of `width` from the baseline `y` down; returns the
    baseline after the last line."""
    c.setFont(fonts.chinese(), size)
    for line in break_lines(text, width, fonts.measure(size)):
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
    (a fixed mask keeps encoding fast; `qr.matrix` is segno's)."""
    matrix = qr_matrix(url)
    c.setFillColor(ink.WHITE)
    c.rect(x, y, size, size, stroke=0, fill=1)
    c.setFillColor(colour)
    c.drawPath(PDFPathObject(code=["n", *_run_rects(matrix, x, y, size)]), stroke=0, fill=1)


_DARK_RUN = re.compile(rb"\x01+")


def _run_rects(matrix: Sequence[bytes], x: float, y: float, size: float) -> list[str]:
    """The `re` operators of the dark runs, as ReportLab's path object writes them (a certificate's QR code
    has about 300 runs; building the path one rect call at a time took a tenth of the page)."""
    quiet = 2
    module = size / (len(matrix) + 2 * quiet)
    rects = []
    for row_index, row in enumerate(matrix):
        top = y + size - (quiet + row_index + 1) * module
        for run in _DARK_RUN.finditer(row):
            start, end = run.span()
            rects.append(f"{fp_str(x + (quiet + start) * module, top, (end - start) * module, module)} re")
    return rects
