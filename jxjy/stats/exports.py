"""The statistics page's tables as one workbook, a sheet each (built by the task worker)."""

from collections.abc import Callable

import openpyxl
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext
from openpyxl.styles import Font

from jxjy.accounts.models import User
from jxjy.core.excel import text_cell, workbook_bytes

from . import services
from .tables import tables_for


def authorise(user: User) -> None:
    if services.base_filter(user) is None or not user.is_active:
        raise PermissionDenied(gettext("只有人社部门可以查看统计。"))


def stats_workbook(user: User, *, year: int, progress: Callable[[int, int], None]) -> bytes:
    tables = tables_for(user, year)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for done, table in enumerate(tables, start=1):
        ws = wb.create_sheet(table["title"][:31].replace("（", "(").replace("）", ")"))
        ws.append([gettext("项目"), *[str(label) for _, label in table["columns"]]])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for r, row in enumerate(table["rows"], start=2):
            text_cell(ws.cell(row=r, column=1), row.label)
            for c, (key, _) in enumerate(table["columns"], start=2):
                ws.cell(row=r, column=c, value=float(row.values.get(key, 0)))
        progress(done, len(tables))
    return workbook_bytes(wb)
