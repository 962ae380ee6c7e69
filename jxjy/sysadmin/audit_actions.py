"""What sysadmin records in the audit trail: the code each entry stores, and the words every page shows
for it (registered with the trail's names in AppConfig.ready). 规则设置 keeps the code the admin has always
written (portal's change_rule_setting: see services.CHANGE_RULE); 新建账号 and 停用/启用 of accounts and
接口令牌 are the accounts' and the api's own actions."""

from django.db import models
from django.utils.translation import gettext_lazy


class SysadminAction(models.TextChoices):
    CREATE_ORGANISATION = "create_organisation", gettext_lazy("新建单位")
    CHANGE_ORGANISATION = "change_organisation", gettext_lazy("修改单位")
    CREATE_CATALOG_ENTRY = "create_catalog_entry", gettext_lazy("新增培训范围")
    CHANGE_CATALOG_ENTRY = "change_catalog_entry", gettext_lazy("修改培训范围")
    DISABLE_CATALOG_ENTRY = "disable_catalog_entry", gettext_lazy("停用培训范围")
    ENABLE_CATALOG_ENTRY = "enable_catalog_entry", gettext_lazy("启用培训范围")
    CHANGE_ACCOUNT = "change_account", gettext_lazy("修改账号")
