from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render

from jxjy.core import audit

from .forms import LearnerSignupForm, LoginForm
from .services import register_learner


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

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
        user = register_learner(
            name=d["name"],
            id_number=d["id_number"],
            mobile=d["mobile"],
            work_unit=d["work_unit"],
            password=d["password1"],
        )
        login(request, user, backend="jxjy.accounts.backends.StaffOrLearnerBackend")
        messages.success(request, "注册成功，欢迎使用继续教育系统。")
        return redirect("core:home")
    return render(request, "accounts/signup.html", {"form": form})
