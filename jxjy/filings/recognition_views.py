"""电子证书 → 学时认定 for the base (guide §五.3): 申报 the class, then 提交 to 人社厅专技处."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jxjy.attachments.models import AttachmentKind
from jxjy.core.drafts import clear_draft
from jxjy.core.errors import DomainError, NotEditable, show_on_form
from jxjy.core.listing import owner_list
from jxjy.core.permissions import require

from . import services
from .forms import RecognitionForm
from .models import PreFiling, Purpose, RecognitionStatus
from .recognition import progress
from .selectors import access_pre_filing, pre_filings_visible_to
from .views import already_filed, form_page, refusals, save_filing_form, sent_before

UPLOAD_KINDS = (AttachmentKind.PLAN, AttachmentKind.OTHER)


@login_required
def recognition_list(request):
    require(request.user, "filings.use")
    filings = pre_filings_visible_to(request.user).filter(purpose=Purpose.RECOGNITION)
    found = owner_list(request, filings, keyword_fields=["class_name"], statuses=RecognitionStatus.choices)
    found["items"] = [(f, progress(f)) for f in found["page"]]  # 进度, for this page's filings only
    return render(request, "filings/recognition_list.html", found)


@login_required
def recognition_edit(request, pk: int | None = None):
    """申报 (new) or 修改 a returned one: 保存 checks everything; 提交 (recognition_submit) sends it to 专技处."""
    return _recognition_form(request, pk, submit=False)


@login_required
@require_POST
def recognition_submit(request, pk: int | None = None):
    """提交 from the form: saved as typed, then sent to 人社厅专技处."""
    return _recognition_form(request, pk, submit=True)


def _recognition_form(request, pk: int | None, *, submit: bool):
    require(request.user, "filings.use")
    if pk is None:
        filing = services.new_recognition(actor=request.user)
    else:
        filing = access_pre_filing(request.user, pk)
        if filing.purpose != Purpose.RECOGNITION or not filing.is_editable:
            messages.error(request, _("该学时认定已提交，当前不可修改。"))
            return redirect("filings:detail", pk=filing.pk)
    key = services.draft_key(filing)
    form = RecognitionForm(request.POST or None, instance=filing)
    errors: dict = {}
    stale = None
    if request.method == "POST":
        if (answer := sent_before(request, filing)) is not None:
            return answer
        errors, stale = refusals(request, filing, form, upload_kinds=UPLOAD_KINDS)
        if not errors and not form.errors and stale is None:
            done, errors = _save_recognition(request, filing, form, key, submit=submit)
            if done is not None:
                return done
    return form_page(
        request, "filings/recognition_form.html", filing, form, upload_kinds=UPLOAD_KINDS, key=key,
        errors=errors, stale=stale,
    )  # fmt: skip


def _save_recognition(request, filing: PreFiling, form: RecognitionForm, key: str, *, submit: bool):
    """保存, and for 提交 send it on: (the redirect, {}), or (None, the errors to show) when refused."""
    try:
        filing, not_sent = save_filing_form(request, filing, form, upload_kinds=UPLOAD_KINDS, submit=submit)
    except NotEditable as e:
        messages.error(request, e.message)
        return redirect("filings:detail", pk=filing.pk), {}
    except services.AlreadyFiled as e:
        return already_filed(request, e), {}
    except DomainError as e:
        return None, show_on_form(form, e, sections=True)
    if not_sent is not None:  # saved, not sent: the form again with why
        return None, show_on_form(form, not_sent, sections=True)
    clear_draft(request.user, key)
    messages.success(request, _("已提交至人社厅专技处审核。") if submit else _("保存成功。"))
    return (redirect("filings:recognitions") if submit else redirect("filings:recognition_edit", pk=filing.pk)), {}
