from django.apps import AppConfig
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class SysadminConfig(AppConfig):
    """系统管理 in the platform's own screens: 单位, 账号, 培训范围目录, 规则设置 and 接口令牌, the 系统管理员's
    daily work. Above api, catalog and accounts; only portal (the menu) imports it."""

    name = "jxjy.sysadmin"
    verbose_name = gettext_lazy("系统管理")

    def ready(self) -> None:
        from jxjy.accounts.predicates import is_sysadmin
        from jxjy.audit import actions
        from jxjy.core import permissions

        from .audit_actions import SysadminAction

        actions.register(SysadminAction)  # the words of what this app records
        permissions.declare("sysadmin.use", is_sysadmin, _("只有系统管理员可以使用系统管理。"))
