from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from jxjy.core import audit

from . import personal_data
from .forms import LearnerSignupForm, LoginForm
from .services import register_learner

DUPLICATE = "该身份证号或手机号已注册，请直接登录。"


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
        audit.record(actor=self.request.user, action="登录")
        return response


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            audit.record(actor=request.user, action="退出登录")
        return super().post(request, *args, **kwargs)


def signup(request):
    form = LearnerSignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            user = register_learner(
                name=d["name"],
                id_number=d["id_number"],
                mobile=d["mobile"],
                work_unit=d["work_unit"],
                password=d["password1"],
            )
        except IntegrityError:
            # Someone registered the same 身份证号 or mobile after this form was checked: check again,
            # so that the message stands next to the field like any other.
            form = LearnerSignupForm(request.POST)
            if form.is_valid():
                form.add_error(None, DUPLICATE)
        else:
            login(request, user, backend="jxjy.accounts.backends.StaffOrLearnerBackend")
            messages.success(request, "注册成功，欢迎使用继续教育系统。")
            return redirect("core:home")
    return render(request, "accounts/signup.html", {"form": form})


@login_required
@require_POST
def reveal_personal_data(request, pk: int, field: str):
    """显示完整: one learner's full 身份证号 or 手机号, for a permitted user; audited."""
    if field not in personal_data.FIELDS:
        raise Http404("未找到该信息。")
    if not personal_data.may_reveal(request.user):
        raise PermissionDenied("您的账号无权查看完整个人信息。")
    learner = personal_data.learners_revealable_to(request.user).filter(pk=pk).first()
    if learner is None:
        raise Http404("未找到该学员。")
    value = personal_data.reveal(learner, actor=request.user, field=field)
    if request.headers.get("X-Requested-With") == "fetch":
        return JsonResponse({"value": value})
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    label = personal_data.FIELDS[field][0]
    return render(request, "accounts/revealed.html", {"learner": learner, "label": label, "value": value, "back": back})
