"""统计分析导出: a year's statistics as Excel, built by the task worker (jxjy.jobs)."""

from django.utils.translation import gettext as _

from jxjy.jobs.kinds import XLSX, Kind, Output, Progress, bytes_file

from .audit_actions import StatsAction
from .exports import authorise, stats_workbook


def _build(user, params: dict, progress: Progress) -> Output:
    data = stats_workbook(user, year=params["year"], progress=progress)
    return Output((_("%(year)s年度继续教育统计.xlsx") % {"year": params["year"]}), XLSX, bytes_file(data))


STATS_EXPORT = Kind(
    lambda user, params: authorise(user),
    lambda user, params: _("%(year)s年度继续教育统计") % {"year": params["year"]},
    StatsAction.EXPORT_STATS,
    _build,
)
