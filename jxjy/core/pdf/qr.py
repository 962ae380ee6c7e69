"""QR code matrices exactly as segno makes them (error level M, mask 0, no boost), about twenty times faster
for links of a length asked for often: a certificate's verification link always has the same length.

For a fixed length in byte mode every step of the encoding is linear over GF(2) — the codewords are the
data bits with fixed header and padding, Reed-Solomon is linear, placement is a permutation and the mask
and the function patterns are constants. So the matrix of any text is the matrix of zero bytes XOR the
matrices of its set bits, each found once per process from segno itself (8 × length + 1 encodings).
"""

import collections
import functools
import string

import segno

# What segno would encode in numeric or alphanumeric mode rather than as bytes.
_ALPHANUMERIC = frozenset(string.digits + string.ascii_uppercase + " $%*+-./:")
_BITS = bytes.maketrans(b"\x00\x01", b"01")  # a matrix's modules as the digits of a binary number
_DIGITS = bytes.maketrans(b"01", b"\x00\x01")  # and back


def matrix(text: str) -> tuple[bytes, ...]:
    """The rows of `text`'s QR code, one byte (0 or 1) a module, the quiet zone left out."""
    if not text.isascii() or _ALPHANUMERIC.issuperset(text):
        return _segno(text)
    raw = text.encode("ascii")
    basis = _basis_when_worth_it(len(raw))
    if basis is None:
        return _segno(text)
    bits = basis.zero
    vectors = basis.vectors
    for index, byte in enumerate(raw):
        for bit in range(8):
            if byte & (0x80 >> bit):
                bits ^= vectors[8 * index + bit]
    return basis.rows(bits)


def _segno(data: str | bytes, mode: str | None = None) -> tuple[bytes, ...]:
    code = segno.make(data, error="m", mask=0, boost_error=False, micro=False, mode=mode)
    return tuple(bytes(row) for row in code.matrix)


class _Basis:
    """The zero text's matrix and each data bit's contribution, as integers of width × width bits."""

    def __init__(self, length: int):
        zero = _segno(bytes(length), "byte")
        self.width = len(zero)
        self.zero = _as_int(zero)
        self.vectors = []
        for index in range(length):
            for bit in range(8):
                one = bytearray(length)
                one[index] = 0x80 >> bit
                # A lone byte such as b"1" would be numeric to segno: the text is bytes, so are these.
                self.vectors.append(_as_int(_segno(bytes(one), "byte")) ^ self.zero)

    def rows(self, bits: int) -> tuple[bytes, ...]:
        modules = bin(bits)[2:].zfill(self.width * self.width).encode().translate(_DIGITS)
        return tuple(modules[i : i + self.width] for i in range(0, len(modules), self.width))


def _as_int(rows: tuple[bytes, ...]) -> int:
    return int(b"".join(rows).translate(_BITS), 2)


# A basis costs 8 × length + 1 encodings: it is made once a length has been asked for this often, so
# that a link of a length seldom seen never pays for one.
WORTH_A_BASIS = 32
_asked: collections.Counter[int] = collections.Counter()


def _basis_when_worth_it(length: int) -> "_Basis | None":
    _asked[length] += 1
    return _basis(length) if _asked[length] >= WORTH_A_BASIS else None


@functools.lru_cache(maxsize=4)
def _basis(length: int) -> _Basis:
    return _Basis(length)
