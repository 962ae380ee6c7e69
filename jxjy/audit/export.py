"""The audit trail, filtered as on the 审计日志 page, as an Excel workbook (built by the task worker)."""

from collections.abc import Callable

import openpyxl
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jxjy.core.excel import text_cell, workbook_bytes

from .selectors import filtered

EXPORT_LIMIT = 50_000
COLUMNS = [
    gettext_lazy("时间"),
    gettext_lazy("操作人"),
    gettext_lazy("账号"),
    gettext_lazy("单位"),
    gettext_lazy("IP地址"),
    gettext_lazy("操作"),
    gettext_lazy("结果"),
    gettext_lazy("对象类型"),
    gettext_lazy("对象编号"),
    gettext_lazy("操作前状态"),
    gettext_lazy("操作后状态"),
    gettext_lazy("意见"),
]
STEP = 500


def audit_workbook(conditions: dict, *, progress: Callable[[int, int], None]) -> tuple[bytes, int]:
    """The workbook and how many entries it holds (at most EXPORT_LIMIT, newest first)."""
    rows = filtered(conditions)[:EXPORT_LIMIT]
    total = rows.count()
    progress(0, total)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = _("审计日志")
    ws.append([str(c) for c in COLUMNS])
    for r, e in enumerate(rows.iterator(chunk_size=2000), start=2):
        values = [
            timezone.localtime(e.created_at).strftime("%Y-%m-%d %H:%M:%S"), e.actor.display_name if e.actor else "",
            e.actor.username if e.actor else "", e.organisation.name if e.organisation else "", e.ip or "",
            e.action_label, e.outcome, e.object_type, e.object_id, e.state_before, e.state_after, e.opinion,
        ]  # fmt: skip
        for c, value in enumerate(values, start=1):
            text_cell(ws.cell(row=r, column=c), value)
        if (r - 1) % STEP == 0:
            progress(r - 1, total)
    progress(total, total)
    return workbook_bytes(wb), total
