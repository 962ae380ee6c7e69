"""详情 with 审核日志 for everyone entitled to a filing, and the steps after the department's review:
生成表格 / 下载表格 (base), the stamped scan, and 提交 to HR (department)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jxjy.attachments.models import AttachmentKind
from jxjy.audit import trail as audit
from jxjy.core.downloads import attachment_response
from jxjy.core.errors import DomainError
from jxjy.review import engine
from jxjy.review.workflows import By

from . import application_form as af
from .audit_actions import FilingAction
from .models import PreFiling, Purpose
from .models import PreFilingStatus as S
from .recognition import progress
from .selectors import access_pre_filing


@login_required
def filing_detail(request, pk: int):
    """详情: the content and the 审核日志 tabs, with the moves this user may make now."""
    filing = access_pre_filing(request.user, pk)
    user = request.user
    is_owner = user.organisation_id == filing.base_id
    moves = [t for t in filing.workflow.available(filing, user) if t.by == By.HOLDER]
    return render(
        request,
        "filings/detail.html",
        {
            "filing": filing,
            "log": engine.log_for(filing),
            "attachments": filing.attachments.exclude(kind=AttachmentKind.GENERATED_FORM),
            "can_edit": is_owner and filing.is_editable,
            "moves": [t for t in moves if t.action != "forward" and not t.opinion_required],
            "opinion_moves": [t for t in moves if t.opinion_required],
            "can_forward": any(t.action == "forward" for t in moves),
            **_application_form_context(filing, user, is_owner=is_owner),
            **_recognition_context(filing),
            "is_owner": is_owner,
        },
    )


def _application_form_context(filing: PreFiling, user, *, is_owner: bool) -> dict:
    """生成表格 / 下载表格 (the base) and the stamped scan (the base or its department)."""
    return {
        "can_generate": is_owner and filing.status in af.FORM_STATES and filing.purpose == "filing",
        "generated_form": af.generated_form(filing),
        "can_upload_stamped": filing.status == S.DEPT_APPROVED
        and user.organisation_id in (filing.base_id, filing.base.department_id),
        "stamped_forms": filing.attachments.filter(kind=AttachmentKind.STAMPED_FORM),
        "form_title": af.form_title(filing),
    }


def _recognition_context(filing: PreFiling) -> dict:
    is_recognition = filing.purpose == Purpose.RECOGNITION
    return {
        "is_recognition": is_recognition,
        "progress": progress(filing) if is_recognition else None,
    }


@login_required
@require_POST
def generate_form(request, pk: int):
    filing = access_pre_filing(request.user, pk)
    try:
        af.generate_form(filing, actor=request.user)
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("表格已生成，请点击“下载表格”。"))
    return redirect("filings:detail", pk=pk)


@login_required
def download_form(request, pk: int):
    filing = access_pre_filing(request.user, pk)
    attachment = af.generated_form(filing)
    if attachment is None:
        raise Http404(_("尚未生成表格。"))
    audit.record(actor=request.user, action=FilingAction.DOWNLOAD_FORM, obj=filing)
    return attachment_response(attachment)


@login_required
@require_POST
def upload_stamped(request, pk: int):
    """Upload the stamped scan without forwarding yet (the base, or the department)."""
    filing = access_pre_filing(request.user, pk)
    upload = request.FILES.get("stamped_form")
    if upload is None:
        messages.error(request, _("请选择要上传的盖章扫描件。"))
        return redirect("filings:detail", pk=pk)
    try:
        af.upload_stamped_form(filing, actor=request.user, upload=upload)
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("盖章扫描件已上传。"))
    return redirect("filings:detail", pk=pk)


@login_required
@require_POST
def forward(request, pk: int):
    """提交 (department): the stamped scan goes with the filing to 人社厅 or the 地州人社局."""
    filing = access_pre_filing(request.user, pk)
    try:
        af.forward_to_hr(filing, actor=request.user, upload=request.FILES.get("stamped_form"))
    except engine.ReviewPermissionDenied as e:
        raise PermissionDenied(e.message) from None
    except DomainError as e:
        messages.error(request, e.message)
        return redirect("filings:detail", pk=pk)
    messages.success(
        request, (_("已提交至%(holder_for)s审核。") % {"holder_for": filing.workflow.holder_for(filing, S.HR_REVIEW)})
    )
    return redirect("review:waiting", slug="prefiling")
