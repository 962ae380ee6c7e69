"""培训后备案: the four-step wizard of the guide, and the filing's details with its 审核日志."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jxjy.attachments.audit_actions import AttachmentAction
from jxjy.attachments.models import AttachmentKind
from jxjy.audit import trail as audit
from jxjy.core.downloads import attachment_response
from jxjy.core.errors import DomainError, NotEditable, show_on_form
from jxjy.core.form_keys import ALREADY_MADE, form_key, made_from
from jxjy.core.inputs import bounded_int
from jxjy.core.listing import owner_list
from jxjy.core.lookups import get_or_404
from jxjy.core.permissions import require
from jxjy.core.rules import rule
from jxjy.core.stale import stale_edit
from jxjy.core.uploads import uploads_by_kind
from jxjy.review import engine

from . import scores as score_import
from . import services
from .forms import ChooseClassForm, DetailsForm, ScoreForm, ScoresUploadForm
from .models import CompletionStatus
from .selectors import access_completion, completions_visible_to
from .services import classes_for_completion

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STEPS = [gettext_lazy("选择培训信息"), gettext_lazy("填写备案"), gettext_lazy("导入学员成绩"), gettext_lazy("附件上传")]
STEP_HINTS = [
    gettext_lazy("选择培训前备案和培训信息"),
    gettext_lazy("填写继续教育培训结业备案信息"),
    gettext_lazy("选择学员并导入成绩"),
    gettext_lazy("上传附件并提交"),
]


def _own(request, pk):
    require(request.user, "completions.use")
    return access_completion(request.user, pk)


def _editable_or_redirect(request, completion):
    if not completion.is_editable:
        messages.error(request, _("该培训后备案已提交，当前不可修改。"))
        return redirect("completions:detail", pk=completion.pk)
    return None


def _wizard(request, template, completion, step, **context):
    steps = [{"n": n, "title": t, "hint": h} for n, (t, h) in enumerate(zip(STEPS, STEP_HINTS, strict=True), 1)]
    return render(request, template, {"completion": completion, "steps": steps, "step": step, **context})


@login_required
def completion_list(request):
    require(request.user, "completions.use")
    found = owner_list(request, completions_visible_to(request.user), statuses=CompletionStatus.choices,
                       keyword_fields=["name", "training_class__pre_filing__class_name"])  # fmt: skip
    return render(request, "completions/list.html", {**found, "completion_days": rule("JXJY_COMPLETION_FILING_DAYS")})


def _chosen(request) -> dict:
    """学时认定 → 上传成绩 arrives with its class (?class=<id>): step ① comes filled in."""
    class_id = bounded_int(request.GET, "class")
    if class_id is None:
        return {}
    c = next((c for c in classes_for_completion(request.user.organisation) if c.pk == class_id), None)
    if c is None:
        return {}
    suffix = _("学员成绩") if c.pre_filing.purpose == "recognition" else _("结业备案")
    name = f"{c.pre_filing.class_name[:46]}{suffix}"
    return {"name": name, "year": c.years[0], "pre_filing": c.pre_filing_id, "training_class": c.pk}


@login_required
def step1(request):
    """① 选择培训信息."""
    require(request.user, "completions.use")
    form = ChooseClassForm(request.POST or None, base=request.user.organisation, initial=_chosen(request))
    made = made_from(completions_visible_to(request.user), request) if request.method == "POST" else None
    if made is not None:  # the same 新增 page sent again: the filing it made
        messages.info(request, ALREADY_MADE)
        return redirect("completions:step2", pk=made.pk)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            completion = services.start(actor=request.user, training_class=d["class_obj"], name=d["name"],
                                        year=d["year"], form_key=form_key(request))  # fmt: skip
        except DomainError as e:
            show_on_form(form, e)
        else:
            return redirect("completions:step2", pk=completion.pk)
    return _wizard(request, "completions/step1.html", None, 1, form=form)


@login_required
def step2(request, pk: int):
    """② 填写备案."""
    completion = _own(request, pk)
    if response := _editable_or_redirect(request, completion):
        return response
    form = DetailsForm(request.POST or None, instance=completion)
    stale = stale_edit(request, completion, form) if request.method == "POST" else None
    if request.method == "POST" and form.is_valid() and stale is None:
        try:
            services.save_details(completion, actor=request.user, **form.cleaned_data)
        except DomainError as e:
            show_on_form(form, e)
        else:
            return redirect("completions:step3", pk=pk)
    return _wizard(request, "completions/step2.html", completion, 2, form=form, stale=stale)


@login_required
def step3(request, pk: int):
    """③ 导入学员成绩: the approved learners, the template, the upload and its error report."""
    completion = _own(request, pk)
    if response := _editable_or_redirect(request, completion):
        return response
    upload_form = ScoresUploadForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and upload_form.is_valid():
        try:
            count = score_import.import_scores(completion, upload_form.cleaned_data["file"], actor=request.user)
        except score_import.ImportRefused as e:
            errors = e.errors
        else:
            messages.success(request, (_("已导入%(count)s名学员的成绩。") % {"count": count}))
            return redirect("completions:step3", pk=pk)
    scores = {s.registration_id: s for s in completion.scores.all()}
    learners = [(reg, scores.get(reg.pk)) for reg in score_import.approved_registrations(completion)]
    return _wizard(request, "completions/step3.html", completion, 3, upload_form=upload_form, errors=errors,
                   learners=learners)  # fmt: skip


@login_required
def score_template(request, pk: int):
    completion = _own(request, pk)
    content = score_import.template(completion, actor=request.user)
    response = HttpResponse(content, content_type=XLSX)
    name = _("%(name)s-学员成绩.xlsx") % {"name": completion.name}
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@login_required
@require_POST
def score_edit(request, pk: int, score_id: int):
    completion = _own(request, pk)
    form = ScoreForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return redirect("completions:step3", pk=pk)
    try:
        services.edit_score(completion, actor=request.user, score_id=score_id, **form.cleaned_data)
    except completion.scores.model.DoesNotExist:
        messages.error(request, _("未找到该成绩。"))
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("成绩已修改。"))
    return redirect("completions:step3", pk=pk)


UPLOAD_KINDS = (AttachmentKind.SIGN_IN, AttachmentKind.SCORE_SHEET, AttachmentKind.SUMMARY)
SUBMITTED = {
    False: gettext_lazy("培训后备案已提交，请等待人社部门审核。"),
    True: gettext_lazy("学员成绩已报送至人社厅专技处，请等待备案。"),
}


@login_required
def step4(request, pk: int):
    """④ 附件上传 and 提交."""
    completion = _own(request, pk)
    if response := _editable_or_redirect(request, completion):
        return response
    if request.method == "POST":
        return _upload_or_submit(request, completion)
    return _wizard(request, "completions/step4.html", completion, 4, upload_kinds=UPLOAD_KINDS,
                   attachments=completion.attachments.all(),
                   problems=services.incomplete_errors(completion))  # fmt: skip


@login_required
@require_POST
def submit(request, pk: int):
    """④'s 提交 (学时认定: 报送): the files chosen with it are attached, then the filing is sent on."""
    completion = _own(request, pk)
    if response := _editable_or_redirect(request, completion):
        return response
    return _upload_or_submit(request, completion, submit=True)


def _upload_or_submit(request, completion, *, submit: bool = False):
    """上传 the chosen files (for 提交 then send the filing on); what was refused is told on step ④ again."""
    try:
        uploads = uploads_by_kind(request.FILES, UPLOAD_KINDS)  # at most max_files() in all
        refused = services.attach_files(completion, uploads, actor=request.user, submit=submit)
    except NotEditable as e:
        messages.error(request, e.message)
    except DomainError as e:
        _tell_errors(request, e)
    else:
        if refused is not None:
            _tell_errors(request, refused)
        elif submit:
            messages.success(request, SUBMITTED[completion.is_recognition])
            return redirect("completions:detail", pk=completion.pk)
        else:
            messages.success(request, _("附件已上传。"))
    return redirect("completions:step4", pk=completion.pk)


def _tell_errors(request, e: DomainError) -> None:
    for msgs in (e.errors or {"attachments": [e.message]}).values():
        for m in msgs:
            messages.error(request, m)


@login_required
def detail(request, pk: int):
    completion = access_completion(request.user, pk)
    moves = completion.workflow.available(completion, request.user)
    return render(
        request,
        "completions/detail.html",
        {
            "completion": completion,
            "log": engine.log_for(completion),
            "scores": completion.scores.select_related("registration__learner"),
            "attachments": completion.attachments.all(),
            "moves": [t for t in moves if not t.opinion_required and t.by == "holder"],
            "opinion_moves": [t for t in moves if t.opinion_required],
            "is_owner": request.user.organisation_id == completion.base_id,
        },
    )


@login_required
def attachment(request, pk: int, attachment_id: int):
    """A completion filing's attachment, only for those who may see the filing."""
    completion = access_completion(request.user, pk)
    a = get_or_404(completion.attachments.all(), attachment_id, _("附件"))
    audit.record(actor=request.user, action=AttachmentAction.DOWNLOAD, obj=completion, detail={"附件": a.original_name})
    return attachment_response(a)
