"""统计 for 人社厅 (the region) and each 地州人社局 (its prefecture): tables, bars, Excel export."""

from urllib.parse import quote

import openpyxl
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from openpyxl.styles import Font

from jxjy.core import audit
from jxjy.core.excel import text_cell, workbook_bytes
from jxjy.core.identity import hours_text

from . import services

SERIES_METRICS = [(m, label) for m, label in services.METRICS if m in services.SERIES_PATH]


def _scope(request) -> int:
    if services.base_filter(request.user) is None:
        raise PermissionDenied("只有人社部门可以查看统计。")
    year = request.GET.get("year", "")
    return int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else timezone.localdate().year


def _tables(user, year: int) -> list[dict]:
    f = services.figures(user, year)
    overview = services.overview(user, year, f=f)
    met, learners = f.met, f.learners
    return [
        {"title": "总体情况", "columns": [("value", "数量")], "no_bars": True,
         "note": f"统计时间 {timezone.localtime(f.computed_at):%Y-%m-%d %H:%M}",
         "rows": [services.Row(label, {"value": overview[m]}) for m, label in services.METRICS]},
        {"title": "按地州", "columns": services.METRICS, "rows": services.by_prefecture(user, year, f=f)},
        {"title": "按基地级别", "columns": services.METRICS, "rows": services.by_level(user, year, f=f)},
        {"title": "按系列（学员报名专业）", "columns": SERIES_METRICS, "rows": services.by_series(user, year, f=f)},
        {"title": "学时达标情况", "columns": [("value", "人数")], "no_bars": True,
         "rows": [services.Row("取得学时的学员", {"value": learners}), services.Row("达标学员", {"value": met})],
         "note": f"达标率 {met * 100 / learners:.1f}%" if learners else "暂无学时记录"},
    ]  # fmt: skip


def _cell(value) -> str:
    return hours_text(value) if not isinstance(value, int) else str(value)


@login_required
def stats(request):
    year = _scope(request)
    tables = _tables(request.user, year)
    for table in tables:
        for key, _ in table["columns"]:
            top = max((row.values.get(key, 0) for row in table["rows"]), default=0) or 1
            for row in table["rows"]:
                row.bars = getattr(row, "bars", {})
                row.bars[key] = round(float(row.values.get(key, 0)) * 100 / float(top))
        for row in table["rows"]:
            row.cells = [(key, _cell(row.values.get(key, 0)), row.bars[key]) for key, _ in table["columns"]]
    this = timezone.localdate().year
    return render(request, "stats/stats.html", {"tables": tables, "year": year, "years": range(this, this - 6, -1)})


@login_required
def stats_export(request):
    """Every table of the page in one workbook, a sheet each."""
    year = _scope(request)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for table in _tables(request.user, year):
        ws = wb.create_sheet(table["title"][:31].replace("（", "(").replace("）", ")"))
        ws.append(["项目", *[label for _, label in table["columns"]]])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for r, row in enumerate(table["rows"], start=2):
            text_cell(ws.cell(row=r, column=1), row.label)
            for c, (key, _) in enumerate(table["columns"], start=2):
                ws.cell(row=r, column=c, value=float(row.values.get(key, 0)))
    audit.record(actor=request.user, action="导出统计", detail={"年度": year})
    response = HttpResponse(
        workbook_bytes(wb), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'{year}年度继续教育统计.xlsx')}"
    return response
