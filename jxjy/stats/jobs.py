"""统计分析导出: a year's statistics as Excel, built by the task worker (jxjy.jobs)."""

from jxjy.jobs.kinds import XLSX, Kind, Output, Progress, bytes_file

from .audit_actions import StatsAction
from .exports import authorise, stats_workbook


def _build(user, params: dict, progress: Progress) -> Output:
    data = stats_workbook(user, year=params["year"], progress=progress)
    return Output(f"{params['year']}年度继续教育统计.xlsx", XLSX, bytes_file(data))


STATS_EXPORT = Kind(
    lambda user, params: authorise(user),
    lambda user, params: f"{params['year']}年度继续教育统计",
    StatsAction.EXPORT_STATS,
    _build,
)
