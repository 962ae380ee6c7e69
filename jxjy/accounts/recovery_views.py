"""忘记密码 and 注册 pages: each answer reads the same whether or not the number typed is registered."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jxjy.core.errors import DomainError, show_on_form
from jxjy.core.identity import mask_mobile

from . import recovery, sms_codes
from .forms import ForgotForm, LearnerSignupForm, MobileForm, SetPasswordForm
from .models import CodePurpose

RESET_FLOW = "jxjy_reset_flow"
SIGNUP_FLOW = "jxjy_signup_flow"
FORGOT_SENT = gettext_lazy("如果该身份证号或手机号已注册，验证码已发送至注册手机（尾号不显示）。")
SIGNUP_DONE = gettext_lazy("注册结果已通过短信发送至您的手机，请按短信提示登录。")
STAFF_HINT = gettext_lazy("工作人员账号请联系本单位安全管理员重置密码。")


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _context(**extra) -> dict:
    return {"limits": sms_codes.LIMITS_TEXT, "staff_hint": STAFF_HINT, **extra}


# ---- 忘记密码 ----


def forgot(request):
    """忘记密码 ①: the 身份证号 or mobile; the same answer whether or not it is registered."""
    form = ForgotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            row = recovery.request_reset_code(login=form.cleaned_data["login"], ip=client_ip(request))
        except DomainError as e:
            show_on_form(form, e, default_field="login")
        else:
            request.session[RESET_FLOW] = row.token
            messages.info(request, FORGOT_SENT)
            return redirect("accounts:forgot_reset")
    return render(request, "accounts/forgot.html", _context(form=form))


def forgot_reset(request):
    """忘记密码 ②: the SMS code and the new password; every session of the account ends."""
    row = sms_codes.flow(request.session.get(RESET_FLOW), purpose=CodePurpose.RESET)
    if row is None:
        return redirect("accounts:forgot")
    form = SetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            recovery.reset_password_with_code(row, code=d["code"], password=d["new_password1"])
        except DomainError as e:
            show_on_form(form, e, default_field="code")
        else:
            request.session.pop(RESET_FLOW, None)
            messages.success(request, _("密码已重新设置，请使用新密码登录。"))
            return redirect("accounts:login")
    return render(request, "accounts/forgot_reset.html", _context(form=form))


@require_POST
def forgot_resend(request):
    """重新获取验证码 for the same 身份证号 or mobile."""
    row = sms_codes.flow(request.session.get(RESET_FLOW), purpose=CodePurpose.RESET)
    if row is None:
        return redirect("accounts:forgot")
    try:
        row = recovery.resend_reset_code(row, ip=client_ip(request))
    except DomainError as e:
        messages.error(request, e.message)
    else:
        request.session[RESET_FLOW] = row.token
        messages.info(request, FORGOT_SENT)
    return redirect("accounts:forgot_reset")


# ---- 注册 ----


def _sent_to(mobile: str) -> str:
    return _("短信已发送至手机%(mask_mobile)s，请按短信提示操作；收到验证码后请在%(code_minutes)s分钟内填写。") % {
        "mask_mobile": mask_mobile(mobile),
        "code_minutes": sms_codes.CODE_MINUTES,
    }


def signup(request):
    """学员注册 ①: verify the mobile first (a code, or an SMS that it already has an account)."""
    form = MobileForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        mobile = form.cleaned_data["mobile"]
        try:
            row = recovery.request_signup_code(mobile=mobile, ip=client_ip(request))
        except DomainError as e:
            show_on_form(form, e, default_field="mobile")
        else:
            request.session[SIGNUP_FLOW] = row.token
            messages.info(request, _sent_to(mobile))
            return redirect("accounts:signup_details")
    return render(request, "accounts/signup.html", _context(form=form))


def signup_details(request):
    """学员注册 ②: the code, then the learner's details; the result goes to the verified mobile by SMS."""
    row = sms_codes.flow(request.session.get(SIGNUP_FLOW), purpose=CodePurpose.SIGNUP)
    if row is None:
        return redirect("accounts:signup")
    form = LearnerSignupForm(request.POST or None, mobile=row.mobile)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            recovery.complete_signup(
                row, code=d["code"], name=d["name"], id_number=d["id_number"], work_unit=d["work_unit"],
                password=d["password1"],
            )  # fmt: skip
        except DomainError as e:
            show_on_form(form, e, default_field="code")
        else:
            request.session.pop(SIGNUP_FLOW, None)
            messages.success(request, SIGNUP_DONE)
            return redirect("accounts:login")
    context = _context(form=form, masked_mobile=mask_mobile(row.mobile))
    return render(request, "accounts/signup_details.html", context)


@require_POST
def signup_resend(request):
    """重新获取验证码 for the mobile being verified."""
    row = sms_codes.flow(request.session.get(SIGNUP_FLOW), purpose=CodePurpose.SIGNUP)
    if row is None:
        return redirect("accounts:signup")
    try:
        row = recovery.resend_signup_code(row, ip=client_ip(request))
    except DomainError as e:
        messages.error(request, e.message)
    else:
        request.session[SIGNUP_FLOW] = row.token
        messages.info(request, _sent_to(row.mobile))
    return redirect("accounts:signup_details")
