"""What api records in the audit trail: the code each entry stores, and the words every page shows
for it (registered with the trail's names in AppConfig.ready)."""

from django.db import models
from django.utils.translation import gettext_lazy


class ApiAction(models.TextChoices):
    CREATE_TOKEN = "create_api_token", gettext_lazy("创建接口令牌")
    REVOKE_TOKEN = "revoke_api_token", gettext_lazy("撤销接口令牌")
    QUERY_HOURS = "api_query_hours", gettext_lazy("接口查询学时")
    IMPORT_HOURS = "platform_import_hours", gettext_lazy("在线学习平台导入学时")
    POST_PENDING = "post_pending_hours", gettext_lazy("待入账公需课记录入账")
