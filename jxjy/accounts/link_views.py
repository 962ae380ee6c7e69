"""设置密码 through the one-time link a new or reset staff account's holder received by e-mail."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from . import staff_access
from .forms import NewPasswordForm


def set_password(request, uidb64: str, token: str):
    user = staff_access.user_for_link(uidb64, token)
    if user is None:
        return render(request, "accounts/set_password_expired.html", status=404)
    form = NewPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            staff_access.set_password(user, form.cleaned_data["new_password1"])
        except ValidationError as e:
            form.add_error("new_password1", e)
        else:
            messages.success(request, (_("账号 %(username)s 的密码已设置，请登录。") % {"username": user.username}))
            return redirect("accounts:login")
    return render(request, "accounts/set_password.html", {"form": form, "target": user})
