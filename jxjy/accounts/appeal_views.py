"""身份申诉 pages: the claimant's form (reached by the SMS link) and the 人社厅's list, detail and decision."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jxjy.core.errors import DomainError, show_on_form
from jxjy.core.identity import mask_id_number, mask_mobile
from jxjy.core.paging import page_of
from jxjy.core.permissions import require
from jxjy.review import engine

from . import appeals, sms_codes
from .forms import AppealForm, DecisionForm
from .models import AppealStatus, CodePurpose
from .recovery_views import client_ip

APPEAL_FLOW = "jxjy_appeal_flow"
DECISIONS = {"approve": appeals.approve_appeal, "reject": appeals.reject_appeal}


def _invite_or_404(token: str):
    invite = appeals.invite_for(token)
    if invite is None:
        raise Http404(appeals.INVALID_LINK)
    return invite


def appeal_file(request, token: str):
    """提交身份申诉, from the link in the SMS that said the 身份证号 is taken."""
    invite = _invite_or_404(token)
    form = AppealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        row = sms_codes.flow(request.session.get(APPEAL_FLOW), purpose=CodePurpose.APPEAL)
        try:
            appeals.file_appeal(invite, row, code=form.cleaned_data["code"], reason=form.cleaned_data["reason"])
        except DomainError as e:
            show_on_form(form, e, default_field="code")
        else:
            request.session.pop(APPEAL_FLOW, None)
            messages.success(request, _("申诉已提交，自治区人社厅审核后将以短信通知您。"))
            return redirect("accounts:login")
    context = {
        "form": form,
        "token": token,
        "masked_id": mask_id_number(invite.id_number),
        "masked_mobile": mask_mobile(invite.mobile),
        "name": invite.name,
        "limits": sms_codes.LIMITS_TEXT,
    }
    return render(request, "accounts/appeal_file.html", context)


@require_POST
def appeal_code(request, token: str):
    """获取验证码 for the 申诉, to the mobile verified at 注册."""
    invite = _invite_or_404(token)
    try:
        row = appeals.request_appeal_code(invite, ip=client_ip(request))
    except DomainError as e:
        messages.error(request, e.message)
    else:
        request.session[APPEAL_FLOW] = row.token
        messages.info(
            request,
            (
                _("验证码已发送至手机%(mask_mobile)s，%(code_minutes)s分钟内有效。")
                % {"mask_mobile": mask_mobile(invite.mobile), "code_minutes": sms_codes.CODE_MINUTES}
            ),
        )
    return redirect("accounts:appeal_file", token=token)


def _appeal_or_404(user, pk: int):
    appeal = appeals.appeals_visible_to(user).filter(pk=pk).first()
    if appeal is None:
        raise Http404(_("未找到该身份申诉。"))
    return appeal


@login_required
def appeal_list(request):
    """身份申诉: 待审核 first, then the decided ones."""
    require(request.user, "accounts.decide_appeals")
    qs = appeals.appeals_visible_to(request.user)
    status = request.GET.get("status", "")
    if status in AppealStatus.values:
        qs = qs.filter(status=status)
    page = page_of(qs.order_by("-submitted_at", "-pk"), request, 20)
    context = {"page": page, "statuses": AppealStatus.choices, "status": status}
    return render(request, "accounts/appeal_list.html", context)


@login_required
def appeal_detail(request, pk: int):
    require(request.user, "accounts.decide_appeals")
    appeal = _appeal_or_404(request.user, pk)
    learner = getattr(appeal.account, "learner", None)
    context = {
        "appeal": appeal,
        "learner": learner,
        "masked_id": mask_id_number(appeal.id_number),
        "claimant_mobile": mask_mobile(appeal.mobile),
        "holder_mobile": mask_mobile(learner.mobile) if learner else "",
        "moves": appeal.workflow.available(appeal, request.user),
        "log": engine.log_for(appeal),
        "form": DecisionForm(),
    }
    return render(request, "accounts/appeal_detail.html", context)


@login_required
@require_POST
def appeal_decide(request, pk: int, action: str):
    """通过 / 驳回 a 申诉, through the review engine."""
    require(request.user, "accounts.decide_appeals")
    decide = DECISIONS.get(action)
    if decide is None:
        raise Http404(_("不支持的操作。"))
    appeal = _appeal_or_404(request.user, pk)
    form = DecisionForm(request.POST)
    opinion = form.cleaned_data["opinion"] if form.is_valid() else ""
    try:
        decide(appeal, actor=request.user, opinion=opinion)
    except engine.ReviewPermissionDenied as e:
        raise PermissionDenied(e.message) from None
    except DomainError as e:
        messages.error(request, e.message)
        return redirect("accounts:appeal_detail", pk=pk)
    messages.success(
        request,
        (_("已%(label)s：%(appeal)s。") % {"label": appeal.workflow.transitions[action].label, "appeal": appeal}),
    )
    return redirect("accounts:appeal_list")
