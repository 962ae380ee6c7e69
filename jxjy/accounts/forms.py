from captcha.fields import CaptchaField, CaptchaTextInput
from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jxjy.core.identity import normalize_id_number, normalize_mobile, validate_person_name

from .lockout import captcha_needed
from .models import Role, User

CAPTCHA_REQUIRED = gettext_lazy("请输入图形验证码。")
CAPTCHA_WRONG = gettext_lazy("图形验证码错误，请重新输入（不区分大小写）。")


class CaptchaInput(CaptchaTextInput):
    """The picture (served by this site: /captcha/image/<key>/), the challenge's key and the answer box."""

    def render(self, name, value, attrs=None, renderer=None):
        self.fetch_captcha_store(name, value, attrs, self.generator)  # a new challenge each time it is shown
        return format_html(
            _('<img src="{}" alt="图形验证码" class="captcha">'
            '<input type="hidden" name="{}_0" value="{}">'
            '<input type="text" name="{}_1" id="{}" required maxlength="10" autocomplete="off" autocapitalize="off"'
            ' autocorrect="off" spellcheck="false">'),
            self.image_url(), name, self._key, name, self.id_for_label((attrs or {}).get("id") or f"id_{name}"),
        )  # fmt: skip


class LoginForm(AuthenticationForm):
    """账号 and 密码; after failed logins for the account or from the address also a 图形验证码 (lockout.py),
    checked before the password is: a wrong one tries no password at all."""

    username = forms.CharField(
        label=gettext_lazy("账号"), max_length=50, widget=forms.TextInput(attrs={"autofocus": True})
    )
    password = forms.CharField(label=gettext_lazy("密码"), strip=False, widget=forms.PasswordInput)

    error_messages = {
        "invalid_login": gettext_lazy("账号或密码错误，请重新输入。"),
        "inactive": gettext_lazy("该账号已停用，请联系管理员。"),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        if request is not None and captcha_needed(request, self.data.get("username") if self.is_bound else None):
            self.add_captcha()

    def add_captcha(self) -> None:
        """Ask for the 图形验证码 (also on the page shown again after the failure that made it needed)."""
        if "captcha" not in self.fields:
            messages = {"required": CAPTCHA_REQUIRED, "incomplete": CAPTCHA_REQUIRED, "invalid": CAPTCHA_WRONG}
            self.fields["captcha"] = CaptchaField(label=_("图形验证码"), error_messages=messages, widget=CaptchaInput())

    def clean(self):
        if self._errors and "captcha" in self._errors:
            return self.cleaned_data  # no password is tried without the right 图形验证码
        return super().clean()


def _code_field() -> forms.RegexField:
    return forms.RegexField(
        label=_("短信验证码"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("请输入短信中的6位数字验证码。"), "required": _("请输入短信验证码。")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "maxlength": 6}),
    )


class MobileForm(forms.Form):
    """注册 step one: the mobile to verify."""

    mobile = forms.CharField(
        label=gettext_lazy("手机号"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )

    def clean_mobile(self):
        return normalize_mobile(self.cleaned_data["mobile"])


class LearnerSignupForm(forms.Form):
    """注册 step two: the SMS code of the verified mobile, then name, 身份证号, 工作单位 and the password.

    Whether the 身份证号 is already registered is not said here (the SMS says it to the mobile's owner)."""

    code = _code_field()
    name = forms.CharField(label=gettext_lazy("姓名"), max_length=50, validators=[validate_person_name])
    id_number = forms.CharField(label=gettext_lazy("身份证号"), max_length=18, min_length=18)
    work_unit = forms.CharField(label=gettext_lazy("工作单位"), max_length=100)
    password1 = forms.CharField(label=gettext_lazy("密码"), strip=False, widget=forms.PasswordInput)
    password2 = forms.CharField(label=gettext_lazy("确认密码"), strip=False, widget=forms.PasswordInput)

    def __init__(self, *args, mobile: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.mobile = mobile

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def clean_id_number(self):
        return normalize_id_number(self.cleaned_data["id_number"])

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("两次输入的密码不一致。"))
        elif p1:
            # The 身份证号 and mobile are the login names, so they must not be the password too. A number
            # ending in X passes the "all digits" check, hence this one.
            known = [data.get("id_number"), self.mobile]
            if any(k and k.upper() in p1.upper() for k in known):
                self.add_error("password1", _("密码不能包含身份证号或手机号。"))
                return data
            try:
                password_validation.validate_password(p1, user=User(username=data.get("id_number") or ""))
            except ValidationError as e:
                self.add_error("password1", e)
        return data


class ForgotForm(forms.Form):
    """忘记密码: the 身份证号 or mobile the account was registered with."""

    login = forms.CharField(
        label=gettext_lazy("身份证号或手机号"),
        max_length=50,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )


class NewPasswordForm(forms.Form):
    """A new password typed twice. The rules that need the account (history, its numbers) are the service's."""

    new_password1 = forms.CharField(
        label=gettext_lazy("新密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    new_password2 = forms.CharField(
        label=gettext_lazy("确认新密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("new_password1"), data.get("new_password2")
        if p1 and p2 and p1 != p2:
            self.add_error("new_password2", _("两次输入的新密码不一致。"))
        elif p1:
            try:
                password_validation.validate_password(p1)
            except ValidationError as e:
                self.add_error("new_password1", e)
        return data


class SetPasswordForm(NewPasswordForm):
    """设置新密码 with the SMS code."""

    code = _code_field()
    field_order = ["code", "new_password1", "new_password2"]


class AppealForm(forms.Form):
    """提交申诉: why the 身份证号 is the claimant's, and the SMS code of the mobile verified at 注册."""

    reason = forms.CharField(
        label=gettext_lazy("申诉理由"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": gettext_lazy("请说明该身份证号为您本人所有的情况")}),
    )
    code = _code_field()


class DecisionForm(forms.Form):
    opinion = forms.CharField(
        label=gettext_lazy("审核意见"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=gettext_lazy("验证码"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={
            "invalid": gettext_lazy("请输入身份验证器上显示的6位数字。"),
            "required": gettext_lazy("请输入验证码。"),
        },
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class ChangePasswordForm(PasswordChangeForm):
    """修改密码: the old one, then the new one twice; Django's rules and the project's (history included)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("原密码")
        self.fields["new_password1"].label = _("新密码")
        self.fields["new_password1"].help_text = ""
        self.fields["new_password2"].label = _("确认新密码")
        # bandit B105 accepted: these are messages about passwords, not passwords.
        self.error_messages = {  # nosec B105
            **self.error_messages,
            "password_incorrect": _("原密码不正确，请重新输入。"),
            "password_mismatch": _("两次输入的新密码不一致。"),
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
            self.add_error("new_password2", _("密码不能包含身份证号或手机号。"))
        return data


class RoleForm(forms.Form):
    role = forms.ChoiceField(
        label=gettext_lazy("角色"), choices=[(r.value, r.label) for r in Role if r != Role.LEARNER]
    )


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
