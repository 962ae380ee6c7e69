"""Excel in and out, safely: uploaded xlsx files are checked before openpyxl opens them, and every
exported cell that a spreadsheet could read as a formula is written as plain text."""

import io
import zipfile
from dataclasses import dataclass

import openpyxl
from django.core.exceptions import ImproperlyConfigured, ValidationError
from openpyxl.cell.cell import Cell
from openpyxl.xml import DEFUSEDXML

MAX_XLSX_BYTES = 5 * 1024 * 1024
MAX_ENTRIES = 200
MAX_UNCOMPRESSED = 50 * 1024 * 1024
MAX_RATIO = 100
FORMULA_STARTS = ("=", "+", "-", "@", "＝", "＋", "－", "＠")


def require_defusedxml() -> None:
    """openpyxl parses with defusedxml only when it is installed: refuse to start without it."""
    if not DEFUSEDXML:
        raise ImproperlyConfigured("defusedxml 未安装，无法安全解析Excel文件。")


@dataclass(frozen=True)
class CellError:
    row: int
    column: str
    message: str


def check_xlsx(upload) -> bytes:
    """Return the file's bytes if it is a plain xlsx within limits; raise ValidationError otherwise."""
    if upload.size > MAX_XLSX_BYTES:
        raise ValidationError("文件超过5MB，请检查后重新上传。")
    upload.seek(0)
    data = upload.read()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError):
        raise ValidationError("文件不是有效的Excel（.xlsx）文件，请使用系统生成的模板。") from None
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise ValidationError("文件不是有效的Excel（.xlsx）文件，请使用系统生成的模板。")
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise ValidationError("文件包含宏，不允许上传。请另存为不含宏的.xlsx文件。")
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if len(infos) > MAX_ENTRIES or total > MAX_UNCOMPRESSED or total / packed > MAX_RATIO:
        raise ValidationError("文件内容异常（解压后过大），不允许上传。")
    return data


def open_workbook(data: bytes):
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise ValidationError("Excel文件已损坏或格式不正确，请使用系统生成的模板。") from None


def text_cell(cell: Cell, value) -> None:
    """Write `value`; a string a spreadsheet would run as a formula stays text."""
    cell.value = value
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
