"""Admin screens for the 系统管理员 only (organisations, accounts); in Chinese.

Accounts are opened and disabled here, with explicit buttons. Nobody here learns a password: a new account's
holder sets theirs through a link e-mailed to them. Roles are the 安全管理员's (三员分立): an account is opened as
基地工作人员 or waiting for a role, and the role is read-only on these screens. The three administrators'
accounts change only through 双人审批.
"""

import functools

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext, gettext_lazy

from jxjy.core.errors import DomainError
from jxjy.core.identity import mask_id_number, mask_mobile

from . import dual_control, services
from .models import ROLE_ORG_KIND, AdminRequest, Learner, Organisation, Prefecture, Role, User

Kind = AdminRequest.Kind
NOT_FOR_YOU = gettext_lazy("只有系统管理员可以使用系统管理。")


def is_sysadmin(request) -> bool:
    """The admin site is the 系统管理员's, and only after the second factor."""
    user = request.user
    verified = getattr(user, "is_verified", lambda: False)()
    return user.is_active and user.is_authenticated and user.role == Role.SYSADMIN and verified


def admin_login(request, extra_context=None):
    """One login page for everyone: the site's, with throttling and the second factor. Whoever is signed in
    and still sent here may not use the admin (the 系统管理员 has passed the second factor by now: the
    middleware asks for it first): a refusal, where a login page would only send them back here."""
    next_url = request.GET.get("next") or reverse("admin:index")
    if is_sysadmin(request):
        return redirect(reverse("admin:index"))
    if request.user.is_authenticated:
        raise PermissionDenied(NOT_FOR_YOU)
    return redirect_to_login(next_url)


class SysadminOnly:
    def has_module_permission(self, request):
        return is_sysadmin(request)

    has_view_permission = has_add_permission = has_change_permission = lambda self, request, obj=None: is_sysadmin(
        request
    )

    def has_delete_permission(self, request, obj=None):
        return False  # accounts and organisations are disabled, never deleted


def admin_password_change(request, extra_context=None):
    # 修改密码 in the admin's header is the site's page, which applies the history and the audit.
    return redirect("accounts:password_change")


def admin_logout(request, extra_context=None):
    from .views import LogoutView  # the site's 退出: audited

    return LogoutView.as_view()(request)


def refusing_admin_view(view, cacheable=False):
    """The admin's own wrapper sends whoever may not use it round its own login page; here the anonymous go
    straight to the site's login page and a signed-in account of another role gets the 403 page at once."""
    wrapped = _admin_view(view, cacheable)

    @functools.wraps(view)
    def inner(request, *args, **kwargs):
        if not request.user.is_authenticated:
            logout = request.path == reverse("admin:logout")
            return redirect_to_login(reverse("admin:index") if logout else request.get_full_path())
        if not is_sysadmin(request):
            raise PermissionDenied(NOT_FOR_YOU)
        return wrapped(request, *args, **kwargs)

    return inner


_admin_view = admin.site.admin_view
admin.site.admin_view = refusing_admin_view
admin.site.has_permission = is_sysadmin
admin.site.login = admin_login
admin.site.password_change = admin_password_change
admin.site.logout = admin_logout


@admin.register(Prefecture)
class PrefectureAdmin(SysadminOnly, admin.ModelAdmin):
    list_display = ["code", "name"]


@admin.register(Organisation)
class OrganisationAdmin(SysadminOnly, admin.ModelAdmin):
    list_display = ["name", "kind", "level", "prefecture", "department", "is_active"]
    list_filter = ["kind", "level", "prefecture"]
    search_fields = ["name"]


UNGRANTED = ("", gettext_lazy("待安全管理员授权（主管部门、人社部门和平台运维单位的账号）"))


def check_role_fits(role: str, organisation: Organisation | None) -> None:
    if organisation is None:
        raise forms.ValidationError({"organisation": gettext("请选择所属单位。")})
    if role == "" and organisation.kind == Organisation.Kind.BASE:
        raise forms.ValidationError({"role": gettext("培训基地的账号请选择“基地工作人员”。")})
    if role and organisation.kind != ROLE_ORG_KIND[role]:
        kind = Organisation.Kind(ROLE_ORG_KIND[role]).label
        raise forms.ValidationError(
            {"organisation": (gettext("“%(role)s”须属于%(kind)s。") % {"role": Role(role).label, "kind": kind})}
        )


class AccountAddForm(forms.ModelForm):
    """新建账号: no password is typed or shown; the holder sets it through the link e-mailed to them."""

    role = forms.ChoiceField(
        label=gettext_lazy("角色"), choices=[UNGRANTED, (Role.BASE.value, Role.BASE.label)], required=False
    )
    email = forms.EmailField(
        label=gettext_lazy("电子邮箱"), help_text=gettext_lazy("设置密码的链接发送到此邮箱，请填写本人的邮箱。")
    )

    class Meta:
        model = User
        fields = ["username", "full_name", "email", "organisation", "role"]

    def clean(self):
        data = super().clean()
        check_role_fits(data.get("role", ""), data.get("organisation"))
        return data


class AccountChangeForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["username", "full_name", "email", "organisation"]
        labels = {"email": gettext_lazy("电子邮箱")}

    def clean(self):
        data = super().clean()
        if "organisation" not in self.fields:  # the three administrators' accounts: read-only here
            return data
        if not self.instance.is_learner:
            check_role_fits(self.instance.role, data.get("organisation"))
        elif data.get("organisation"):
            raise forms.ValidationError({"organisation": gettext("学员账号不属于任何单位。")})
        return data


@admin.register(User)
class UserAdmin(SysadminOnly, BaseUserAdmin):
    form = AccountChangeForm
    add_form = AccountAddForm
    change_form_template = "admin/accounts/user/change_form.html"
    add_form_template = "admin/change_form.html"
    list_display = ["username", "full_name", "role", "organisation", "is_active", "last_login"]
    list_filter = ["role", "is_active"]
    search_fields = ["username", "full_name", "organisation__name"]
    fieldsets = [
        (None, {"fields": ["username"]}),
        (gettext_lazy("账号信息"), {"fields": ["full_name", "email", "role", "organisation"]}),
        (gettext_lazy("状态"), {"fields": ["is_active", "must_change_password", "password_changed_at"]}),
        (gettext_lazy("登录记录"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"fields": ["username", "full_name", "email", "organisation", "role"]})]
    readonly_fields = ["role", "is_active", "must_change_password", "password_changed_at", "last_login", "date_joined"]
    actions = None

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and services.needs_second_person(obj):
            return [f for _, group in self.fieldsets for f in group["fields"]]  # 双人审批 only
        return self.readonly_fields if obj else []

    def get_urls(self):
        own = [
            path("<int:pk>/disable/", self.admin_site.admin_view(self.disable_view), name="accounts_user_disable"),
            path("<int:pk>/enable/", self.admin_site.admin_view(self.enable_view), name="accounts_user_enable"),
        ]
        return own + super().get_urls()

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        obj.is_staff = False
        request._link_sent_to = services.open_account(obj, actor=request.user)

    def response_add(self, request, obj, post_url_continue=None):
        context = {**self.admin_site.each_context(request), "title": gettext("账号已建立"), "target": obj}
        return render(request, "admin/accounts/user/link_sent.html", {**context, "sent_to": request._link_sent_to})

    def user_change_password(self, request, id, form_url=""):
        # Nobody types or reads another person's password: the 安全管理员's 重置密码 e-mails the holder a link.
        raise PermissionDenied

    def _target(self, request, pk: int) -> User:
        if request.method != "POST" or not self.has_change_permission(request):
            raise PermissionDenied
        return get_object_or_404(User, pk=pk)

    def disable_view(self, request, pk: int):
        target = self._target(request, pk)
        done = gettext("账号 %(username)s 已停用，其登录会话已结束。") % {"username": target.username}
        self._ask_or_do(request, Kind.DISABLE, target, services.disable_account, done)
        return redirect("admin:accounts_user_change", pk)

    def enable_view(self, request, pk: int):
        target = self._target(request, pk)
        self._ask_or_do(
            request,
            Kind.ENABLE,
            target,
            services.enable_account,
            (gettext("账号 %(username)s 已启用。") % {"username": target.username}),
        )
        return redirect("admin:accounts_user_change", pk)

    def _ask_or_do(self, request, kind: str, target: User, change, done: str) -> None:
        """The change now, or for one of the three administrators' accounts a 双人审批 request."""

        def do() -> str:
            change(target, actor=request.user)
            return done

        try:
            messages.success(request, dual_control.ask_or_do(kind, target, actor=request.user, do=do))
        except DomainError as e:
            messages.error(request, e.message)


@admin.register(Learner)
class LearnerAdmin(SysadminOnly, admin.ModelAdmin):
    """Masked only: the 系统管理员 finds a learner by the exact 身份证号 or 手机号 but never reads it."""

    list_display = ["name", "masked_id_number", "gender", "work_unit", "created_at"]
    search_fields = ["name"]
    fields = ["user", "name", "masked_id_number", "masked_mobile", "gender", "work_unit"]
    readonly_fields = ["user", "masked_id_number", "masked_mobile"]
    search_help_text = gettext_lazy("按姓名，或完整的身份证号、手机号查询")

    @admin.display(description=gettext_lazy("身份证号"))
    def masked_id_number(self, learner):
        return mask_id_number(learner.id_number)

    @admin.display(description=gettext_lazy("手机号"))
    def masked_mobile(self, learner):
        return mask_mobile(learner.mobile)

    def get_search_results(self, request, queryset, search_term):
        results, duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip():
            exact = queryset.by_id_number(search_term) | queryset.by_mobile(search_term)
            results = results | exact
        return results, duplicates
