"""Excel in and out, safely: uploaded xlsx files are checked before openpyxl opens them, and every
exported cell that a spreadsheet could read as a formula is written as plain text."""

import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import openpyxl
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.cell.cell import Cell
from openpyxl.xml import DEFUSEDXML

MAX_XLSX_BYTES = 5 * 1024 * 1024
MAX_ENTRIES = 200
MAX_UNCOMPRESSED = 50 * 1024 * 1024
MAX_RATIO = 100
FORMULA_STARTS = ("=", "+", "-", "@", "＝", "＋", "－", "＠")
NOT_XLSX = gettext_lazy("文件不是有效的Excel（.xlsx）文件，请使用系统生成的模板。")
DAMAGED = gettext_lazy("Excel文件已损坏或格式不正确，请使用系统生成的模板。")


def require_defusedxml() -> None:
    """openpyxl parses with defusedxml only when it is installed: refuse to start without it."""
    if not DEFUSEDXML:
        raise ImproperlyConfigured("defusedxml 未安装，无法安全解析Excel文件。")


@dataclass(frozen=True)
class CellError:
    row: int
    column: str
    message: str


@contextmanager
def refused_if_unreadable(message: str) -> Iterator[None]:
    """Around reading an upload (never around our own code): any failure becomes ValidationError(message).

    A damaged or hostile file fails in zipfile (BadZipFile, LargeZipFile, NotImplementedError for a zip
    version or compression method it lacks, RuntimeError for an encrypted member, EOFError, OSError,
    ValueError), zlib (zlib.error), the XML parser (SyntaxError: ElementTree's and lxml's), defusedxml
    (ValueError) or openpyxl (InvalidFileException, KeyError for a part that is not there). And openpyxl
    builds its objects straight from the XML's attributes, so a bad one surfaces as whatever its descriptors
    and readers raise: TypeError, ValueError, IndexError, AttributeError, OverflowError... No tuple lists
    them all and each one missed is a 500, so this catches Exception; our own code stays outside the block,
    so a bug of ours is still an error, not a "damaged file".
    """
    try:
        yield
    except Exception:
        raise ValidationError(message) from None


def check_xlsx(upload) -> bytes:
    """Return the file's bytes if it is a plain xlsx within limits; raise ValidationError otherwise."""
    if upload.size > MAX_XLSX_BYTES:
        raise ValidationError(_("文件超过5MB，请检查后重新上传。"))
    upload.seek(0)
    data = upload.read()
    with refused_if_unreadable(NOT_XLSX):
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise ValidationError(NOT_XLSX)
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise ValidationError(_("文件包含宏，不允许上传。请另存为不含宏的.xlsx文件。"))
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if len(infos) > MAX_ENTRIES or total > MAX_UNCOMPRESSED or total / packed > MAX_RATIO:
        raise ValidationError(_("文件内容异常（解压后过大），不允许上传。"))
    return data


@contextmanager
def xlsx_rows(upload) -> Iterator[Iterator[tuple]]:
    """`with xlsx_rows(upload) as rows:` the first sheet's rows (values only) of a checked upload.

    ValidationError if the file cannot be read, on opening it or while its rows are read: a read-only
    workbook parses the sheet lazily, so a damaged sheet may fail only while it is iterated."""
    data = check_xlsx(upload)
    with refused_if_unreadable(DAMAGED):
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        yield _first_sheet_rows(wb)
    finally:
        wb.close()


def _first_sheet_rows(wb) -> Iterator[tuple]:
    with refused_if_unreadable(DAMAGED):
        yield from wb.worksheets[0].iter_rows(values_only=True)


def text_cell(cell: Cell, value) -> None:
    """Write `value`; a string a spreadsheet would run as a formula stays text."""
    cell.value = str(value) if isinstance(value, Promise) else value
    _keep_as_text(cell)


def _keep_as_text(cell: Cell) -> None:
    # Stored as a string, with Excel's quote prefix so that editing the cell does not turn it into a formula.
    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True


def workbook_bytes(wb) -> bytes:
    """The workbook as xlsx bytes: the one way exports leave the system, so every cell is made safe here."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                _keep_as_text(cell)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
