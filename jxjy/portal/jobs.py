"""审计日志导出: the filtered trail as Excel, built by the task worker (jxjy.jobs)."""

from django.utils.translation import gettext

from jxjy.audit.export import audit_workbook
from jxjy.core.permissions import require
from jxjy.jobs.kinds import XLSX, Kind, Output, Progress, bytes_file

from .audit_actions import PortalAction


def _build(user, params: dict, progress: Progress) -> Output:
    data, _ = audit_workbook(params["conditions"], progress=progress)
    return Output(gettext("审计日志.xlsx"), XLSX, bytes_file(data))


AUDIT_EXPORT = Kind(
    lambda user, params: require(user, "audit.view_log"),
    lambda user, params: gettext("审计日志导出"),
    PortalAction.EXPORT_AUDIT,
    _build,
)
