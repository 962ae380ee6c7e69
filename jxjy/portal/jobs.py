"""审计日志导出: the filtered trail as Excel, built by the task worker (jxjy.jobs)."""

from jxjy.audit.export import audit_workbook
from jxjy.jobs.kinds import XLSX, Kind, Output, Progress, bytes_file

from .audit_views import auditor_only


def _build(user, params: dict, progress: Progress) -> Output:
    data, _ = audit_workbook(params["conditions"], progress=progress)
    return Output("审计日志.xlsx", XLSX, bytes_file(data))


AUDIT_EXPORT = Kind(
    lambda user, params: auditor_only(user), lambda user, params: "审计日志导出", "导出审计日志", _build
)
