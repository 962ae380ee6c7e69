"""审计日志 for the 审计管理员: read, filter and export the audit trail; nothing can be changed here."""

import datetime as dt
from urllib.parse import quote

import openpyxl
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from jxjy.accounts.models import Role

from . import audit
from .excel import text_cell, workbook_bytes
from .models import AuditEntry

EXPORT_LIMIT = 50_000
COLUMNS = [
    "时间",
    "操作人",
    "账号",
    "单位",
    "IP地址",
    "操作",
    "结果",
    "对象类型",
    "对象编号",
    "操作前状态",
    "操作后状态",
    "意见",
]


def auditor_only(user) -> None:
    if user.role != Role.AUDITOR:
        raise PermissionDenied("只有审计管理员可以查看审计日志。")


def _parse_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def filtered(params):
    """The trail filtered by 时间 (from/to), 操作人, 单位, 操作 and 对象 (type and number)."""
    qs = AuditEntry.objects.select_related("actor", "organisation").order_by("-seq")
    tz = timezone.get_current_timezone()
    if start := _parse_date(params.get("start", "")):
        qs = qs.filter(created_at__gte=dt.datetime.combine(start, dt.time.min, tzinfo=tz))
    if end := _parse_date(params.get("end", "")):
        qs = qs.filter(created_at__lt=dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz))
    if person := params.get("person", "").strip():
        qs = qs.filter(Q(actor__username__icontains=person) | Q(actor__full_name__icontains=person))
    if org := params.get("organisation", "").strip():
        qs = qs.filter(organisation__name__icontains=org)
    if action := params.get("action", "").strip():
        qs = qs.filter(action=action)
    if obj := params.get("object", "").strip():
        kind, _, number = obj.partition(":")
        qs = qs.filter(object_type__icontains=kind)
        if number:
            qs = qs.filter(object_id=number)
    return qs


@login_required
def audit_log(request):
    auditor_only(request.user)
    page = Paginator(filtered(request.GET), 50).get_page(request.GET.get("page"))
    actions = AuditEntry.objects.order_by("action").values_list("action", flat=True).distinct()
    return render(request, "core/audit_log.html", {"page": page, "query": request.GET, "actions": actions})


@login_required
def audit_export(request):
    """导出 the filtered trail as Excel; the export itself is recorded."""
    auditor_only(request.user)
    rows = filtered(request.GET)[:EXPORT_LIMIT]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "审计日志"
    ws.append(COLUMNS)
    for r, e in enumerate(rows, start=2):
        values = [
            timezone.localtime(e.created_at).strftime("%Y-%m-%d %H:%M:%S"), e.actor.display_name if e.actor else "",
            e.actor.username if e.actor else "", e.organisation.name if e.organisation else "", e.ip or "", e.action,
            e.outcome, e.object_type, e.object_id, e.state_before, e.state_after, e.opinion,
        ]  # fmt: skip
        for c, value in enumerate(values, start=1):
            text_cell(ws.cell(row=r, column=c), value)
    detail = {"条件": dict(request.GET.items()), "条数": ws.max_row - 1}
    audit.record(actor=request.user, action="导出审计日志", detail=detail)
    response = HttpResponse(
        workbook_bytes(wb), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote('审计日志.xlsx')}"
    return response
