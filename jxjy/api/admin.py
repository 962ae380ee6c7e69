"""接口令牌 in the 系统管理 screens: the 系统管理员 creates (the secret is shown once), lists and revokes."""

import datetime as dt

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminSplitDateTime
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jxjy.accounts.admin import SysadminOnly
from jxjy.accounts.models import Organisation
from jxjy.core import clock
from jxjy.core.errors import DomainError

from . import tokens
from .models import ApiToken, Scope


def default_expiry() -> dt.datetime:
    return clock.now() + dt.timedelta(days=365)


class ApiTokenForm(forms.ModelForm):
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("所属单位"),
        queryset=Organisation.objects.filter(is_active=True, kind__in=list(tokens.SCOPES_BY_KIND)),
        help_text=gettext_lazy(
            "职称评审系统：人社部门或主管部门；在线学习平台：单位类型为“在线学习平台”；基地自有系统：该基地。"
        ),
    )
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("权限范围"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple
    )
    expires_at = forms.SplitDateTimeField(
        label=gettext_lazy("有效期至"), initial=default_expiry, widget=AdminSplitDateTime
    )

    class Meta:
        model = ApiToken
        fields = ["organisation", "name", "scopes", "expires_at"]

    def clean(self):
        data = super().clean()
        if data.get("organisation") and data.get("scopes"):
            try:
                data["scopes"] = tokens.check_scopes(data["organisation"], data["scopes"])
            except DomainError as e:
                self.add_error("scopes", e.message)
        return data


@admin.register(ApiToken)
class ApiTokenAdmin(SysadminOnly, admin.ModelAdmin):
    form = ApiTokenForm
    list_display = ["name", "organisation", "prefix", "scope_list", "state", "expires_at", "last_used_at", "created_by"]
    list_filter = ["organisation__kind"]
    search_fields = ["name", "organisation__name", "prefix"]
    actions = ["revoke"]
    shown_after_creation = ["prefix", "state", "created_by", "created_at", "revoked_by", "revoked_at", "last_used_at"]

    @admin.display(description=gettext_lazy("权限范围"))
    def scope_list(self, obj: ApiToken) -> str:
        return "、".join(obj.scopes)

    @admin.display(description=gettext_lazy("状态"))
    def state(self, obj: ApiToken) -> str:
        return obj.state_label

    def has_change_permission(self, request, obj=None):
        return False  # a token never changes: revoke it and create another

    def get_fields(self, request, obj=None):
        return ApiTokenForm.Meta.fields + (self.shown_after_creation if obj else [])

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj) if obj else []

    def save_model(self, request, obj, form, change):
        token, secret = tokens.create_token(
            organisation=form.cleaned_data["organisation"],
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
            expires_at=form.cleaned_data["expires_at"],
            actor=request.user,
        )
        obj.__dict__.update({k: v for k, v in token.__dict__.items() if k != "_state"})
        obj._state.adding = False
        request.new_api_secret = secret

    def response_add(self, request, obj, post_url_continue=None):
        """The secret is shown on this page once and kept nowhere."""
        context = {**self.admin_site.each_context(request), "token": obj, "secret": request.new_api_secret,
                   "opts": self.opts, "title": _("接口令牌已创建")}  # fmt: skip
        return render(request, "admin/api/apitoken/created.html", context)

    @admin.action(description=gettext_lazy("撤销所选令牌"))
    def revoke(self, request, queryset):
        done = 0
        for token in queryset:
            try:
                tokens.revoke_token(token, actor=request.user)
                done += 1
            except DomainError as e:
                messages.warning(request, f"{token}：{e.message}")
        if done:
            messages.success(request, (_("已撤销 %(done)s 个令牌，它们立即失效。") % {"done": done}))
