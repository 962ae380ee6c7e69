"""培训前备案 pages for the base: list, form (新增备案 / 修改), details, attachments."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jxjy.attachments.audit_actions import AttachmentAction
from jxjy.attachments.models import Attachment, AttachmentKind
from jxjy.attachments.refusals import taken_refusals
from jxjy.attachments.services import stage, staged_for, unstage
from jxjy.audit import trail as audit
from jxjy.core.downloads import attachment_response
from jxjy.core.drafts import clear_draft
from jxjy.core.errors import DomainError, NotEditable, show_on_form
from jxjy.core.form_keys import form_key
from jxjy.core.inputs import bounded_ints
from jxjy.core.listing import owner_list
from jxjy.core.permissions import require
from jxjy.core.stale import stale_edit
from jxjy.core.uploads import uploads_by_kind

from . import services
from .forms import PreFilingForm, bind_formsets, content_of_form, scope_tree
from .models import PreFiling, PreFilingStatus, Purpose, ScopeItem
from .selectors import access_pre_filing, pre_filings_visible_to

UPLOAD_KINDS = (AttachmentKind.PLAN, AttachmentKind.NOTICE, AttachmentKind.INVITATION, AttachmentKind.OTHER)
SAVES = {
    "temp": gettext_lazy("临时保存"),
    "save": gettext_lazy("保存"),
}  # the edit page's two saves; 提交 posts to its own URL


@login_required
def filing_list(request):
    require(request.user, "filings.use")
    filings = pre_filings_visible_to(request.user).filter(purpose=Purpose.FILING)
    found = owner_list(request, filings, keyword_fields=["class_name"], statuses=PreFilingStatus.choices)
    return render(request, "filings/list.html", found)


def write_filing(form, formsets: dict | None = None):
    """Return the function the service calls to write the bound form (its scope, and its tables if it has any)
    onto the filing: the 申报表 and the 学时认定 share it."""

    def apply(filing: PreFiling) -> None:
        form.instance = filing
        form.save()
        filing.scope_items.all().delete()
        ScopeItem.objects.bulk_create(
            ScopeItem(filing=filing, specialty_id=s, level_id=lv) for s, lv in form.scope_pairs()
        )
        for fs in (formsets or {}).values():
            fs.instance = filing
            fs.save()

    return apply


def save_filing_form(
    request, filing: PreFiling, form, *, upload_kinds, formsets=None, removed=(), strict=True, submit=False
) -> tuple[PreFiling, DomainError | None]:
    """Save the bound form with the files picked for it (of `upload_kinds`), and for 提交 (`submit`) send it
    on: (the filing, the refusal of 提交 or None). A refused save raises; a new filing is unsaved again then:
    the service rolled it back."""
    was_new = filing.pk is None
    if was_new:
        filing.form_key = form_key(request)
    changes = {
        "apply_changes": write_filing(form, formsets),
        "staged": staged_for(request.user, services.draft_key(filing), upload_kinds),
        "remove_attachment_ids": list(removed),
    }
    try:
        if submit:
            return services.save_and_submit(filing, actor=request.user, **changes)
        return services.save_pre_filing(filing, actor=request.user, strict=strict, **changes), None
    except DomainError as e:
        if was_new and not isinstance(e, NotEditable):
            filing.pk = None
            filing._state.adding = True
        raise


def take_picked_files(request, key: str, upload_kinds) -> dict[str, list[str]]:
    """The files that came with the form itself (a browser without scripts sends them so) are taken as if
    picked one by one: kept for the form whatever else is wrong. Those ticked 移除 go. {"attachments": [why a
    file was refused, …]} (those refused when picked too), or {}."""
    unstage(request.user, bounded_ints(request.POST, "remove_staged"))
    refused = taken_refusals(request, key)  # picks the page's script was refused
    try:
        uploads = uploads_by_kind(request.FILES, [kind.value for kind in upload_kinds])
    except DomainError as e:
        return {"attachments": [*refused, e.message]}
    for kind, upload in uploads:
        try:
            stage(upload, kind=kind, draft_key=key, actor=request.user)
        except DomainError as e:
            refused.append(e.message)
    return {"attachments": refused} if refused else {}


def refusals(request, filing: PreFiling, form, formsets=None, *, upload_kinds, removed=(), strict=True):
    """Everything that refuses this 保存, in one answer: the files sent with it (kept, those that pass), the
    form's formats and, for 保存 and 提交 (`strict`), the completeness rules over what the form holds — its
    fields, tables and the files it has and has been given. Each message goes next to its field; those of the
    tables and attachments come back by name. And whether the filing changed since the page was loaded.
    (errors, Stale or None): ({}, None) when the save may go ahead."""
    key = services.draft_key(filing)
    errors = take_picked_files(request, key, upload_kinds)
    valid = all([form.is_valid(), *[fs.is_valid() for fs in (formsets or {}).values()]])
    if strict:
        kinds = {a.kind for a in filing.attachments.all() if a.pk not in set(removed)} if filing.pk else set()
        kinds |= {item.kind for item in staged_for(request.user, key, upload_kinds)}
        rules = services.content_errors(content_of_form(form, formsets, kinds), purpose=filing.purpose)
        for name, found in (show_on_form(form, DomainError("", errors=rules), sections=True) if rules else {}).items():
            errors.setdefault(name, []).extend(found)
    if not valid and not errors and not form.errors:
        errors = {"rows": [_("表格中有填写有误的行，请按提示修改。")]}
    return errors, stale_edit(request, filing, form)


def sent_before(request, filing: PreFiling):
    """For a new filing's page sent again (a double click, a replay): the answer already_filed gives, before
    anything of the second sending is looked at; otherwise None."""
    if filing.pk is None and (first := services.filed_from(filing, form_key(request))) is not None:
        return already_filed(request, services.AlreadyFiled(first))
    return None


def already_filed(request, error: services.AlreadyFiled):
    """The same 新增 page sent again (a double click, a replay): the filing it made, not a second one."""
    messages.info(request, error.message)
    return redirect("filings:detail", pk=error.filing.pk)


def form_page(request, template: str, filing: PreFiling, form, *, upload_kinds, key: str, **context):
    """The 申报表 or 学时认定 page: the form with its scope picker, attachments and autosaved draft."""
    return render(
        request,
        template,
        {
            "filing": filing,
            "form": form,
            **context,
            "scope_tree": scope_tree(form["scope"].value()),
            "attachments": filing.attachments.all() if filing.pk else [],
            "staged": staged_for(request.user, key, [kind.value for kind in upload_kinds]),
            "upload_kinds": upload_kinds,
            "draft_key": key,
        },
    )


def _refused(request, filing: PreFiling, message: str):
    """A change to a filing that can no longer change: 409, and a page that says why."""
    back = reverse("filings:detail", args=[filing.pk]) if filing.pk else ""
    return render(request, "core/refused.html", {"message": message, "back": back}, status=409)


@login_required
def filing_edit(request, pk: int | None = None):
    """新增备案 (pk None) or 修改: one page, buttons 临时保存 / 保存 / 提交 (filing_submit) / 取消."""
    filing, refused = _filing_to_edit(request, pk)
    if refused is not None:
        return refused
    if request.method != "POST":
        form = PreFilingForm(instance=filing)
        return _filing_page(request, filing, form, bind_formsets(None, filing, strict=False), {})
    action = request.POST.get("action", "save")
    if action not in SAVES:
        return HttpResponseBadRequest(_("不支持的操作。"), content_type="text/plain; charset=utf-8")
    return _post_filing(request, filing, action)


@login_required
@require_POST
def filing_submit(request, pk: int | None = None):
    """提交 from the form (a new filing or a draft): saved as typed, then sent to the department."""
    filing, refused = _filing_to_edit(request, pk)
    return refused or _post_filing(request, filing, "submit")


def _filing_to_edit(request, pk: int | None):
    """(the filing, None), or (it, the answer) when it cannot be edited here."""
    if pk is None:
        require(request.user, "filings.use")
        return services.new_pre_filing(actor=request.user), None
    # Outside the user's scope: 404; visible but not theirs to edit (a reviewer): 403.
    filing = access_pre_filing(request.user, pk)
    require(request.user, "filings.use")
    if filing.purpose == Purpose.RECOGNITION:  # its own, shorter form
        return filing, redirect("filings:recognition_edit", pk=filing.pk)
    if not filing.is_editable:
        if request.method == "POST":
            return filing, _refused(request, filing, services.NOT_EDITABLE)
        messages.error(request, services.NOT_EDITABLE)
        return filing, redirect("filings:detail", pk=filing.pk)
    return filing, None


def _post_filing(request, filing: PreFiling, action: str):
    """临时保存 / 保存 / 提交 of the bound form; refused, the page again with every message at once."""
    if (answer := sent_before(request, filing)) is not None:
        return answer
    strict, key = action != "temp", services.draft_key(filing)  # "prefiling:new" until the first save
    form = PreFilingForm(request.POST, instance=filing, strict=strict)
    formsets = bind_formsets(request.POST, filing, strict=strict)
    removed = bounded_ints(request.POST, "remove_attachment")
    section_errors, stale = refusals(request, filing, form, formsets, upload_kinds=UPLOAD_KINDS, removed=removed,
                                     strict=strict)  # fmt: skip
    if not section_errors and not form.errors and stale is None:
        try:
            filing, not_sent = save_filing_form(request, filing, form, upload_kinds=UPLOAD_KINDS, formsets=formsets,
                                                removed=removed, strict=strict, submit=action == "submit")  # fmt: skip
        except NotEditable as e:
            return _refused(request, filing, e.message)
        except services.AlreadyFiled as e:
            return already_filed(request, e)
        except DomainError as e:
            section_errors = show_on_form(form, e, sections=True)
        else:
            clear_draft(request.user, key)
            return _after_save(request, filing, action, not_sent)
    return _filing_page(request, filing, form, formsets, section_errors, stale=stale)


def _filing_page(request, filing: PreFiling, form: PreFilingForm, formsets: dict, section_errors: dict, stale=None):
    key = services.draft_key(filing)
    return form_page(
        request,
        "filings/form.html",
        filing,
        form,
        upload_kinds=UPLOAD_KINDS,
        key=key,
        formsets=formsets,
        section_errors=section_errors,
        stale=stale,
    )


def _after_save(request, filing: PreFiling, action: str, not_sent: DomainError | None):
    """The data is saved (and for 提交 sent on). A refused 提交 leaves it saved, on its own page."""
    if not_sent is not None:
        messages.error(request, (_("已保存，但未能提交：%(message)s") % {"message": not_sent.message}))
        return redirect("filings:edit", pk=filing.pk)
    if action == "submit":
        messages.success(request, _("提交成功。"))
        return redirect("filings:list")
    messages.success(request, (_("%(action)s成功。") % {"action": SAVES[action]}))
    return redirect("filings:edit", pk=filing.pk)


@login_required
@require_POST
def filing_delete(request, pk: int):
    filing = access_pre_filing(request.user, pk)
    require(request.user, "filings.use")
    try:
        services.delete_pre_filing(filing, actor=request.user)
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("备案已删除。"))
    return redirect("filings:list")


@login_required
def attachment_download(request, pk: int):
    """Serve an attachment only to people who may see its document."""
    attachment = get_object_or_404(Attachment, pk=pk)
    document = attachment.document
    if not isinstance(document, PreFiling):
        raise Http404
    access_pre_filing(request.user, document.pk)
    audit.record(
        actor=request.user, action=AttachmentAction.DOWNLOAD, obj=document, detail={"附件": attachment.original_name}
    )
    return attachment_response(attachment)
