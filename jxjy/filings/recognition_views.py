"""电子证书 → 学时认定 for the base (guide §五.3): 申报 the class, then 提交 to 人社厅专技处."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from jxjy.attachments.models import AttachmentKind
from jxjy.core.drafts import clear_draft, draft_for
from jxjy.core.errors import DomainError, NotEditable

from . import services
from .forms import RecognitionForm, scope_tree
from .models import PreFiling, Purpose, ScopeItem
from .recognition import progress
from .selectors import get_pre_filing_for, pre_filings_visible_to
from .views import add_service_errors, base_only

UPLOAD_KINDS = (AttachmentKind.PLAN, AttachmentKind.OTHER)


@login_required
def recognition_list(request):
    base_only(request.user)
    filings = pre_filings_visible_to(request.user).filter(purpose=Purpose.RECOGNITION).order_by("-created_at")
    items = [(f, progress(f)) for f in filings]
    return render(request, "filings/recognition_list.html", {"items": items})


def _write(form: RecognitionForm):
    def apply(filing) -> None:
        form.instance = filing
        form.save()
        filing.scope_items.all().delete()
        ScopeItem.objects.bulk_create(
            ScopeItem(filing=filing, specialty_id=s, level_id=lv) for s, lv in form.scope_pairs()
        )

    return apply


@login_required
def recognition_edit(request, pk: int | None = None):
    """申报 (new) or 修改 a returned one: 保存 checks everything; 提交 sends it to 专技处."""
    base_only(request.user)
    if pk is None:
        filing = services.new_pre_filing(actor=request.user)
        filing.purpose = Purpose.RECOGNITION
    else:
        filing = get_pre_filing_for(request.user, pk)
        if filing.purpose != Purpose.RECOGNITION or not filing.is_editable:
            messages.error(request, "该学时认定已提交，当前不可修改。")
            return redirect("filings:detail", pk=filing.pk)
    key = f"recognition:{pk or 'new'}"
    form = RecognitionForm(request.POST or None, instance=filing)
    errors: dict = {}
    if request.method == "POST" and form.is_valid():
        uploads = [(k.value, f) for k in UPLOAD_KINDS for f in request.FILES.getlist(f"upload_{k.value}")]
        try:
            filing = services.save_pre_filing(
                filing, actor=request.user, apply_changes=_write(form), uploads=uploads,
                remove_attachment_ids=[], strict=True,
            )  # fmt: skip
            if request.POST.get("action") == "submit":
                services.submit_pre_filing(filing, actor=request.user)
        except NotEditable as e:
            messages.error(request, e.message)
            return redirect("filings:detail", pk=filing.pk)
        except DomainError as e:
            if pk is None and not PreFiling.objects.filter(pk=filing.pk).exists():
                filing.pk = None  # the new filing was rolled back
            errors = add_service_errors(form, e)
        else:
            clear_draft(request.user, key)
            submitted = request.POST.get("action") == "submit"
            messages.success(request, "已提交至人社厅专技处审核。" if submitted else "保存成功。")
            return redirect("filings:recognitions") if submitted else redirect("filings:recognition_edit", pk=filing.pk)
    return render(
        request,
        "filings/recognition_form.html",
        {
            "filing": filing, "form": form, "errors": errors, "scope_tree": scope_tree(form["scope"].value()),
            "attachments": filing.attachments.all() if filing.pk else [], "upload_kinds": UPLOAD_KINDS,
            "draft_key": key, "draft": draft_for(request.user, key) if request.method == "GET" else None,
        },
    )  # fmt: skip
