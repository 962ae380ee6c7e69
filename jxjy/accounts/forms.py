from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import ValidationError

from jxjy.core.identity import normalize_id_number, normalize_mobile

from .models import Learner, Role, User


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


class TokenForm(forms.Form):
    token = forms.RegexField(
        label="验证码",
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": "请输入身份验证器上显示的6位数字。", "required": "请输入验证码。"},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class ChangePasswordForm(PasswordChangeForm):
    """修改密码: the old one, then the new one twice; Django's rules and the project's (history included)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "原密码"
        self.fields["new_password1"].label = "新密码"
        self.fields["new_password1"].help_text = ""
        self.fields["new_password2"].label = "确认新密码"
        # bandit B105 accepted: these are messages about passwords, not passwords.
        self.error_messages = {  # nosec B105
            **self.error_messages,
            "password_incorrect": "原密码不正确，请重新输入。",
            "password_mismatch": "两次输入的新密码不一致。",
        }

    def clean(self):
        data = super().clean()
        password = data.get("new_password2")
        # As at 注册: a learner's login names (身份证号, mobile) must not be the password too.
        learner = getattr(self.user, "learner", None) if self.user.is_learner else None
        if (
            password
            and "new_password2" not in self.errors
            and learner
            and any(k.upper() in password.upper() for k in (learner.id_number, learner.mobile))
        ):
            self.add_error("new_password2", "密码不能包含身份证号或手机号。")
        return data


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="角色", choices=[(r.value, r.label) for r in Role if r != Role.LEARNER])


class PolicyForm(forms.Form):
    """安全策略: the security rules' values, each checked against its range."""

    def __init__(self, *args, rules: dict, current: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for key, r in rules.items():
            self.fields[key] = forms.CharField(label=r.label, help_text=r.help, initial=current[key], max_length=20)

    def clean(self):
        from jxjy.core.rules import parse

        data = super().clean()
        for key, value in list(data.items()):
            try:
                data[key] = parse(key, value)
            except ValidationError as e:
                self.add_error(key, e)
        return data
