"""规则设置 (jxjy.core's RuleSetting) in the admin, the 系统管理员's."""

from django import forms
from django.contrib import admin
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from jxjy.accounts.admin import SysadminOnly
from jxjy.audit import trail as audit
from jxjy.core.models import RuleSetting
from jxjy.core.rules import BUSINESS_RULES

from .audit_actions import PortalAction


class RuleSettingForm(forms.ModelForm):
    key = forms.ChoiceField(
        label=gettext_lazy("规则"),
        choices=[(k, format_lazy("{}（{}）", r.label, r.help)) for k, r in BUSINESS_RULES.items()],
    )

    class Meta:
        model = RuleSetting
        fields = ["key", "value"]


@admin.register(RuleSetting)
class RuleSettingAdmin(SysadminOnly, admin.ModelAdmin):
    form = RuleSettingForm
    list_display = ["__str__", "value", "updated_at"]

    def get_queryset(self, request):
        # Security settings are the 安全管理员's (安全策略), not the 系统管理员's.
        return super().get_queryset(request).filter(key__in=BUSINESS_RULES)

    def has_delete_permission(self, request, obj=None):
        return super().has_change_permission(request, obj)  # deleting a row restores the default

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit.record(
            actor=request.user, action=PortalAction.CHANGE_RULE, obj=obj, detail={"规则": obj.key, "值": obj.value}
        )
