from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from jxjy.audit import trail as audit
from jxjy.core.errors import DomainError
from jxjy.core.rules import rule

from . import personal_data, twofactor
from .audit_actions import AccountAction
from .forms import ChangePasswordForm, LoginForm, TokenForm
from .lockout import captcha_needed
from .passwords import password_expired
from .services import change_password


def login_rate() -> str:
    return settings.JXJY_LOGIN_RATE_PER_IP


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    @method_decorator(ratelimit(key="ip", rate=lambda group, request: login_rate(), method="POST", block=False))
    def post(self, request, *args, **kwargs):
        # One address trying many accounts (the per-account lockout can't see that) is slowed here.
        if getattr(request, "limited", False):
            return render(request, "accounts/locked.html", {"rate_limited": True}, status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        audit.record(actor=self.request.user, action=AccountAction.LOGIN)
        return response

    def form_invalid(self, form):
        # The failure just counted may be the one after which the 图形验证码 is asked for.
        if "captcha" not in form.fields and captcha_needed(self.request, form.data.get("username")):
            form.add_captcha()
        return super().form_invalid(form)


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            audit.record(actor=request.user, action=AccountAction.LOGOUT)
        return super().post(request, *args, **kwargs)


@login_required
@require_POST
def reveal_personal_data(request, pk: int, field: str):
    """显示完整: one learner's full 身份证号 or 手机号, for a permitted user; audited."""
    if field not in personal_data.FIELDS:
        raise Http404(_("未找到该信息。"))
    if not personal_data.may_reveal(request.user):
        raise PermissionDenied(_("您的账号无权查看完整个人信息。"))
    learner = personal_data.learners_revealable_to(request.user).filter(pk=pk).first()
    if learner is None:
        raise Http404(_("未找到该学员。"))
    value = personal_data.reveal(learner, actor=request.user, field=field)
    if request.headers.get("X-Requested-With") == "fetch":
        return JsonResponse({"value": value})
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    label = personal_data.FIELDS[field][0]
    return render(request, "accounts/revealed.html", {"learner": learner, "label": label, "value": value, "back": back})


def _next_url(request) -> str:
    """Where to go once the gate is passed: the page first asked for, if it is on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("core:home")


def _with_next(request, name: str) -> str:
    return reverse(name) + "?" + urlencode({"next": _next_url(request)})


@login_required
def otp_setup(request):
    """首次登录绑定身份验证器: scan the QR code (or type the secret), then confirm with one code."""
    user = request.user
    if not user.needs_second_factor or user.is_verified():
        return redirect(_next_url(request))
    if twofactor.confirmed_device(user):
        return redirect(_with_next(request, "accounts:otp_verify"))
    device = twofactor.pending_device(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            twofactor.verify(request, device, form.cleaned_data["token"], enrolling=True)
        except DomainError as e:
            form.add_error("token", e.message)
        else:
            messages.success(request, _("身份验证器绑定成功，以后登录时请输入它显示的验证码。"))
            return redirect(_next_url(request))
    context = {
        "form": form,
        "qr": twofactor.qr_data_uri(device),
        "secret": twofactor.secret_text(device),
        "next": _next_url(request),
    }
    return render(request, "accounts/otp_setup.html", context)


@login_required
def otp_verify(request):
    """二次验证: the code from the enrolled authenticator, after the password."""
    user = request.user
    if not user.needs_second_factor or user.is_verified():
        return redirect(_next_url(request))
    device = twofactor.confirmed_device(user)
    if device is None:
        return redirect(_with_next(request, "accounts:otp_setup"))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            twofactor.verify(request, device, form.cleaned_data["token"])
        except DomainError as e:
            form.add_error("token", e.message)
        else:
            return redirect(_next_url(request))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next_url(request)})


@login_required
def password_change(request):
    """修改密码; the only page an expired or reset password reaches."""
    user = request.user
    form = ChangePasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        change_password(user, new_password=form.cleaned_data["new_password1"])
        update_session_auth_hash(request, user)
        messages.success(request, _("密码已修改。"))
        return redirect(_next_url(request))
    if user.must_change_password:
        reason = _("您正在使用管理员重置的临时密码，请设置新密码后继续使用。")
    elif password_expired(user):
        reason = _("您的密码已超过%(rule)s天未修改，请设置新密码后继续使用。") % {
            "rule": rule("JXJY_PASSWORD_MAX_AGE_DAYS")
        }
    else:
        reason = ""
    context = {"form": form, "reason": reason, "next": _next_url(request)}
    return render(request, "accounts/password_change.html", context)
