"""Chinese line breaking (禁则) for text set in a box of a given width.

No line starts with a closing bracket or a punctuation mark (，。、；：？！）》」 …), none ends with an
opening bracket (（《「 …): the characters next to the break go down with it. Latin words, numbers, e-mail
and web addresses stay whole where they fit on a line; a word wider than the line breaks anywhere, and
any other character may end a line. Line breaks in the text are kept.
"""

import re
from collections.abc import Callable, Iterator

NO_LINE_START = frozenset("，。、；：？！）》」』】〕〉”’…·%,.;:?!)]}")
NO_LINE_END = frozenset("（《「『【〔〈“‘([{")
# Latin words, numbers and addresses stay whole where they fit; everything else may break anywhere.
TOKEN = re.compile(r"[0-9A-Za-z@._%+\-/:]+|.")


def break_lines(text: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """`text` in lines no wider than `width`, as `measure` gives a string's width."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        lines += _paragraph(paragraph, width, measure)
    return lines


def _pieces(paragraph: str, width: float, measure: Callable[[str], float]) -> Iterator[str]:
    for token in TOKEN.findall(paragraph):
        if len(token) > 1 and measure(token) > width:
            yield from token  # a word wider than the line breaks anywhere
        else:
            yield token


def _paragraph(paragraph: str, width: float, measure: Callable[[str], float]) -> list[str]:
    lines: list[str] = []
    line: list[str] = []
    used = 0.0
    for piece in _pieces(paragraph, width, measure):
        piece_width = measure(piece)
        if line and used + piece_width > width:
            carried = _carried(line, piece)
            lines.append("".join(line).rstrip())
            line = carried
            used = measure("".join(line))
            if piece.isspace() and not line:
                continue  # no line starts with the space it was broken at
        line.append(piece)
        used += piece_width
    lines.append("".join(line).rstrip())
    return lines


def _carried(line: list[str], piece: str) -> list[str]:
    """What leaves the end of the full `line` (which keeps at least one piece) so that the next line,
    starting with `piece`, starts with no closing mark and the full one ends with no opening one."""
    carried: list[str] = []
    if piece[0] in NO_LINE_START:  # the characters before go down with it
        while len(line) > 1:
            carried.insert(0, line.pop())
            if carried[0][0] not in NO_LINE_START:
                break
    while len(line) > 1 and line[-1][-1] in NO_LINE_END:
        carried.insert(0, line.pop())
    return carried
