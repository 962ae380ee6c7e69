"""审计日志 for the 审计管理员: read, filter and export the audit trail, see the checkpoints kept outside the
database and verify the trail against them; nothing can be changed here."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jxjy.audit import trail as audit
from jxjy.audit import verification
from jxjy.audit.models import Outcome
from jxjy.audit.selectors import FILTERS, action_labels, filtered
from jxjy.core.permissions import require
from jxjy.jobs.models import JobKind
from jxjy.jobs.services import start_job

from .audit_actions import PortalAction


@login_required
def audit_log(request):
    """The trail, filtered; above it the newest checkpoints and verification. POST (立即校验) verifies now."""
    require(request.user, "audit.view_log")
    if request.method == "POST":
        return verify_now(request)
    page = Paginator(filtered(request.GET), 50).get_page(request.GET.get("page"))
    context = {"page": page, "query": request.GET, "actions": action_labels(), "integrity": verification.status()}
    return render(request, "core/audit_log.html", context)


def verify_now(request):
    """校验: the chain and the checkpoints, as `manage.py verify_audit` does; the result is itself recorded."""
    report = verification.run()
    outcome = Outcome.SUCCESS if report.ok else Outcome.FAILURE
    audit.record(
        actor=request.user, action=PortalAction.VERIFY_AUDIT, detail={"结果": report.summary()[:300]}, outcome=outcome
    )
    (messages.success if report.ok else messages.error)(request, report.summary())
    for note in report.notes:
        messages.warning(request, note)
    return redirect("core:audit_log")


@login_required
@require_POST
def audit_export(request):
    """导出 the filtered trail as Excel, made by the task worker; the export itself is recorded."""
    require(request.user, "audit.view_log")
    conditions = {k: v for k, v in request.GET.items() if k in FILTERS}
    job = start_job(kind=JobKind.AUDIT_EXPORT, actor=request.user, params={"conditions": conditions})
    return redirect(job)
