"""审计日志 for the 审计管理员: read, filter and export the audit trail; nothing can be changed here."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jxjy.accounts.models import Role
from jxjy.jobs.models import JobKind
from jxjy.jobs.services import start_job

from .models import AuditEntry

FILTERS = ("start", "end", "person", "organisation", "action", "object")


def auditor_only(user) -> None:
    if user.role != Role.AUDITOR or not user.is_active:
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
@require_POST
def audit_export(request):
    """导出 the filtered trail as Excel, made by the task worker; the export itself is recorded."""
    auditor_only(request.user)
    conditions = {k: v for k, v in request.GET.items() if k in FILTERS}
    job = start_job(kind=JobKind.AUDIT_EXPORT, actor=request.user, params={"conditions": conditions})
    return redirect(job)
