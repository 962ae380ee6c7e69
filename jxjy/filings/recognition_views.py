"""电子证书 → 学时认定 for the base (guide §五.3): 申报 the class, then 提交 to 人社厅专技处."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from jxjy.attachments.models import AttachmentKind
from jxjy.core.drafts import clear_draft, draft_for
from jxjy.core.errors import DomainError, NotEditable

from . import services
from .forms import RecognitionForm
from .models import PreFiling, Purpose
from .recognition import progress
from .selectors import get_pre_filing_for, pre_filings_visible_to
from .views import add_service_errors, base_only, form_page, save_filing_form

UPLOAD_KINDS = (AttachmentKind.PLAN, AttachmentKind.OTHER)


@login_required
def recognition_list(request):
    base_only(request.user)
    filings = pre_filings_visible_to(request.user).filter(purpose=Purpose.RECOGNITION).order_by("-created_at")
    items = [(f, progress(f)) for f in filings]
    return render(request, "filings/recognition_list.html", {"items": items})


@login_required
def recognition_edit(request, pk: int | None = None):
    """申报 (new) or 修改 a returned one: 保存 checks everything; 提交 sends it to 专技处."""
    base_only(request.user)
    if pk is None:
        filing = services.new_recognition(actor=request.user)
    else:
        filing = get_pre_filing_for(request.user, pk)
        if filing.purpose != Purpose.RECOGNITION or not filing.is_editable:
            messages.error(request, "该学时认定已提交，当前不可修改。")
            return redirect("filings:detail", pk=filing.pk)
    key = f"recognition:{pk or 'new'}"
    form = RecognitionForm(request.POST or None, instance=filing)
    errors: dict = {}
    if request.method == "POST" and form.is_valid():
        done, errors = _save_recognition(request, filing, form, key)
        if done is not None:
            return done
    draft = draft_for(request.user, key) if request.method == "GET" else None
    return form_page(
        request, "filings/recognition_form.html", filing, form, upload_kinds=UPLOAD_KINDS, key=key, draft=draft,
        errors=errors,
    )  # fmt: skip


def _save_recognition(request, filing: PreFiling, form: RecognitionForm, key: str):
    """保存, then for 提交 send it on: (the redirect, {}), or (None, the errors to show) when refused."""
    submitted = request.POST.get("action") == "submit"
    try:
        filing = save_filing_form(request, filing, form, upload_kinds=UPLOAD_KINDS)  # at most max_files()
        if submitted:
            services.submit_pre_filing(filing, actor=request.user)
    except NotEditable as e:
        messages.error(request, e.message)
        return redirect("filings:detail", pk=filing.pk), {}
    except DomainError as e:
        return None, add_service_errors(form, e)
    clear_draft(request.user, key)
    messages.success(request, "已提交至人社厅专技处审核。" if submitted else "保存成功。")
    return (redirect("filings:recognitions") if submitted else redirect("filings:recognition_edit", pk=filing.pk)), {}
