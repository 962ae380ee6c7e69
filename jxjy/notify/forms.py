from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Preference


class PreferenceForm(forms.Form):
    """消息设置: the channels, and the address an e-mail goes to."""

    sms = forms.BooleanField(label=gettext_lazy("短信通知"), required=False)
    email = forms.BooleanField(label=gettext_lazy("邮件通知"), required=False)
    email_address = forms.EmailField(
        label=gettext_lazy("电子邮箱"),
        required=False,
        max_length=100,
        error_messages={
            "invalid": gettext_lazy("请输入有效的电子邮箱地址，如 name@example.com。"),
            "max_length": gettext_lazy("电子邮箱不能超过100个字符。"),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "placeholder": "name@example.com"}),
    )

    @classmethod
    def for_preference(cls, pref: Preference, data=None) -> "PreferenceForm":
        initial = {"sms": pref.sms, "email": pref.email, "email_address": pref.email_address}
        return cls(data, initial=initial)

    def clean(self):
        data = super().clean()
        if data.get("email") and not data.get("email_address") and "email_address" not in self.errors:
            self.add_error("email_address", _("开启邮件通知须填写电子邮箱。"))
        return data
