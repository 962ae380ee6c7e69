"""Admin screens for the 系统管理员 only (organisations, accounts); in Chinese."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from jxjy.core.identity import mask_id_number, mask_mobile

from .models import Learner, Organisation, Prefecture, Role, User


def is_sysadmin(request) -> bool:
    user = request.user
    return user.is_active and user.is_authenticated and user.role == Role.SYSADMIN


class SysadminOnly:
    def has_module_permission(self, request):
        return is_sysadmin(request)

    has_view_permission = has_add_permission = has_change_permission = lambda self, request, obj=None: is_sysadmin(
        request
    )

    def has_delete_permission(self, request, obj=None):
        return False  # accounts and organisations are disabled, never deleted


admin.site.has_permission = is_sysadmin


@admin.register(Prefecture)
class PrefectureAdmin(SysadminOnly, admin.ModelAdmin):
    list_display = ["code", "name"]


@admin.register(Organisation)
class OrganisationAdmin(SysadminOnly, admin.ModelAdmin):
    list_display = ["name", "kind", "level", "prefecture", "department", "is_active"]
    list_filter = ["kind", "level", "prefecture"]
    search_fields = ["name"]


@admin.register(User)
class UserAdmin(SysadminOnly, BaseUserAdmin):
    list_display = ["username", "full_name", "role", "organisation", "is_active", "last_login"]
    list_filter = ["role", "is_active"]
    search_fields = ["username", "full_name", "organisation__name"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("账号信息", {"fields": ["full_name", "role", "organisation", "is_active"]}),
        ("登录记录", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"fields": ["username", "full_name", "role", "organisation", "password1", "password2"]})]
    readonly_fields = ["last_login", "date_joined"]


@admin.register(Learner)
class LearnerAdmin(SysadminOnly, admin.ModelAdmin):
    """Masked only: the 系统管理员 finds a learner by the exact 身份证号 or 手机号 but never reads it."""

    list_display = ["name", "masked_id_number", "gender", "work_unit", "created_at"]
    search_fields = ["name"]
    fields = ["user", "name", "masked_id_number", "masked_mobile", "gender", "work_unit"]
    readonly_fields = ["user", "masked_id_number", "masked_mobile"]
    search_help_text = "按姓名，或完整的身份证号、手机号查询"

    @admin.display(description="身份证号")
    def masked_id_number(self, learner):
        return mask_id_number(learner.id_number)

    @admin.display(description="手机号")
    def masked_mobile(self, learner):
        return mask_mobile(learner.mobile)

    def get_search_results(self, request, queryset, search_term):
        results, duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip():
            exact = queryset.by_id_number(search_term) | queryset.by_mobile(search_term)
            results = results | exact
        return results, duplicates
