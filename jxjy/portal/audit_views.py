"""审计日志 for the 审计管理员: read, filter and export the audit trail, see the checkpoints kept outside the
database and verify the trail against them; nothing can be changed here."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jxjy.accounts.models import Role
from jxjy.audit import trail as audit
from jxjy.audit import verification
from jxjy.audit.models import AuditEntry, Outcome
from jxjy.audit.selectors import FILTERS, filtered
from jxjy.jobs.models import JobKind
from jxjy.jobs.services import start_job


def auditor_only(user) -> None:
    if user.role != Role.AUDITOR or not user.is_active:
        raise PermissionDenied("只有审计管理员可以查看审计日志。")


@login_required
def audit_log(request):
    """The trail, filtered; above it the newest checkpoints and verification. POST (立即校验) verifies now."""
    auditor_only(request.user)
    if request.method == "POST":
        return verify_now(request)
    page = Paginator(filtered(request.GET), 50).get_page(request.GET.get("page"))
    actions = AuditEntry.objects.order_by("action").values_list("action", flat=True).distinct()
    context = {"page": page, "query": request.GET, "actions": actions, "integrity": verification.status()}
    return render(request, "core/audit_log.html", context)


def verify_now(request):
    """校验: the chain and the checkpoints, as `manage.py verify_audit` does; the result is itself recorded."""
    report = verification.run()
    outcome = Outcome.SUCCESS if report.ok else Outcome.FAILURE
    audit.record(actor=request.user, action="校验审计日志", detail={"结果": report.summary()[:300]}, outcome=outcome)
    (messages.success if report.ok else messages.error)(request, report.summary())
    for note in report.notes:
        messages.warning(request, note)
    return redirect("core:audit_log")


@login_required
@require_POST
def audit_export(request):
    """导出 the filtered trail as Excel, made by the task worker; the export itself is recorded."""
    auditor_only(request.user)
    conditions = {k: v for k, v in request.GET.items() if k in FILTERS}
    job = start_job(kind=JobKind.AUDIT_EXPORT, actor=request.user, params={"conditions": conditions})
    return redirect(job)
