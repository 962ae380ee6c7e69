"""统计 for 人社厅 (the region) and each 地州人社局 (its prefecture): tables, bars, Excel export."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from jxjy.core import clock
from jxjy.core.identity import hours_text
from jxjy.core.inputs import YEARS, bounded_int
from jxjy.jobs.models import JobKind
from jxjy.jobs.services import start_job

from . import services
from .tables import tables_for


def _scope(request) -> int:
    if services.base_filter(request.user) is None:
        raise PermissionDenied(gettext("只有人社部门可以查看统计。"))
    return bounded_int(request.GET, "year", low=YEARS[0], high=YEARS[1], default=clock.this_year())


def _cell(value) -> str:
    return hours_text(value) if not isinstance(value, int) else str(value)


@login_required
def stats(request):
    year = _scope(request)
    tables = tables_for(request.user, year)
    for table in tables:
        for key, _ in table["columns"]:
            top = max((row.values.get(key, 0) for row in table["rows"]), default=0) or 1
            for row in table["rows"]:
                row.bars = getattr(row, "bars", {})
                row.bars[key] = round(float(row.values.get(key, 0)) * 100 / float(top))
        for row in table["rows"]:
            row.cells = [(key, _cell(row.values.get(key, 0)), row.bars[key]) for key, _ in table["columns"]]
    this = clock.this_year()
    return render(request, "stats/stats.html", {"tables": tables, "year": year, "years": range(this, this - 6, -1)})


@login_required
@require_POST
def stats_export(request):
    """导出Excel: every table of the page in one workbook, made by the task worker."""
    year = _scope(request)
    job = start_job(kind=JobKind.STATS_EXPORT, actor=request.user, params={"year": year})
    return redirect(job)
