"""The two languages of the certificates and the 学时证明: every label, heading and fixed sentence in Chinese
and, under it or beside it, in Uyghur, as the region's bilingual documents are. One msgid, the Chinese, gives
both: the Chinese as the platform's source language, the Uyghur from locale/ug.

Drawing helpers for the pairs: a label with its Uyghur under it, a Uyghur paragraph set right to left and
right-aligned (uyghur.draw draws one line)."""

from collections.abc import Mapping

from django.conf import settings
from django.utils import translation
from reportlab.pdfgen.canvas import Canvas

from . import fonts, ink, uyghur

UYGHUR = "ug"


def both(msgid: str, values: Mapping[str, object] | None = None) -> tuple[str, str]:
    """(Chinese, Uyghur) of `msgid`, each formatted with `values` (`%(name)s`) when given; a value that is itself
    a (Chinese, Uyghur) pair goes into each language's text in its language. A Uyghur translation may leave a
    value out."""
    pair = []
    for index, language in enumerate((settings.LANGUAGE_CODE, UYGHUR)):
        with translation.override(language):
            text = translation.gettext(msgid)
        if values is not None:
            text %= {key: value[index] if isinstance(value, tuple) else value for key, value in values.items()}
        pair.append(text)
    return pair[0], pair[1]


def label(
    c: Canvas, msgid: str, x: float, y: float, *, size: float, ug_size: float, colour: object = ink.GREY
) -> float:
    """The Chinese label `msgid` and `：` at (x, y), its Uyghur right-aligned under it (its right end under the
    colon); returns where the value starts on the Chinese line."""
    zh, ug = both(msgid)
    text = f"{zh}："
    c.setFillColor(colour)
    c.setFont(fonts.chinese(), size)
    c.drawString(x, y, text)
    end = x + fonts.width(text, size)
    uyghur.draw(c, ug, end - size * 0.3, y - ug_size - 2.5, ug_size)
    c.setFillColor(ink.INK)
    c.setFont(fonts.chinese(), size)
    return end


def paragraph(c: Canvas, text: str, right: float, y: float, *, width: float, size: float, leading: float) -> float:
    """The Uyghur `text` from the baseline `y` down in lines of at most `width`, each right-aligned at `right`;
    returns the baseline after the last line."""
    for line in uyghur.lines(text, width, size):
        uyghur.draw(c, line, right, y, size)
        y -= leading
    return y
