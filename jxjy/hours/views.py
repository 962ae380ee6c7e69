"""学时档案: the learner's yearly hours against the requirement, and a printable proof."""

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from jxjy.audit import trail as audit
from jxjy.core.permissions import require

from .audit_actions import HoursAction
from .pdf import signed_proof
from .services import ledger, required_hours, year_summary


def _learner(request):
    require(request.user, "hours.ledger")
    return request.user.learner


@login_required
def ledger_view(request):
    learner = _learner(request)
    total, professional = required_hours()
    return render(
        request,
        "hours/ledger.html",
        {"years": ledger(learner), "required": total, "professional_required": professional},
    )


@login_required
def proof_pdf(request, year: int):
    """年度继续教育学时证明, for title applications."""
    learner = _learner(request)
    summary = year_summary(learner, year)
    audit.record(actor=request.user, action=HoursAction.PRINT_CERTIFICATE, detail={"年度": year})
    response = HttpResponse(signed_proof(learner, summary), content_type="application/pdf")
    name = _("%(name)s-%(year)s年度继续教育学时证明.pdf") % {"name": learner.name, "year": year}
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
