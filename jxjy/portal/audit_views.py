"""审计日志 for the 审计管理员: read, filter and export the audit trail, see the checkpoints kept outside the
database and verify the trail against them; nothing can be changed here."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import FileField
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jxjy.audit import trail as audit
from jxjy.audit import verification
from jxjy.audit.models import AuditEntry, Outcome
from jxjy.audit.selectors import FILTERS, action_labels, filter_errors, filtered
from jxjy.core.paging import page_of
from jxjy.core.permissions import require
from jxjy.jobs.models import JobKind
from jxjy.jobs.services import start_job
from jxjy.review.registry import get_kind

from .audit_actions import PortalAction
from .audit_words import describe


@login_required
def audit_log(request):
    """The trail, filtered; above it the newest checkpoints and verification. POST (立即校验) verifies now."""
    require(request.user, "audit.view_log")
    if request.method == "POST":
        return verify_now(request)
    errors = filter_errors(request.GET)  # refused filters show their reason and no rows
    page = page_of(AuditEntry.objects.none() if errors else filtered(request.GET), request, 50)
    context = {"page": page, "entries": describe(page), "query": request.GET, "errors": errors,
               "actions": action_labels(), "integrity": verification.status()}  # fmt: skip
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
    if errors := filter_errors(request.GET):
        messages.error(request, "；".join(errors.values()))
        return redirect(f"{reverse('core:audit_log')}?{request.GET.urlencode()}")
    conditions = {k: v for k, v in request.GET.items() if k in FILTERS}
    job = start_job(kind=JobKind.AUDIT_EXPORT, actor=request.user, params={"conditions": conditions})
    return redirect(job)


# What the document page leaves out: internals and files (the 审计管理员 reads the record, not its attachments).
NOT_SHOWN = {"id", "form_key"}
LABELS = {"created_by": gettext_lazy("创建人")}


@login_required
def audit_document(request, slug: str, pk: int):
    """A document an audit entry is about (by its kind's slug), read-only for the 审计管理员: its fields in words
    and its own trail."""
    require(request.user, "audit.view_log")
    kind = get_kind(slug)
    doc = kind.rows().filter(pk=pk).first()
    if doc is None:
        raise Http404(_("没有找到该单据，可能已被删除。"))
    fields = [(_label(f), _shown(doc, f)) for f in doc._meta.concrete_fields
              if f.name not in NOT_SHOWN and not isinstance(f, FileField) and _label(f)]  # fmt: skip
    context = {"doc": doc, "kind": kind, "fields": fields, "entries": describe(audit.entries_for(doc).order_by("-id"))}
    return render(request, "core/audit_document.html", context)


def _label(field) -> str:
    """The field's name in words; "" for a column with none (an internal one, left out)."""
    label = LABELS.get(field.name, str(field.verbose_name))
    return label if not label.isascii() else ""


def _shown(doc, field) -> str:
    if field.name == "status":  # the state's name, from the document's workflow
        return doc.get_status_display()
    value = getattr(doc, field.name)
    if field.choices:
        value = getattr(doc, f"get_{field.name}_display")()
    if value in (None, ""):
        return "—"
    return value.strftime("%Y-%m-%d %H:%M") if hasattr(value, "hour") else str(value)
