"""The round seal drawn in a signature's appearance: the issuing organisation's name along the upper arc,
a five-pointed star in the middle and the seal's purpose beneath it, in seal red.

The seal is drawn by the platform (no image of a real seal exists anywhere): the characters are the
outlines of the certificate font's glyphs turned into PDF paths, so the appearance needs no font of its
own. Each (organisation, purpose) is drawn once per process.
"""

import functools
import math
import zlib

from django.utils.translation import gettext_lazy
from fontTools.pens.basePen import BasePen
from fontTools.pens.transformPen import TransformPen
from fontTools.ttLib import TTFont
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.content import PdfContent, ResourceType
from pyhanko.pdf_utils.layout import AxisAlignment, BoxConstraints, Margins, SimpleBoxLayoutRule
from pyhanko.pdf_utils.writer import init_xobject_dictionary
from pyhanko.stamp import StaticStampStyle

from jxjy.core.pdf import fonts

SIZE = 120.0  # the seal's diameter in points (about 42 mm, an official seal's size)
RED = "0.80 0.10 0.10"


class _PdfPathPen(BasePen):
    """Collects a glyph's outline as PDF path operators (quadratic curves become cubic ones)."""

    def __init__(self, glyph_set):
        super().__init__(glyph_set)
        self.ops: list[str] = []

    def _moveTo(self, p):
        self.ops.append(f"{p[0]:.1f} {p[1]:.1f} m")

    def _lineTo(self, p):
        self.ops.append(f"{p[0]:.1f} {p[1]:.1f} l")

    def _curveToOne(self, p1, p2, p3):
        self.ops.append(" ".join(f"{v:.1f}" for v in (*p1, *p2, *p3)) + " c")

    def _closePath(self):
        self.ops.append("h")


def _font() -> TTFont:
    return fonts.outlines()


def _glyph(char: str, matrix: tuple[float, ...]) -> list[str]:
    """The outline of `char`, placed by the affine `matrix` (a, b, c, d, e, f) in font units."""
    font = _font()
    name = font.getBestCmap().get(ord(char))
    if name is None:
        return []
    glyphs = font.getGlyphSet()
    pen = _PdfPathPen(glyphs)
    glyphs[name].draw(TransformPen(pen, matrix))
    return pen.ops


def _arc_layout(count: int, centre: float) -> tuple[float, float, float]:
    """(span in degrees, character size, radius of the characters' centres) for a name of `count` characters:
    short names keep a large size on a shorter arc, long ones take up to 240 degrees with smaller characters."""
    span = min(240.0, max(120.0, 19.0 * count))
    outer = centre - 8  # inside the ring
    size = min(15.0, 0.9 * (outer - 7) * math.radians(span) / max(count, 1))
    return span, size, outer - size * 0.62


def _arc_text(text: str, centre: float) -> list[str]:
    """`text` clockwise along the upper arc, each character upright towards the centre."""
    units = _font()["head"].unitsPerEm
    span, size, radius = _arc_layout(len(text), centre)
    step = span / max(len(text) - 1, 1)
    ops: list[str] = []
    for i, char in enumerate(text):
        angle = math.radians(90 + span / 2 - i * step)  # from the left end of the arc to the right
        x, y = centre + radius * math.cos(angle), centre + radius * math.sin(angle)
        turn = angle - math.pi / 2  # the character's baseline is the arc's tangent
        scale = size / units
        cos, sin = math.cos(turn) * scale, math.sin(turn) * scale
        # The glyph's centre (units/2 across, about 0.38 of the em up) sits on the arc point.
        dx, dy = -units / 2, -0.38 * units
        ops += _glyph(char, (cos, sin, -sin, cos, x + cos * dx - sin * dy, y + sin * dx + cos * dy))
    return ops


def _line_text(text: str, y: float, size: float, centre: float) -> list[str]:
    units = _font()["head"].unitsPerEm
    scale = size / units
    left = centre - size * len(text) / 2
    ops: list[str] = []
    for i, char in enumerate(text):
        ops += _glyph(char, (scale, 0, 0, scale, left + i * size, y))
    return ops


def _star(cx: float, cy: float, r: float) -> list[str]:
    points = []
    for k in range(10):
        radius = r if k % 2 == 0 else r * 0.382
        angle = math.radians(90 + k * 36)
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    first, *rest = points
    return [f"{first[0]:.2f} {first[1]:.2f} m", *(f"{x:.2f} {y:.2f} l" for x, y in rest), "h"]


@functools.cache
def seal_content(organisation: str, purpose: str) -> bytes:
    """The seal as a PDF content stream in a SIZE × SIZE box."""
    c = SIZE / 2
    # The ring as four Bézier quarter circles.
    k, r = 0.5523 * (c - 3), c - 3
    ring = [
        f"{RED} RG 3.2 w",
        f"{c + r:.2f} {c:.2f} m",
        f"{c + r:.2f} {c + k:.2f} {c + k:.2f} {c + r:.2f} {c:.2f} {c + r:.2f} c",
        f"{c - k:.2f} {c + r:.2f} {c - r:.2f} {c + k:.2f} {c - r:.2f} {c:.2f} c",
        f"{c - r:.2f} {c - k:.2f} {c - k:.2f} {c - r:.2f} {c:.2f} {c - r:.2f} c",
        f"{c + k:.2f} {c - r:.2f} {c + r:.2f} {c - k:.2f} {c + r:.2f} {c:.2f} c",
        "s",
    ]
    body = [
        f"{RED} rg",
        *_arc_text(organisation, c),
        *_star(c, c + 2, 17),
        *_line_text(purpose, c - 37, 9.0, c),
        "f",
    ]
    return "\n".join([*ring, *body]).encode()


class _SealXObject(PdfContent):
    """The seal as a compressed form XObject of its own (its paths are about 40 KB before compression)."""

    def __init__(self, content: bytes):
        super().__init__(box=BoxConstraints(SIZE, SIZE))
        self.encoded = zlib.compress(content, 6)

    def render(self) -> bytes:
        form = dict(init_xobject_dictionary(b"", SIZE, SIZE), **{"/Filter": generic.pdf_name("/FlateDecode")})
        xobject = generic.StreamObject({generic.pdf_name(k): v for k, v in form.items()}, encoded_data=self.encoded)
        self.set_resource(ResourceType.XOBJECT, generic.pdf_name("/Seal"), self.writer.add_object(xobject))
        return b"/Seal Do"


@functools.cache
def stamp_style(organisation: str, purpose: str = gettext_lazy("电子证书专用章")) -> StaticStampStyle:
    """The signature appearance: the seal alone, no border, no text box."""
    return StaticStampStyle(
        border_width=0,
        background=_SealXObject(seal_content(organisation, purpose)),
        background_opacity=0.88,  # a stamp's ink: the words beneath it stay legible
        background_layout=SimpleBoxLayoutRule(AxisAlignment.ALIGN_MID, AxisAlignment.ALIGN_MID, Margins.uniform(0)),
    )
