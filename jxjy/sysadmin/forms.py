"""The 系统管理 forms: every message in Chinese, next to its field."""

import datetime as dt
import re

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jxjy.accounts.models import ROLE_ORG_KIND, Organisation, Prefecture, Role, User
from jxjy.api import tokens
from jxjy.api.models import ApiToken, Scope
from jxjy.catalog.models import Level, Series, Specialty
from jxjy.core import clock
from jxjy.core.rules import Rule, parse

K = Organisation.Kind
REQUIRED = {"required": gettext_lazy("此项为必填项。")}


class OrganisationForm(forms.ModelForm):
    """单位: a 继续教育基地 has its 基地级别, 所在地州 and 主管部门; a 地州人社局 its 所在地州 (the database's
    constraints, said here in Chinese next to the fields: a field with an error is left out of the model's check)."""

    class Meta:
        model = Organisation
        fields = ["name", "kind", "level", "prefecture", "department", "is_active"]
        labels = {"is_active": gettext_lazy("启用")}
        help_texts = {
            "level": gettext_lazy("仅继续教育基地填写。"),
            "prefecture": gettext_lazy("继续教育基地、地州人社局填写。"),
            "department": gettext_lazy("仅继续教育基地填写：其业务主管部门（单位类型为“主管部门”的单位）。"),
            "is_active": gettext_lazy("停用后该单位的接口令牌立即失效。"),
        }
        error_messages = {
            "name": {
                **REQUIRED,
                "unique": gettext_lazy("已有同名的单位。"),
                "max_length": gettext_lazy("单位名称不能超过100个字。"),
            },
            "kind": {**REQUIRED, "invalid_choice": gettext_lazy("请选择单位类型。")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["prefecture"].queryset = Prefecture.objects.order_by("code")
        departments = Organisation.objects.filter(kind=K.DEPARTMENT).order_by("name")
        self.fields["department"].queryset = departments
        for name in ("kind", "level", "prefecture", "department"):
            self.fields[name].empty_label = _("请选择") if name != "kind" else None
        self.fields["kind"].choices = [("", _("请选择")), *K.choices]
        self.fields["level"].choices = [("", _("请选择")), *Organisation.Level.choices]

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == K.BASE:
            for name, words in (("level", _("基地级别")), ("prefecture", _("所在地州")), ("department", _("主管部门"))):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, (_("继续教育基地须选择%(words)s。") % {"words": words}))
        else:
            data["level"], data["department"] = "", None  # only a base has them
        if kind == K.HR_PREFECTURE and not data.get("prefecture") and "prefecture" not in self.errors:
            self.add_error("prefecture", _("地州人社局须选择所在地州。"))
        return data


USERNAME = re.compile(r"[A-Za-z][A-Za-z0-9_.-]{1,29}")
PENDING_ROLE = "none"  # the 角色 choice of an account waiting for the 安全管理员 (its role is "")


class AccountForm(forms.ModelForm):
    """新建账号 / 修改账号 of a staff account: 账号, 姓名, 电子邮箱, 所属单位 and, when it is opened, 角色 — a
    基地工作人员, or waiting for the 安全管理员 to grant a role. No password: the holder sets it through the link
    e-mailed to them. Whether the role fits the unit, and a taken 账号, are the service's (next to the field)."""

    role = forms.ChoiceField(
        label=gettext_lazy("角色"),
        required=True,
        error_messages={**REQUIRED, "invalid_choice": gettext_lazy("请选择列出的角色。")},
        choices=[
            ("", gettext_lazy("请选择")),
            (Role.BASE.value, Role.BASE.label),
            (PENDING_ROLE, gettext_lazy("待授权（主管部门、人社部门、平台运维单位的账号，审核角色由安全管理员授予）")),
        ],
        help_text=gettext_lazy("系统管理员只能开设基地工作人员账号，或待安全管理员授予角色的账号。"),
    )
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("所属单位"), queryset=Organisation.objects.none(), empty_label=gettext_lazy("请选择"),
        error_messages={**REQUIRED, "invalid_choice": gettext_lazy("请选择启用中的单位。")},
    )  # fmt: skip

    class Meta:
        model = User
        fields = ["username", "full_name", "email", "organisation"]  # and 角色, set on the account below
        labels = {
            "username": gettext_lazy("账号"),
            "full_name": gettext_lazy("姓名"),
            "email": gettext_lazy("电子邮箱"),
        }
        help_texts = {
            "username": gettext_lazy("登录用的账号：以字母开头，由字母、数字、下划线、点或减号组成，2～30个字符。"),
            "email": gettext_lazy("设置密码的链接发送到此邮箱，请填写本人的邮箱。"),
        }
        error_messages = {
            "username": {
                **REQUIRED,
                "unique": gettext_lazy("该账号已存在，请换一个。"),
                "max_length": gettext_lazy("账号不能超过30个字符。"),
            },
            "full_name": {**REQUIRED, "max_length": gettext_lazy("姓名不能超过50个字。")},
            "email": {
                **REQUIRED,
                "invalid": gettext_lazy("请填写正确的电子邮箱。"),
                "max_length": gettext_lazy("电子邮箱过长。"),
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        editing = self.instance.pk is not None
        shown = Q(is_active=True) | Q(pk=self.instance.organisation_id)  # its own unit, even when disabled
        units = Organisation.objects.filter(shown, kind__in=sorted(set(ROLE_ORG_KIND.values())))
        self.fields["organisation"].queryset = units.order_by("kind", "name")
        self.fields["organisation"].label_from_instance = lambda o: f"{o.name}（{o.get_kind_display()}）"
        self.fields["username"].validators = []  # Django's, in other words: clean_username says it in ours
        self.fields["username"].widget.attrs.update(maxlength="30", autocomplete="off")
        for name in ("full_name", "email"):
            self.fields[name].required = True
        if editing:
            del self.fields["role"]  # the 安全管理员's

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if not USERNAME.fullmatch(username):
            raise ValidationError(_("账号须以字母开头，由字母、数字、下划线、点或减号组成，2～30个字符。"))
        return username

    def clean_full_name(self) -> str:
        name = self.cleaned_data["full_name"].strip()
        if not name:
            raise ValidationError(_("此项为必填项。"))
        return name

    def clean_role(self) -> str:
        role = self.cleaned_data["role"]
        return "" if role == PENDING_ROLE else role

    def validate_unique(self) -> None:
        pass  # a taken 账号 (in any case) is the service's refusal, next to the field

    def _post_clean(self) -> None:
        super()._post_clean()
        if "role" in self.fields and "role" in self.cleaned_data:  # "" (待授权) is no role the model accepts
            self.instance.role = self.cleaned_data["role"]


class CatalogEntryForm(forms.ModelForm):
    """A 系列, 专业 or 级别: its name unique (within its 系列), its 排序."""

    def validate_unique(self):
        try:
            self.instance.validate_unique(exclude=self._get_validation_exclusions())
            self.instance.validate_constraints(exclude=self._get_validation_exclusions())
        except ValidationError:
            self.add_error(
                "name", (_("已有同名的%(verbose_name)s。") % {"verbose_name": self._meta.model._meta.verbose_name})
            )


def _entry_form(entry_model, with_series: bool) -> type[CatalogEntryForm]:
    fields = ["series", "name", "order"] if with_series else ["name", "order"]
    label = entry_model._meta.verbose_name
    meta = type("Meta", (), {
        "model": entry_model, "fields": fields,
        "labels": {"name": format_lazy(gettext_lazy("{label}名称"), label=label), "order": gettext_lazy("排序"),
                   "series": gettext_lazy("所属系列")},
        "help_texts": {"order": gettext_lazy("数字小的排在前面。")},
        "error_messages": {
            "name": {**REQUIRED, "max_length": gettext_lazy("名称不能超过50个字。")},
            "order": {
                **REQUIRED, "invalid": gettext_lazy("排序应为整数。"), "min_value": gettext_lazy("排序不能小于0。")
            },
            "series": {**REQUIRED, "invalid_choice": gettext_lazy("请选择所属系列。")},
        },
    })  # fmt: skip
    return type(f"{entry_model.__name__}Form", (CatalogEntryForm,), {"Meta": meta})


# kind in the URL -> (model, its form)
CATALOG_FORMS = {
    "series": (Series, _entry_form(Series, with_series=False)),
    "specialty": (Specialty, _entry_form(Specialty, with_series=True)),
    "level": (Level, _entry_form(Level, with_series=True)),
}


class RuleForm(forms.Form):
    """One rule's new value, of its type and within its range (jxjy/core/rulebook.py)."""

    value = forms.CharField(max_length=20, error_messages=REQUIRED)

    def __init__(self, *args, key: str, rule: Rule, unit: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.key = key
        field = self.fields["value"]
        field.label = rule.label
        field.help_text = _("%(help)s；取值范围 %(minimum)s ～ %(maximum)s%(unit)s。") % {
            "help": rule.help,
            "minimum": format(rule.minimum, "g"),
            "maximum": format(rule.maximum, "g"),
            "unit": "" if "（" in unit or "(" in unit else unit,  # a unit that explains itself (比例（0～1）)
        }

    def clean_value(self):
        try:
            return parse(self.key, self.cleaned_data["value"])
        except ValidationError as e:
            raise ValidationError(e.messages[0]) from None


def default_expiry() -> dt.datetime:
    return timezone.localtime(clock.now() + dt.timedelta(days=365)).replace(second=0, microsecond=0)


class TokenForm(forms.ModelForm):
    """新建接口令牌: which unit's system, what for, what it may do, until when."""

    organisation = forms.ModelChoiceField(
        label=gettext_lazy("所属单位"), queryset=Organisation.objects.none(), empty_label=gettext_lazy("请选择"),
        help_text=gettext_lazy("职称评审系统：人社部门或主管部门；在线学习平台：单位类型为“在线学习平台”；基地自有系统：该基地。"),
        error_messages={**REQUIRED, "invalid_choice": gettext_lazy("请选择启用中的单位。")},
    )  # fmt: skip
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("权限范围"),
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": gettext_lazy("请至少选择一项权限范围。"),
            "invalid_choice": gettext_lazy("请选择列出的权限范围。"),
        },
    )
    expires_at = forms.DateTimeField(
        label=gettext_lazy("有效期至"), initial=default_expiry, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={**REQUIRED, "invalid": gettext_lazy("请填写正确的日期和时间。")},
    )  # fmt: skip

    class Meta:
        model = ApiToken
        fields = ["organisation", "name", "scopes", "expires_at"]
        labels = {"name": gettext_lazy("用途说明")}
        help_texts = {"name": gettext_lazy("如“自治区职称评审系统”，便于日后识别和撤销。")}
        error_messages = {"name": {**REQUIRED, "max_length": gettext_lazy("用途说明不能超过100个字。")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        units = Organisation.objects.filter(is_active=True, kind__in=list(tokens.SCOPES_BY_KIND))
        self.fields["organisation"].queryset = units.order_by("kind", "name")
        self.fields["organisation"].label_from_instance = lambda o: f"{o.name}（{o.get_kind_display()}）"
