from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from jxjy.core.identity import normalize_id_number, normalize_mobile

from .models import Learner, User


class LoginForm(AuthenticationForm):
    username = forms.CharField(label="账号", max_length=50, widget=forms.TextInput(attrs={"autofocus": True}))
    password = forms.CharField(label="密码", strip=False, widget=forms.PasswordInput)

    error_messages = {
        "invalid_login": "账号或密码错误，请重新输入。",
        "inactive": "该账号已停用，请联系管理员。",
    }


class LearnerSignupForm(forms.Form):
    """注册: a learner signs up with name, 身份证号, 手机号 and 工作单位."""

    name = forms.CharField(label="姓名", max_length=50)
    id_number = forms.CharField(label="身份证号", max_length=18, min_length=18)
    mobile = forms.CharField(label="手机号", max_length=20)
    work_unit = forms.CharField(label="工作单位", max_length=100)
    password1 = forms.CharField(label="密码", strip=False, widget=forms.PasswordInput)
    password2 = forms.CharField(label="确认密码", strip=False, widget=forms.PasswordInput)

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def clean_id_number(self):
        value = normalize_id_number(self.cleaned_data["id_number"])
        # The learner's user name is the 身份证号, so it must not be a staff account's name either.
        if Learner.objects.by_id_number(value).exists() or User.objects.filter(username=value).exists():
            raise ValidationError("该身份证号已注册，请直接登录。")
        return value

    def clean_mobile(self):
        value = normalize_mobile(self.cleaned_data["mobile"])
        if Learner.objects.by_mobile(value).exists():
            raise ValidationError("该手机号已被其他账号使用。")
        return value

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "两次输入的密码不一致。")
        elif p1:
            # The 身份证号 and mobile are the login names, so they must not be the password too. A number
            # ending in X passes the "all digits" check, hence this one.
            known = [data.get("id_number"), data.get("mobile")]
            if any(k and k.upper() in p1.upper() for k in known):
                self.add_error("password1", "密码不能包含身份证号或手机号。")
                return data
            try:
                password_validation.validate_password(p1, user=User(username=data.get("id_number") or ""))
            except ValidationError as e:
                self.add_error("password1", e)
        return data
